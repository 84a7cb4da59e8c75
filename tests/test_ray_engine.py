"""The Ray engine against the local engine, on a real local Ray cluster (2 CPUs, a small object store)."""

from types import SimpleNamespace

import pytest
import spacy

ray = pytest.importorskip("ray")

from defence_ner.annotation.ray_engine import _connect, annotate_with_ray  # noqa: E402
from defence_ner.annotation.stream import AnnotationWriter, Record, annotate  # noqa: E402
from tests.helpers import PROJECT_DIR  # noqa: E402

OBJECT_STORE_BYTES = 200 * 1024 * 1024
PATTERNS = [
    {"label": "ORG", "pattern": "NATO"},
    {"label": "ORG", "pattern": [{"LOWER": "royal"}, {"LOWER": "navy"}]},
    {"label": "LOC", "pattern": "Baltic"},
    {"label": "WEAPON", "pattern": [{"LOWER": "type"}, {"TEXT": "45"}]},
]
SENTENCES = [
    "NATO ships patrolled the Baltic overnight.",
    "The Royal Navy sent a Type 45 destroyer.",
    "Nothing of note happened here.",
    "Ministers met in Brussels; NATO and the Royal Navy briefed them on the Baltic.",
    "",
]
SUMMARY_KEYS = {"documents", "skipped_done", "errors", "words", "seconds", "words_per_second"}


def make_records():
    records = [
        Record(f"doc-{i}", f"{SENTENCES[i % len(SENTENCES)]} (report {i})", f"input.jsonl:{i + 1}") for i in range(30)
    ]
    records.insert(7, Record("input.jsonl:8", None, "input.jsonl:8", "invalid JSON (Expecting value)"))
    records.insert(
        20, Record("doc-3", "A second record with the id doc-3 and NATO in it.", "input.jsonl:21")
    )  # a duplicate
    return records


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    path = tmp_path_factory.mktemp("model") / "pipeline"
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def local_run(model, tmp_path_factory):
    """The local single-process engine's output, errors and summary on make_records()."""
    folder = tmp_path_factory.mktemp("local")
    with AnnotationWriter(folder / "out.jsonl", folder / "errors.jsonl") as writer:
        summary = annotate(spacy.load(model), make_records(), writer, batch_size=4, n_process=1, progress=False)
    return (folder / "out.jsonl").read_text(), (folder / "errors.jsonl").read_text(), summary


def without_timing(summary):
    return {key: value for key, value in summary.items() if key not in ("seconds", "words_per_second")}


def small_ray_init(monkeypatch):
    """Make the local cluster annotate_with_ray starts a small one, and record how it was started."""
    calls = []
    real_init = ray.init

    def init(*args, **kwargs):
        calls.append((args, dict(kwargs)))
        return real_init(*args, object_store_memory=OBJECT_STORE_BYTES, include_dashboard=False, **kwargs)

    monkeypatch.setattr(ray, "init", init)
    return calls


# First in the file: it needs no cluster running, and the cluster of `cluster` lives until the module ends.
def test_starts_and_shuts_down_its_own_local_cluster_and_matches_the_local_engine(
    model, local_run, tmp_path, monkeypatch
):
    assert not ray.is_initialized()
    calls = small_ray_init(monkeypatch)
    with AnnotationWriter(tmp_path / "out.jsonl", tmp_path / "errors.jsonl") as writer:
        summary = annotate_with_ray(str(model), make_records(), writer, batch_size=4, address=None, workers=2)
    assert calls == [((), {"num_cpus": 2})]
    assert not ray.is_initialized()
    local_output, local_errors, local_summary = local_run
    assert (tmp_path / "out.jsonl").read_text() == local_output
    assert (tmp_path / "errors.jsonl").read_text() == local_errors
    assert set(summary) == SUMMARY_KEYS
    assert (
        without_timing(summary)
        == without_timing(local_summary)
        == {"documents": 30, "skipped_done": 0, "errors": 2, "words": summary["words"]}
    )


def count_pipeline_loads():
    """Worker setup hook: every spacy.load in a Ray worker appends a line to the file $LOADS_FILE names."""
    import os

    import spacy

    real_load = spacy.load

    def load(*args, **kwargs):
        with open(os.environ["LOADS_FILE"], "a") as file:
            file.write(f"{os.getpid()}\n")
        return real_load(*args, **kwargs)

    spacy.load = load


@pytest.fixture(scope="module")
def loads_file(tmp_path_factory):
    return tmp_path_factory.mktemp("loads") / "loads.txt"


@pytest.fixture(scope="module")
def cluster(loads_file):
    # The workers import the hook from this module, so they need the project root on their path.
    env_vars = {"LOADS_FILE": str(loads_file), "PYTHONPATH": str(PROJECT_DIR)}
    runtime_env = {"env_vars": env_vars, "worker_process_setup_hook": count_pipeline_loads}
    ray.init(num_cpus=2, object_store_memory=OBJECT_STORE_BYTES, include_dashboard=False, runtime_env=runtime_env)
    yield
    ray.shutdown()


def test_loads_the_pipeline_once_per_worker_for_the_whole_run(cluster, model, local_run, loads_file, tmp_path):
    loads_file.unlink(missing_ok=True)
    with AnnotationWriter(tmp_path / "out.jsonl", tmp_path / "errors.jsonl") as writer:
        annotate_with_ray(str(model), make_records(), writer, batch_size=2, address=None, workers=2, chunk_size=4)
    assert (tmp_path / "out.jsonl").read_text() == local_run[0]
    assert len(loads_file.read_text().splitlines()) == 2  # 30 documents, at most 4 in flight: still 2 loads


@pytest.mark.parametrize("chunk_size", [10_000, 13])
def test_same_output_as_the_local_engine(cluster, model, local_run, tmp_path, chunk_size):
    with AnnotationWriter(tmp_path / "out.jsonl", tmp_path / "errors.jsonl") as writer:
        summary = annotate_with_ray(
            str(model), make_records(), writer, batch_size=3, address=None, workers=2, chunk_size=chunk_size
        )
    assert ray.is_initialized()  # a cluster it did not start is left running
    local_output, local_errors, local_summary = local_run
    output = (tmp_path / "out.jsonl").read_text()
    assert output == local_output
    assert [line for line in output.splitlines() if '"entities": []' not in line]  # some documents have entities
    assert '"id": "input.jsonl:8"' in (tmp_path / "errors.jsonl").read_text()
    assert (tmp_path / "errors.jsonl").read_text() == local_errors
    assert without_timing(summary) == without_timing(local_summary)


def test_resume_skips_the_ids_already_in_the_output_as_the_local_engine_does(cluster, model, local_run, tmp_path):
    full_output = local_run[0]
    lines = full_output.splitlines(keepends=True)
    runs = {}
    for engine in ("local", "ray"):
        folder = tmp_path / engine
        folder.mkdir()
        (folder / "out.jsonl").write_text(
            "".join(lines[:12]) + lines[12][:10]
        )  # 12 lines, then one cut short by a crash
        with AnnotationWriter(folder / "out.jsonl", folder / "errors.jsonl") as writer:
            if engine == "local":
                summary = annotate(spacy.load(model), make_records(), writer, batch_size=4, n_process=1, progress=False)
            else:
                summary = annotate_with_ray(
                    str(model), make_records(), writer, batch_size=4, address=None, workers=2, chunk_size=10
                )
        runs[engine] = (
            (folder / "out.jsonl").read_text(),
            (folder / "errors.jsonl").read_text(),
            without_timing(summary),
        )
    assert runs["ray"] == runs["local"]
    output, errors, summary = runs["ray"]
    assert output == full_output
    assert '"id": "input.jsonl:8"' in errors
    # doc-0 to doc-11 were done; the second record with the id doc-3 is skipped with them.
    assert summary == {"documents": 18, "skipped_done": 13, "errors": 1, "words": summary["words"]}

    with AnnotationWriter(tmp_path / "ray" / "out.jsonl", tmp_path / "ray" / "errors.jsonl") as writer:
        again = annotate_with_ray(str(model), make_records(), writer, batch_size=4, address=None, workers=2)
    assert (again["documents"], again["skipped_done"], again["errors"]) == (0, 31, 1)
    assert (tmp_path / "ray" / "out.jsonl").read_text() == full_output
    assert (tmp_path / "ray" / "errors.jsonl").read_text() == errors  # bad records are not reported twice


def fake_ray(initialized):
    calls = []
    return calls, SimpleNamespace(is_initialized=lambda: initialized, init=lambda **kwargs: calls.append(kwargs))


@pytest.mark.parametrize("address", ["auto", "ray://head:10001"])
def test_connects_to_a_cluster_at_an_address_and_does_not_own_it(address):
    calls, fake = fake_ray(initialized=False)
    assert _connect(fake, address, workers=8) is False
    assert calls == [{"address": address}]


def test_starts_a_local_cluster_of_workers_cpus_without_an_address():
    calls, fake = fake_ray(initialized=False)
    assert _connect(fake, None, workers=3) is True
    assert calls == [{"num_cpus": 3}]


def test_keeps_an_existing_connection():
    calls, fake = fake_ray(initialized=True)
    assert _connect(fake, "auto", workers=2) is False
    assert calls == []
