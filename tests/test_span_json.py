import json

import pytest
from spacy.tokens import Doc
from spacy.training import Example

from defence_ner.corpora.formats.span_json import (
    write_doccano,
    write_label_studio,
    write_prodigy,
)
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.helpers import ents

MAPPING = {"PER": "PERSON", "WEAPON": "WEAPON", "LOC": "LOCATION"}
TEXT = "John Smith fired an AK-47 near Mosul."
OTHER = "Troops left Mosul."


@pytest.fixture
def convert(tmp_path, read):
    """convert(format, records) -> (docs, report): records written as JSONL (a str is a raw line),
    or as one JSON array for Label Studio (a str is the whole file)."""

    def run(fmt, records, mapping=MAPPING, options=None, **kwargs):
        path = tmp_path / ("export.json" if fmt == "label_studio" else "data.jsonl")
        if fmt == "label_studio":
            path.write_text(records if isinstance(records, str) else json.dumps(records), encoding="utf-8")
        else:
            path.write_text(
                "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8"
            )
        return read(Source("spans-test", fmt, path, mapping, options=options or {}, **kwargs))

    return run


def at(text, value, label):
    start = text.index(value)
    return start, start + len(value), label


def prodigy_task(text=TEXT, spans=(("John Smith", "PER"), ("AK-47", "WEAPON")), **fields):
    offsets = [at(text, value, label) for value, label in spans]
    return {
        "text": text,
        "spans": [{"start": s, "end": e, "label": label} for s, e, label in offsets],
        "_input_hash": 1,
        **fields,
    }


def studio_task(task_id, text=TEXT, spans=(("John Smith", "PER"), ("Mosul", "LOC")), cancelled=False, extra=()):
    result = [
        {"id": f"r{i}", "type": "labels", "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}
        for i, (s, e, label) in enumerate(at(text, value, label) for value, label in spans)
    ]
    return {
        "id": task_id,
        "data": {"text": text},
        "annotations": [{"id": 1, "was_cancelled": cancelled, "result": result + list(extra)}],
    }


def error_location(error, tmp_path, file_name, line):
    return str(error.value).startswith(
        f"{tmp_path / file_name}:{line}: " if line is not None else f"{tmp_path / file_name}: "
    )


# Prodigy


def test_prodigy_accepted_tasks_become_docs_with_ids(convert):
    docs, report = convert(
        "prodigy", [prodigy_task(answer="accept", meta={"id": "doc-7"}), prodigy_task(OTHER, [("Mosul", "LOC")])]
    )
    assert [ents(d) for d in docs] == [[("John Smith", "PERSON"), ("AK-47", "WEAPON")], [("Mosul", "LOCATION")]]
    assert docs[0].user_data == {"doc_id": "doc-7", "source": "spans-test"}
    assert docs[1].user_data["doc_id"] == "data.jsonl:2"
    assert report.totals()["kept"] == {"PER": 1, "WEAPON": 1, "LOC": 1}


def test_prodigy_rejected_and_ignored_tasks_are_left_out_and_counted(convert):
    docs, report = convert(
        "prodigy",
        [
            prodigy_task(answer="reject"),
            prodigy_task(OTHER, [("Mosul", "LOC")], answer="ignore"),
            prodigy_task(answer="accept"),
        ],
    )
    assert [d.user_data["doc_id"] for d in docs] == ["data.jsonl:3"]
    assert report.totals()["raw"] == {"PER": 2, "WEAPON": 2, "LOC": 1}
    assert report.totals()["dropped:task_not_accepted"] == {"PER": 1, "WEAPON": 1, "LOC": 1}
    assert report.to_dict()["notes"]["spans-test"] == [
        "left out 2 task(s) not accepted (ignore: 1, reject: 1); their spans are dropped:task_not_accepted"
    ]


@pytest.mark.parametrize(
    "record, reason",
    [
        ('{"text": "John"', "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({"spans": []}, "missing field"),
        ({"text": 42}, "field 'text' is not a string"),
        ({"text": TEXT, "spans": {"start": 0}}, "field 'spans' is not a list"),
        ({"text": TEXT, "spans": [[0, 4, "PER"]]}, r"span \[0, 4, 'PER'\] is not an object"),
        ({"text": TEXT, "spans": [{"start": -1, "end": 4, "label": "PER"}]}, "invalid offsets start=-1 end=4"),
        ({"text": TEXT, "spans": [{"start": 0, "end": "4", "label": "PER"}]}, "invalid offsets start=0 end='4'"),
        (
            {"text": TEXT, "spans": [{"start": 31, "end": 99, "label": "LOC"}]},
            "offset end=99 is past the end of the text",
        ),
        ({"text": TEXT, "spans": [{"start": 0, "end": 4}]}, "span 0-4 has no label"),
        ({"text": TEXT, "answer": "maybe"}, "answer 'maybe' is not one of accept, reject, ignore"),
        ({"text": TEXT, "meta": "doc-1"}, "field 'meta' is not an object"),
    ],
)
def test_prodigy_bad_record_names_file_and_line(tmp_path, convert, record, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        convert("prodigy", ["", prodigy_task(), record])
    assert error_location(error, tmp_path, "data.jsonl", 3)


def test_prodigy_skip_bad_records_keeps_the_rest(convert):
    bad = {"text": TEXT, "spans": [{"start": 0, "end": 99, "label": "PER"}]}
    docs, report = convert("prodigy", [bad, "not json", prodigy_task()], skip_bad_records=True)
    assert [ents(d) for d in docs] == [[("John Smith", "PERSON"), ("AK-47", "WEAPON")]]
    records = report.to_dict()["bad_records"]["spans-test"]
    assert [r["line"] for r in records] == [1, 2]
    assert records[0]["reason"] == "offset end=99 is past the end of the text (37 characters)"
    assert records[1]["reason"].startswith("invalid JSON")


def test_prodigy_unmapped_label_fails_naming_where_it_is(tmp_path, convert):
    with pytest.raises(CorpusFormatError, match=f"'PLANET' \\(1x, first at {tmp_path / 'data.jsonl'}:1\\)"):
        convert("prodigy", [prodigy_task(spans=[("Mosul", "PLANET")])])


def test_prodigy_partial_source_leaves_tokens_outside_spans_missing(convert):
    docs, _ = convert("prodigy", [prodigy_task(spans=[("AK-47", "WEAPON")])], partial=True)
    example = Example(Doc(docs[0].vocab, words=[t.text for t in docs[0]]), docs[0])
    assert example.get_aligned_ner() == [None, None, None, None, "U-WEAPON", None, None, None]


# doccano


def test_doccano_reads_both_export_shapes(convert):
    old = {"id": 12, "text": TEXT, "label": [list(at(TEXT, "John Smith", "PER")), list(at(TEXT, "Mosul", "LOC"))]}
    new = {
        "text": OTHER,
        "entities": [{"id": 1, "start_offset": 12, "end_offset": 17, "label": "LOC"}],
        "relations": [],
    }
    docs, report = convert("doccano", [old, new, {"text": "Nothing here."}])
    assert [ents(d) for d in docs] == [[("John Smith", "PERSON"), ("Mosul", "LOCATION")], [("Mosul", "LOCATION")], []]
    assert [d.user_data["doc_id"] for d in docs] == ["12", "data.jsonl:2", "data.jsonl:3"]
    assert report.totals()["kept"] == {"PER": 1, "LOC": 2}


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"label": []}, "missing field"),
        ({"text": None, "label": []}, "field 'text' is not a string"),
        ({"text": TEXT, "label": [[0, 4]]}, r"span \[0, 4\] is not \[start, end, label\]"),
        ({"text": TEXT, "label": ["PER"]}, r"span 'PER' is not \[start, end, label\]"),
        ({"text": TEXT, "label": [[4, 4, "PER"]]}, "invalid offsets start=4 end=4"),
        ({"text": TEXT, "label": [[0, 4.0, "PER"]]}, "invalid offsets start=0 end=4.0"),
        ({"text": TEXT, "entities": [{"start_offset": 0, "end_offset": 4}]}, "span 0-4 has no label"),
        ({"text": TEXT, "entities": [{"start_offset": 0, "label": "PER"}]}, "invalid offsets start=0 end=None"),
    ],
)
def test_doccano_bad_record_names_file_and_line(tmp_path, convert, record, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        convert("doccano", [{"text": OTHER}, record])
    assert error_location(error, tmp_path, "data.jsonl", 2)


def test_doccano_skip_bad_records_keeps_the_rest(convert):
    docs, report = convert(
        "doccano",
        [{"text": TEXT, "label": [[0, 4, ""]]}, {"id": "b", "text": OTHER, "label": [[12, 17, "LOC"]]}],
        skip_bad_records=True,
    )
    assert [(d.user_data["doc_id"], ents(d)) for d in docs] == [("b", [("Mosul", "LOCATION")])]
    assert report.to_dict()["bad_records"]["spans-test"][0]["line"] == 1


# Label Studio


def test_label_studio_uses_first_annotation_not_cancelled_and_counts_the_rest(convert):
    relation = {"type": "relation", "from_id": "r0", "to_id": "r1", "direction": "right"}
    task = studio_task(3, spans=[("AK-47", "WEAPON")])
    task["annotations"].insert(0, studio_task(3, spans=[("Mosul", "LOC")], cancelled=True)["annotations"][0])
    task["annotations"][1]["result"].append(relation)
    task["annotations"].append(studio_task(3, spans=[("John Smith", "PER")])["annotations"][0])
    unannotated = {"id": 4, "data": {"text": OTHER}, "annotations": []}
    docs, report = convert("label_studio", [studio_task(1), task, unannotated])
    assert [(d.user_data["doc_id"], ents(d)) for d in docs] == [
        ("1", [("John Smith", "PERSON"), ("Mosul", "LOCATION")]),
        ("3", [("AK-47", "WEAPON")]),
    ]
    assert report.totals()["dropped:not_a_span"] == {"relation": 1}
    assert report.totals()["raw"] == {"PER": 1, "LOC": 1, "WEAPON": 1, "relation": 1}
    assert report.to_dict()["notes"]["spans-test"] == [
        "not used: 1 cancelled annotation(s); 1 annotation(s) after the first that is not cancelled; "
        "1 task(s) without an annotation that is not cancelled, left out"
    ]


def test_label_studio_text_key_option_and_ids_from_index(convert):
    task = studio_task(None)
    del task["id"]
    task["data"] = {"body": task["data"]["text"]}
    docs, _ = convert("label_studio", [task], options={"text_key": "body"})
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]
    assert docs[0].user_data == {"doc_id": "export.json:0", "source": "spans-test"}


def test_label_studio_one_region_with_two_labels_is_two_spans(convert):
    task = studio_task(1, spans=[("Mosul", "LOC")])
    task["annotations"][0]["result"][0]["value"]["labels"] = ["LOC", "PER"]
    docs, report = convert("label_studio", [task])
    assert ents(docs[0]) == [("Mosul", "LOCATION")]
    assert report.totals()["dropped:overlap_tie"] == {"PER": 1}


def test_label_studio_text_that_differs_from_its_offsets_keeps_offsets_and_counts_a_repair(convert):
    task = studio_task(1)
    task["annotations"][0]["result"][0]["value"]["text"] = "Jane Doe"  # the offsets cover "John Smith"
    docs, report = convert("label_studio", [task])
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]
    assert report.totals()["repaired:text_differs_from_offsets"] == {"PER": 1}


def test_label_studio_text_that_matches_or_is_absent_is_no_repair(convert):
    task = studio_task(1)
    del task["annotations"][0]["result"][1]["value"]["text"]
    _, report = convert("label_studio", [task])
    assert "repaired:text_differs_from_offsets" not in report.totals()


def test_label_studio_text_that_is_not_a_string_is_a_bad_record(tmp_path, convert):
    task = studio_task(1)
    task["annotations"][0]["result"][0]["value"]["text"] = 7
    with pytest.raises(CorpusFormatError, match="field 'text' is not a string") as error:
        convert("label_studio", [task])
    assert error_location(error, tmp_path, "export.json", 0)


@pytest.mark.parametrize(
    "task, reason",
    [
        ([], "expected a JSON object"),
        ({"id": 2}, "missing field 'data'"),
        ({"id": 2, "data": {"html": TEXT}}, "missing field 'text'"),
        ({"id": 2, "data": {"text": TEXT}, "annotations": {}}, "field 'annotations' is not a list"),
        ({"id": 2, "data": {"text": TEXT}, "annotations": ["x"]}, "an annotation is not an object"),
        ({"id": 2, "data": {"text": TEXT}, "annotations": [{"result": [{"value": {}}]}]}, "missing field 'type'"),
        (
            {
                "id": 2,
                "data": {"text": TEXT},
                "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 4}}]}],
            },
            "span 0-4 has no labels",
        ),
        (
            {
                "id": 2,
                "data": {"text": TEXT},
                "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 40, "labels": ["PER"]}}]}],
            },
            "offset end=40 is past the end",
        ),
    ],
)
def test_label_studio_bad_task_names_file_and_task_index(tmp_path, convert, task, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        convert("label_studio", [studio_task(1), task])
    assert error_location(error, tmp_path, "export.json", 1)


@pytest.mark.parametrize(
    "content, reason", [('[{"id": 1}', "invalid JSON"), ('{"id": 1}', "expected a JSON array of tasks")]
)
def test_label_studio_unreadable_file_names_the_file(tmp_path, convert, content, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        convert("label_studio", content)
    assert error_location(error, tmp_path, "export.json", None)


def test_label_studio_skip_bad_records_keeps_the_rest(convert):
    docs, report = convert("label_studio", [{"id": 1, "data": {"text": 7}}, studio_task(2)], skip_bad_records=True)
    assert [d.user_data["doc_id"] for d in docs] == ["2"]
    assert [(r["line"], r["reason"]) for r in report.to_dict()["bad_records"]["spans-test"]] == [
        (0, "field 'text' is not a string")
    ]


# Round trips


@pytest.mark.parametrize(
    "fmt, write, file_name",
    [
        ("prodigy", write_prodigy, "out.jsonl"),
        ("doccano", write_doccano, "out.jsonl"),
        ("label_studio", write_label_studio, "out.json"),
    ],
)
def test_write_then_read_gives_the_same_entities(tmp_path, read, convert, fmt, write, file_name):
    docs, _ = convert(
        "prodigy",
        [
            prodigy_task(meta={"id": "a"}),
            prodigy_task(OTHER, [("Mosul", "LOC")], meta={"id": "b"}),
            prodigy_task("Nothing here.", [], meta={"id": "c"}),
        ],
    )
    write(docs, tmp_path / file_name)
    identity = {label: label for label in MAPPING.values()}
    again, report = read(Source("again", fmt, tmp_path / file_name, identity))
    assert [(d.user_data["doc_id"], ents(d)) for d in again] == [(d.user_data["doc_id"], ents(d)) for d in docs]
    assert report.to_dict()["bad_records"] == {}
