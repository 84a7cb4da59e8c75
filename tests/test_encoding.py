"""A byte that is not UTF-8 is a bad record of the reader that meets it, located by file and line."""

import json

import pytest

from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.helpers import ents

MAPPING = {"PER": "PERSON", "LOC": "LOCATION", "WEAPON": "WEAPON"}
BAD = b"Sm\xe9th"  # "Sméth" in Latin-1


def jsonl(*records) -> bytes:
    return b"".join(r if isinstance(r, bytes) else json.dumps(r).encode() + b"\n" for r in records)


def prodigy(text: bytes) -> bytes:
    return b'{"text": "' + text + b'", "spans": []}\n'


def studio(task_id: int, text: bytes) -> bytes:
    return b'{"id": %d, "data": {"text": "%s"}, "annotations": [{"result": []}]}' % (task_id, text)


# format -> (files under tmp_path/<source>, the file and line of the bad byte, the doc_ids kept when skipping)
CASES = {
    "conll": ({"data.conll": b"John\tB-PER\n\n" + BAD + b"\tB-PER\n\nMosul\tB-LOC\n"}, "data.conll", 3, 2),
    "brat-txt": (
        {
            "a.txt": b"First line.\n" + BAD + b" left.",
            "a.ann": b"",
            "b.txt": b"Mosul.",
            "b.ann": b"T1\tLOC 0 5\tMosul\n",
        },
        "a.txt",
        2,
        1,
    ),
    "brat-ann": (
        {"a.txt": b"John Smith left Mosul.", "a.ann": b"T1\tPER 0 10\tJohn " + BAD + b"\nT2\tLOC 16 21\tMosul\n"},
        "a.ann",
        1,
        1,
    ),
    "markup": (
        {"corpus.md": b"## a\nThe [BrahMos](WEAPON) hit.\n## b\nA " + BAD + b" line.\n## c\nIn [Mosul](LOC).\n"},
        "corpus.md",
        4,
        2,
    ),
    "prodigy": ({"data.jsonl": prodigy(b"John") + prodigy(BAD) + prodigy(b"Mosul")}, "data.jsonl", 2, 2),
    "doccano": (
        {"data.jsonl": jsonl({"id": 1, "text": "a"}, b'{"id": 2, "text": "' + BAD + b'"}\n', {"id": 3, "text": "c"})},
        "data.jsonl",
        2,
        2,
    ),
    "re3d": (
        {
            "part/documents.json": jsonl({"_id": "D1", "text": "Mosul."}, b'{"_id": "D2", "text": "' + BAD + b'"}\n'),
            "part/entities.json": jsonl(
                {"documentId": "D1", "begin": 0, "end": 5, "type": "Location", "value": "Mosul", "confidence": 1.0}
            ),
        },
        "part/documents.json",
        2,
        1,
    ),
    "hf_datasets": (
        {
            "data.jsonl": b'{"tokens": ["John"], "ner_tags": ["B-PER"]}\n{"tokens": ["'
            + BAD
            + b'"], "ner_tags": ["B-PER"]}\n'
            b'{"tokens": ["Mosul"], "ner_tags": ["B-LOC"]}\n'
        },
        "data.jsonl",
        1,  # a row is located by its index
        2,
    ),
    "label_studio": (
        {"export.json": b"[\n" + studio(1, b"John") + b",\n" + studio(2, BAD) + b",\n" + studio(3, b"c") + b"\n]\n"},
        "export.json",
        1,  # a Label Studio task is located by its index
        2,
    ),
}


@pytest.fixture
def convert(tmp_path, read, re3d_mapping):
    def run(case, **kwargs):
        files, *_ = CASES[case]
        fmt = case.split("-")[0]
        root = tmp_path / fmt
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        path = root if fmt in ("brat", "re3d") else root / next(iter(files))
        mapping = re3d_mapping if fmt == "re3d" else MAPPING
        return read(Source(fmt, fmt, path, mapping, **kwargs))

    return run


@pytest.mark.parametrize("case", CASES)
def test_a_byte_that_is_not_utf8_stops_the_conversion_naming_file_and_line(tmp_path, convert, case):
    _, name, line, _ = CASES[case]
    with pytest.raises(CorpusFormatError, match="not valid UTF-8: byte 0xE9") as error:
        convert(case)
    assert error.value.path == tmp_path / case.split("-")[0] / name
    assert error.value.line == line


@pytest.mark.parametrize("case", CASES)
def test_skipping_bad_records_skips_only_the_record_with_the_byte_that_is_not_utf8(tmp_path, convert, case):
    _, name, line, n_docs = CASES[case]
    docs, report = convert(case, skip_bad_records=True)
    assert len(docs) == n_docs
    bad = report.to_dict()["bad_records"][case.split("-")[0]]
    assert bad[0]["path"] == str(tmp_path / case.split("-")[0] / name) and bad[0]["line"] == line
    assert bad[0]["reason"].startswith("not valid UTF-8: byte 0xE9")


def test_the_undecodable_byte_is_located_by_its_column(convert):
    with pytest.raises(CorpusFormatError) as error:
        convert("conll")
    assert "column 3" in error.value.reason


def test_brat_span_after_a_skipped_ann_line_is_kept(convert):
    docs, _ = convert("brat-ann", skip_bad_records=True)
    assert ents(docs[0]) == [("Mosul", "LOCATION")]


def test_label_studio_bad_byte_names_the_line_of_the_file(convert):
    with pytest.raises(CorpusFormatError, match="on line 3 of the file"):
        convert("label_studio")


def test_the_column_counts_from_the_start_of_the_line_in_a_label_studio_array(tmp_path, read):
    path = tmp_path / "export.json"
    path.write_bytes(b"[" + studio(1, BAD) + b"]")
    with pytest.raises(CorpusFormatError, match="byte 0xE9 at column 32 on line 1 of the file"):
        read(Source("ls", "label_studio", path, MAPPING))


def test_the_column_counts_leading_spaces_in_markup(tmp_path, read):
    path = tmp_path / "corpus.md"
    path.write_bytes(b"## a\n  " + BAD + b"\n")
    with pytest.raises(CorpusFormatError, match="column 5"):
        read(Source("md", "markup", path, MAPPING))
