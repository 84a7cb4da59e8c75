"""Long documents: conversion is linear in document length, and a document over the tokenizer's
length limit is converted (make_nlp raises the limit) or, past that, a bad record with file and line."""

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.convert import convert_source, make_nlp
from defence_ner.corpora.manifest import Source
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError
from defence_ner.experiments.convert_speed import benchmark, markdown_table, sentences
from tests.corpora import entity_record, write_json_lines, write_re3d_source
from tests.helpers import ents

SENTENCE = "Coalition aircraft struck targets near Mosul on Tuesday. "
MAPPING = {"LOC": "LOCATION", "Location": "LOCATION"}


class TextCountingDoc(Doc):
    """A Doc that counts how often its text is read: spaCy rebuilds Doc.text from every token each time."""

    reads = 0

    @property
    def text(self):
        type(self).reads += 1
        return super().text


def test_alignment_reads_the_document_text_a_fixed_number_of_times_however_many_spans(nlp):
    words = SENTENCE.split() * 300
    doc = TextCountingDoc(nlp.vocab, words=words)
    doc.user_data.update({"doc_id": "long", "source": "test"})
    text = " ".join(words)
    spans, start = [], 0
    while (start := text.find("Mosul", start + 1)) >= 0:
        spans.append(SourceSpan(start, start + len("Mosul") - 1, "LOC"))  # one character short: expanded
    TextCountingDoc.reads = 0
    set_entities(doc, spans, Source("test", "prodigy", Path("x"), MAPPING), ConversionReport())
    assert len(doc.ents) == 300
    assert TextCountingDoc.reads <= 2


def long_text(n_chars: int) -> str:
    return (SENTENCE * (n_chars // len(SENTENCE) + 1))[:n_chars]


def test_document_longer_than_spacys_default_limit_is_converted(tmp_path, read):
    text = long_text(1_100_000)
    last = text.rindex("Mosul")
    spans = [{"start": text.index("Mosul"), "end": text.index("Mosul") + 5, "label": "LOC"}]
    spans.append({"start": last, "end": last + 5, "label": "LOC"})
    path = write_json_lines(tmp_path / "long.jsonl", [{"text": text, "spans": spans}])
    docs, report = read(Source("long", "prodigy", path, MAPPING))
    assert len(docs[0].text) == 1_100_000
    assert ents(docs[0]) == [("Mosul", "LOCATION"), ("Mosul", "LOCATION")]
    assert report.totals()["kept"] == {"LOC": 2}


def _prodigy(folder: Path, texts: list[str]) -> Path:
    return write_json_lines(folder / "tasks.jsonl", [{"text": text, "spans": []} for text in texts])


def _doccano(folder: Path, texts: list[str]) -> Path:
    return write_json_lines(
        folder / "doccano.jsonl", [{"id": i, "text": text, "label": []} for i, text in enumerate(texts)]
    )


def _label_studio(folder: Path, texts: list[str]) -> Path:
    path = folder / "export.json"
    tasks = [{"id": i, "data": {"text": text}, "annotations": [{"result": []}]} for i, text in enumerate(texts)]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def _re3d(folder: Path, texts: list[str]) -> Path:
    documents = [{"_id": f"D{i}", "text": text} for i, text in enumerate(texts)]
    entities = [entity_record(f"D{i}", text, "Mosul", "Location") for i, text in enumerate(texts)]
    write_re3d_source(folder / "re3d", "CENTCOM", documents, entities)
    return folder / "re3d"


def _markup(folder: Path, texts: list[str]) -> Path:
    path = folder / "corpus.md"
    path.write_text("".join(f"## d{i}\n{text}\n\n" for i, text in enumerate(texts)), encoding="utf-8")
    return path


def _brat(folder: Path, texts: list[str]) -> Path:
    for i, text in enumerate(texts):
        (folder / "brat").mkdir(exist_ok=True)
        (folder / "brat" / f"d{i}.txt").write_text(text, encoding="utf-8")
    return folder / "brat"


# format, writer, where the long second document is: (file relative to the source path, line)
OFFSET_FORMATS = [
    ("prodigy", _prodigy, ("", 2)),
    ("doccano", _doccano, ("", 2)),
    ("label_studio", _label_studio, ("", 1)),
    ("re3d", _re3d, ("CENTCOM/documents.json", 2)),
    ("markup", _markup, ("", 4)),
    ("brat", _brat, ("d1.txt", None)),
]


@pytest.mark.parametrize("fmt, write, where", OFFSET_FORMATS, ids=[f[0] for f in OFFSET_FORMATS])
def test_document_over_the_length_limit_is_a_bad_record_with_file_and_line(tmp_path, fmt, write, where):
    nlp = make_nlp()
    nlp.max_length = 300
    path = write(tmp_path, [long_text(200), long_text(400), long_text(250)])
    expected_path = path / where[0] if where[0] else path
    with pytest.raises(CorpusFormatError, match="400 characters, over the limit of 300") as error:
        convert_source(Source("long", fmt, path, MAPPING), nlp, ConversionReport())
    assert (error.value.path, error.value.line) == (expected_path, where[1])

    report = ConversionReport()
    docs = convert_source(Source("long", fmt, path, MAPPING, skip_bad_records=True), nlp, report)
    assert [len(doc.text) for doc in docs] == [200, 250]
    assert [(r["path"], r["line"]) for r in report.bad_records["long"]] == [(str(expected_path), where[1])]


def test_conversion_benchmark_times_one_document_per_format_and_size():
    timings = benchmark(sizes=[2_000, 4_000])
    assert [(t.format, round(t.characters, -3)) for t in timings] == [
        ("prodigy", 2_000),
        ("prodigy", 4_000),
        ("conll", 2_000),
        ("conll", 4_000),
    ]
    assert [t.entities for t in timings] == [3 * len(sentences(size)) for size in (2_000, 4_000)] * 2
    table = markdown_table(timings)
    assert "| format | characters | entities | seconds | µs per character |" in table
    assert table.count("\n| prodigy |") == 2
