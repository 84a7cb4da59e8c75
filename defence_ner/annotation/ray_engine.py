"""Ray engine for `annotate`: the same input records and the same JSONL output as the local engine,
with the pipeline run by a pool of Ray actors, one pipeline loaded per actor.

Run on one machine (a local Ray cluster of ``--ray-workers`` CPUs is started and shut down again)::

    defence-ner-annotate INPUT --output out.jsonl --engine ray --ray-workers 4

Run on a real cluster:

1. On the head node: ``ray start --head`` (it prints the address workers join with).
2. On every worker node: install the trained pipeline and this package, with the same Python
   and Ray versions as the head, then join the cluster::

       pip install en_defence_ner-<version>-py3-none-any.whl   # the packaged pipeline (packages/)
       pip install defence_ner-<version>-py3-none-any.whl      # this package (`python -m build`), or a checkout
       ray start --address <head-ip>:6379

   The model argument is loaded by every actor with ``spacy.load(model)``: either the installed
   package's name (``en_defence_ner``), or a path that exists on every node (a shared file system).
3. On the head node (or any node of the cluster)::

       defence-ner-annotate INPUT --output out.jsonl --engine ray --ray-address auto

   ``--ray-address ray://<head-ip>:10001`` connects through Ray Client from outside the cluster
   instead. ``--ray-workers`` is the number of pipeline actors (one CPU each).

The driver reads the input, skips ids already in the output (resume) and reports bad records and
repeated ids, exactly as the local engine does (it shares its code). It starts one pool of
``--ray-workers`` pipeline actors for the whole run, each loading the pipeline once, and sends
them the good records in batches of ``batch_size``, keeping at most ``chunk_size`` records in
flight, so its memory stays bounded whatever the corpus size; it writes the output records (built
by the same `doc_to_record`) in input order as their batches come back, so both engines write the
same lines and an interrupted run resumes where its output stops. The actors are removed at the
end. A cluster that was already running (an address given, or ``ray.init`` called before) is left
running; a local one started here is shut down at the end.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator

from defence_ner.annotation.stream import AnnotationWriter, Record, doc_to_record, has_linker, pending_texts
from defence_ner.docbin import word_count


class PipelineActor:
    """A Ray actor (one CPU) that loads the pipeline once and annotates batches for the whole run."""

    def __init__(self, model: str, nlp_batch_size: int = 1000):
        import spacy

        self.nlp = spacy.load(model)
        self.linked = has_linker(self.nlp)
        self.nlp_batch_size = nlp_batch_size

    def annotate(self, batch: list[tuple[str, str]]) -> list[tuple[dict, int]]:
        """(output record, word count) of each (text, id), in order."""
        texts = [text for text, _ in batch]
        docs = self.nlp.pipe(texts, batch_size=self.nlp_batch_size)
        return [(doc_to_record(doc, doc_id, self.linked), word_count(doc)) for doc, (_, doc_id) in zip(docs, batch)]


def _batches(
    records: Iterable[Record], writer: AnnotationWriter, batch_size: int, counts: dict
) -> Iterator[list[tuple[str, str]]]:
    """(text, id) of the records to annotate, in lists of at most batch_size.

    The records are sorted out by the local engine's own `pending_texts`, so that both engines skip the same
    done ids and report the same bad and duplicate records.
    """
    pending = pending_texts(records, writer, counts)
    while batch := list(itertools.islice(pending, batch_size)):
        yield batch


def annotate_with_ray(
    model: str,
    records: Iterable[Record],
    writer: AnnotationWriter,
    batch_size: int,
    address: str | None,
    workers: int,
    chunk_size: int = 10_000,
) -> dict:
    """Annotate records on a Ray cluster, writing one output record per document in input order.

    model: a pipeline name or path that every Ray worker can `spacy.load`.
    address: a running cluster ("auto", "ray://host:10001", "host:6379"); None starts a local
    cluster of `workers` CPUs (or uses the one this process is already connected to).
    workers: the number of pipeline actors, started once for the run. batch_size: documents per
    actor call (and per nlp.pipe batch). chunk_size: the most records sent to the cluster and not
    yet written (at least one batch per actor is kept in flight whatever it says).

    Returns the same summary as the local engine: documents, skipped_done, errors, words,
    seconds, words_per_second.
    """
    import ray
    from ray.util import ActorPool

    if batch_size < 1 or workers < 1 or chunk_size < 1:
        raise ValueError("batch_size, workers and chunk_size must be at least 1")
    start = time.perf_counter()
    counts = {"documents": 0, "skipped_done": 0, "errors": 0, "words": 0}
    in_flight_limit = max(workers, chunk_size // batch_size)

    started_here = _connect(ray, address, workers)
    actors = []
    try:
        actor_class = ray.remote(num_cpus=1)(PipelineActor)
        actors = [actor_class.remote(model, batch_size) for _ in range(workers)]
        pool = ActorPool(actors)
        in_flight = 0
        for batch in _batches(records, writer, batch_size, counts):
            if in_flight >= in_flight_limit:
                _write(pool.get_next(), writer, counts)  # the oldest batch: results come back in input order
                in_flight -= 1
            pool.submit(lambda actor, value: actor.annotate.remote(value), batch)
            in_flight += 1
        while pool.has_next():
            _write(pool.get_next(), writer, counts)
    finally:
        for actor in actors:
            ray.kill(actor)
        if started_here:
            ray.shutdown()

    seconds = time.perf_counter() - start
    return {
        **counts,
        "seconds": round(seconds, 3),
        "words_per_second": round(counts["words"] / seconds, 1) if seconds > 0 else 0.0,
    }


def _connect(ray, address: str | None, workers: int) -> bool:
    """Connect to the cluster at address, or start a local one of `workers` CPUs; True if started here.

    A process already connected (ray.init called before, as a notebook or a test does) keeps its
    connection: it is neither replaced nor shut down at the end.
    """
    if ray.is_initialized():
        return False
    if address is not None:
        ray.init(address=address)
        return False
    ray.init(num_cpus=workers)
    return True


def _write(annotated: list[tuple[dict, int]], writer: AnnotationWriter, counts: dict) -> None:
    for record, words in annotated:
        writer.write(record)
        counts["documents"] += 1
        counts["words"] += words
