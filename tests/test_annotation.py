import json

import datasets
import pandas as pd
import pytest
import spacy
from spacy.tokens import DocBin
from typer.testing import CliRunner

from defence_ner.annotation.cli import app
from defence_ner.annotation.stream import DATASETS_BUILDERS, AnnotationWriter, Record, annotate, read_records
from defence_ner.errors import CorpusFormatError

TEXT = "An AK-47 was found in Mosul."
ENTITIES = [
    {"start": 3, "end": 8, "label": "WEAPON", "text": "AK-47"},
    {"start": 22, "end": 27, "label": "LOCATION", "text": "Mosul"},
]


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No network, and a cache inside tmp_path."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A pipeline folder that spacy.load reads: a blank English pipeline with an entity ruler."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "WEAPON", "pattern": "AK-47"}, {"label": "LOCATION", "pattern": "Mosul"}])
    path = tmp_path_factory.mktemp("pipeline") / "model"
    nlp.to_disk(path)
    return path


@pytest.fixture
def run(model, tmp_path):
    """run(inputs, **options) -> (output records by id, error records, summary) of one annotate run."""

    def annotate_inputs(inputs, max_chars=5_000_000, batch_size=2, n_process=1):
        records = read_records(inputs, max_chars=max_chars)
        with AnnotationWriter(tmp_path / "out.jsonl", tmp_path / "errors.jsonl") as writer:
            summary = annotate(spacy.load(model), records, writer, batch_size, n_process, progress=False)
        return (
            {r["id"]: r["entities"] for r in lines(tmp_path / "out.jsonl")},
            lines(tmp_path / "errors.jsonl"),
            summary,
        )

    return annotate_inputs


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_text_file_and_folder_of_text_files(tmp_path, run):
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    folder = tmp_path / "archive"
    (folder / "b" / "c").mkdir(parents=True)
    (folder / "b" / "c" / "deep.txt").write_text("Nothing here.", encoding="utf-8")
    (folder / "a.txt").write_text(f"Near Mosul. {TEXT}", encoding="utf-8")
    (folder / "notes.md").write_text(TEXT, encoding="utf-8")
    assert [r.id for r in read_records([folder])] == ["a.txt", "b/c/deep.txt"]
    output, errors, summary = run([tmp_path / "report.txt", folder])
    assert output["report.txt"] == ENTITIES
    assert output["b/c/deep.txt"] == []
    assert [e["text"] for e in output["a.txt"]] == ["Mosul", "AK-47", "Mosul"]
    assert errors == []
    assert summary["documents"] == 3 and summary["words"] == 7 + 3 + 10  # tokens, punctuation included


def test_json_lines_take_text_and_id_fields_and_default_ids(tmp_path, run):
    path = write_jsonl(
        tmp_path / "docs.jsonl", [{"id": "r1", "text": TEXT}, {"text": "In Mosul."}, {"id": 7, "text": "Nothing."}]
    )
    path.write_text(path.read_text() + "\n", encoding="utf-8")
    output, errors, _ = run([path])
    assert output == {
        "r1": ENTITIES,
        "docs.jsonl:2": [{"start": 3, "end": 8, "label": "LOCATION", "text": "Mosul"}],
        "7": [],
    }
    assert errors == []


def test_custom_fields(tmp_path):
    path = write_jsonl(tmp_path / "docs.json", [{"doc": "d1", "body": "Text."}])
    assert list(read_records([path], text_field="body", id_field="doc")) == [Record("d1", "Text.", f"{path}:1")]


def test_csv_rows_with_multi_line_text(tmp_path, run):
    path = tmp_path / "docs.csv"
    pd.DataFrame({"id": ["c1", "", "c3"], "text": [TEXT, "Line one\nin Mosul.", "Nothing."]}).to_csv(path, index=False)
    records = list(read_records([path]))
    assert [(r.id, r.where) for r in records] == [("c1", f"{path}:2"), ("docs.csv:2", f"{path}:3"), ("c3", f"{path}:5")]
    output, _, _ = run([path])
    assert output["c1"] == ENTITIES
    assert output["docs.csv:2"] == [{"start": 12, "end": 17, "label": "LOCATION", "text": "Mosul"}]


def test_parquet_and_arrow_are_read_by_datasets(tmp_path, run):
    pd.DataFrame({"id": [10, 11], "text": [TEXT, "Nothing."]}).to_parquet(tmp_path / "docs.parquet")
    datasets.Dataset.from_dict({"text": ["In Mosul."]}).save_to_disk(str(tmp_path / "saved"))
    arrow = next((tmp_path / "saved").glob("*.arrow"))
    output, errors, _ = run([tmp_path / "docs.parquet", arrow])
    assert output == {
        "10": ENTITIES,
        "11": [],
        f"{arrow.name}:0": [{"start": 3, "end": 8, "label": "LOCATION", "text": "Mosul"}],
    }
    assert errors == []


def test_datasets_file_types_come_from_our_own_table(tmp_path):
    """Our extension -> `datasets` builder table (no private `datasets` table), upper-case suffixes too."""
    assert DATASETS_BUILDERS == {".parquet": "parquet", ".arrow": "arrow"}
    pd.DataFrame({"text": [TEXT]}).to_parquet(tmp_path / "DOCS.PARQUET")
    assert [r.text for r in read_records([tmp_path / "DOCS.PARQUET"])] == [TEXT]
    # A type `datasets` reads but that holds no text records (an image folder builder) is refused up front.
    (tmp_path / "scan.png").write_bytes(b"")
    with pytest.raises(CorpusFormatError, match="scan.png: unsupported input"):
        read_records([tmp_path / "scan.png"])


def test_bad_records_are_reported_and_the_run_goes_on(tmp_path, run):
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_bytes(
        b'{"id": "ok", "text": "In Mosul."}\n'
        b'{"id": "no-text", "body": "x"}\n'
        b'{"id": "number", "text": 42}\n'
        b'{"id": "bytes", "text": "caf\xe9"}\n'
        b"{not json\n"
        b'["a list"]\n'
        b'{"id": "long", "text": "' + b"x" * 30 + b'"}\n'
        b'{"id": "ok", "text": "Again."}\n'
    )
    (tmp_path / "bad.txt").write_bytes(b"Mosul \xff\xfe")
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    output, errors, summary = run([jsonl, tmp_path / "bad.txt", tmp_path / "good.txt"], max_chars=len(TEXT))
    assert output == {"ok": [{"start": 3, "end": 8, "label": "LOCATION", "text": "Mosul"}], "good.txt": ENTITIES}
    by_id = {e["id"]: e for e in errors}
    assert [(e["id"], e["where"]) for e in errors] == [
        ("no-text", f"{jsonl}:2"),
        ("number", f"{jsonl}:3"),
        ("docs.jsonl:4", f"{jsonl}:4"),
        ("docs.jsonl:5", f"{jsonl}:5"),
        ("docs.jsonl:6", f"{jsonl}:6"),
        ("long", f"{jsonl}:7"),
        ("ok", f"{jsonl}:8"),
        ("bad.txt", str(tmp_path / "bad.txt")),
    ]
    assert by_id["no-text"]["error"] == "no field 'text'"
    assert by_id["number"]["error"] == "field 'text' is int, not a string"
    assert by_id["docs.jsonl:4"]["error"].startswith("not valid UTF-8")
    assert by_id["docs.jsonl:5"]["error"].startswith("invalid JSON")
    assert by_id["docs.jsonl:6"]["error"] == "expected a JSON object"
    assert by_id["long"]["error"] == "too long: 30 characters"
    assert by_id["ok"]["error"].startswith("duplicate id")
    assert by_id["bad.txt"]["error"].startswith("not valid UTF-8")
    assert summary["errors"] == 8 and summary["documents"] == 2


def test_text_file_longer_than_max_chars(tmp_path):
    (tmp_path / "long.txt").write_text("é" * 11, encoding="utf-8")
    assert list(read_records([tmp_path / "long.txt"], max_chars=10)) == [
        Record("long.txt", None, str(tmp_path / "long.txt"), "too long: 11 characters")
    ]


def test_an_unsupported_input_fails_before_any_is_read(tmp_path):
    write_jsonl(tmp_path / "docs.jsonl", [{"text": TEXT}])
    (tmp_path / "notes.docx").write_bytes(b"")
    with pytest.raises(CorpusFormatError, match="notes.docx: unsupported input"):
        read_records([tmp_path / "docs.jsonl", tmp_path / "notes.docx"])
    with pytest.raises(CorpusFormatError, match="missing.jsonl: no such file or folder"):
        read_records([tmp_path / "missing.jsonl"])


def test_a_rerun_resumes_after_a_crash_mid_write(tmp_path, run):
    rows = [{"id": f"d{i}", "text": f"Document {i} in Mosul."} for i in range(5)] + [{"id": "bad"}]
    path = write_jsonl(tmp_path / "docs.jsonl", rows)
    run([path])
    out = tmp_path / "out.jsonl"
    first, second, third = out.read_bytes().splitlines(keepends=True)[:3]
    out.write_bytes(first + second + third[: len(third) // 2])
    output, errors, summary = run([path])
    ids = [r["id"] for r in lines(out)]
    assert sorted(ids) == ["d0", "d1", "d2", "d3", "d4"]
    assert output["d2"] == [{"start": 14, "end": 19, "label": "LOCATION", "text": "Mosul"}]
    assert summary["skipped_done"] == 2 and summary["documents"] == 3
    assert errors == [{"id": "bad", "where": f"{path}:6", "error": "no field 'text'"}]


def test_a_writer_refuses_an_output_it_did_not_write(tmp_path):
    (tmp_path / "out.jsonl").write_text("id,text\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="out.jsonl:1: not a record written by annotate"):
        AnnotationWriter(tmp_path / "out.jsonl", tmp_path / "errors.jsonl").__enter__()


def test_two_processes_give_the_output_of_one(tmp_path, run):
    path = write_jsonl(
        tmp_path / "docs.jsonl", [{"id": f"d{i}", "text": f"{i} AK-47 rifles near Mosul."} for i in range(6)]
    )
    one, _, _ = run([path])
    (tmp_path / "out.jsonl").unlink()
    two, _, summary = run([path], n_process=2)
    assert sorted(two.items()) == sorted(one.items())
    assert summary["documents"] == 6


def test_cli_end_to_end_with_docbin(tmp_path, model):
    path = write_jsonl(tmp_path / "docs.jsonl", [{"id": "r1", "text": TEXT}, {"id": "r2", "text": 3}])
    output, docbin = tmp_path / "run" / "out.jsonl", tmp_path / "run" / "docs.spacy"
    args = [str(path), "--output", str(output), "--model", str(model), "--docbin", str(docbin), "--batch-size", "8"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Annotated 1 documents" in result.output
    assert lines(output) == [{"id": "r1", "entities": ENTITIES}]
    assert [e["id"] for e in lines(tmp_path / "run" / "out.errors.jsonl")] == ["r2"]
    docs = list(DocBin().from_disk(docbin).get_docs(spacy.blank("en").vocab))
    assert [(d.user_data["doc_id"], [(e.text, e.label_) for e in d.ents]) for d in docs] == [
        ("r1", [("AK-47", "WEAPON"), ("Mosul", "LOCATION")])
    ]


def test_cli_refuses_docbin_with_ray(tmp_path, model):
    path = write_jsonl(tmp_path / "docs.jsonl", [{"text": TEXT}])
    args = [
        str(path),
        "--output",
        str(tmp_path / "out.jsonl"),
        "--engine",
        "ray",
        "--docbin",
        str(tmp_path / "d.spacy"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "--docbin needs --engine local" in result.output
