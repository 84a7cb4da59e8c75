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
repeated ids, exactly as the local engine does (it shares its code); it sends the good records to
the cluster in chunks of ``chunk_size`` records, so its memory stays bounded whatever the corpus
size, and writes the output records (built by the same `doc_to_record`) in input order, so both
engines write the same lines. Each chunk is one Ray Data job, so every actor loads the pipeline
once per chunk: keep chunks large enough (the default, 10,000 documents) for that to be small.
A cluster that was already running (an address given, or ``ray.init`` called before) is left
running; a local one started here is shut down at the end.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Iterator
from typing import Any

from defence_ner.annotation.stream import AnnotationWriter, Record, pending_texts
from defence_ner.docbin import word_count


class PipelineActor:
    """Ray Data callable class: loads the pipeline once per actor, annotates one batch per call.

    A batch comes in as ``{"pos": array, "id": array, "text": array}`` (numpy format); it goes out
    as the columns ``pos`` (the record's position in its chunk), ``id``, ``words`` (word_count) and
    ``record``: the output record built by `doc_to_record`, JSON-encoded, so that Arrow stores it
    as one string and does not reshape the nested entity lists; the driver decodes it.
    """

    def __init__(self, model: str, nlp_batch_size: int = 1000):
        import spacy

        self.nlp = spacy.load(model)
        self.nlp_batch_size = nlp_batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        from defence_ner.annotation.stream import doc_to_record

        ids = [str(i) for i in batch["id"]]
        texts = [str(t) for t in batch["text"]]
        records, words = [], []
        for doc, doc_id in zip(self.nlp.pipe(texts, batch_size=self.nlp_batch_size), ids):
            records.append(json.dumps(doc_to_record(doc, doc_id), ensure_ascii=False))
            words.append(word_count(doc))
        return {"pos": [int(p) for p in batch["pos"]], "id": ids, "words": words, "record": records}


def _chunks(
    records: Iterable[Record], writer: AnnotationWriter, chunk_size: int, counts: dict
) -> Iterator[list[tuple[str, str]]]:
    """(text, id) of the records to annotate, in lists of at most chunk_size.

    The records are sorted out by the local engine's own `pending_texts`, so that both engines skip the same
    done ids and report the same bad and duplicate records.
    """
    chunk: list[tuple[str, str]] = []
    for text, doc_id in pending_texts(records, writer, counts):
        chunk.append((text, doc_id))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    workers: the number of pipeline actors. batch_size: documents per actor call (and per nlp.pipe
    batch). chunk_size: records held by the driver and sent to the cluster at a time.

    Returns the same summary as the local engine: documents, skipped_done, errors, words,
    seconds, words_per_second.
    """
    import ray
    import ray.data

    if batch_size < 1 or workers < 1 or chunk_size < 1:
        raise ValueError("batch_size, workers and chunk_size must be at least 1")
    start = time.perf_counter()
    counts = {"documents": 0, "skipped_done": 0, "errors": 0, "words": 0}

    started_here = _connect(ray, address, workers)
    context = ray.data.DataContext.get_current()
    previous_order = context.execution_options.preserve_order
    context.execution_options.preserve_order = True
    try:
        for chunk in _chunks(records, writer, chunk_size, counts):
            dataset = ray.data.from_items(
                [{"pos": pos, "id": doc_id, "text": text} for pos, (text, doc_id) in enumerate(chunk)],
                override_num_blocks=max(1, math.ceil(len(chunk) / batch_size)),
            )
            annotated = dataset.map_batches(
                PipelineActor,
                fn_constructor_kwargs={"model": model, "nlp_batch_size": batch_size},
                compute=ray.data.ActorPoolStrategy(size=workers),
                batch_size=batch_size,
                batch_format="default",
                num_cpus=1,
            )
            _write_in_order(annotated.iter_rows(), len(chunk), writer, counts)
    finally:
        context.execution_options.preserve_order = previous_order
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


def _write_in_order(rows: Iterable[dict], expected: int, writer: AnnotationWriter, counts: dict) -> None:
    """Write the annotated rows of one chunk by their position in it.

    With preserve_order the rows already come in order and are written as they arrive; the small
    reorder buffer only guards against an executor that does not keep it.
    """
    pending: dict[int, dict] = {}
    next_pos = 0
    for row in rows:
        pending[int(row["pos"])] = row
        while next_pos in pending:
            ready = pending.pop(next_pos)
            writer.write(json.loads(ready["record"]))
            counts["documents"] += 1
            counts["words"] += int(ready["words"])
            next_pos += 1
    if next_pos != expected or pending:
        raise RuntimeError(f"Ray returned {next_pos + len(pending)} of {expected} records in a chunk")
