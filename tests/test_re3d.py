import json
import re

import pytest

from defence_ner.corpora.formats.re3d import write_re3d
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.corpora import entity_record, write_re3d_source, write_tiny_re3d
from tests.helpers import ents

TEXT = "The Iraqi Army fired AK-47 rifles at Daesh positions in Raqqa."


@pytest.fixture
def convert(read, re3d_mapping):
    def run(root, **options):
        return read(Source("re3d", "re3d", root, re3d_mapping, min_confidence=0.5, **options))

    return run


def one_document(tmp_path, entities, text=TEXT):
    write_re3d_source(tmp_path, "CENTCOM", [{"_id": "D1", "text": text}], entities)
    return tmp_path


def test_keeps_aligned_entities_with_schema_labels(tmp_path, convert):
    root = one_document(
        tmp_path,
        [
            entity_record("D1", TEXT, "The Iraqi Army", "Organisation"),
            entity_record("D1", TEXT, "AK-47 rifles", "Weapon"),
        ],
    )
    docs, report = convert(root)
    assert ents(docs[0]) == [("The Iraqi Army", "ORGANISATION"), ("AK-47 rifles", "WEAPON")]
    assert docs[0].user_data == {"doc_id": "D1", "source": "re3d", "part": "CENTCOM"}
    assert report.totals()["kept"] == {"Organisation": 1, "Weapon": 1}


def test_drops_low_confidence_and_counts_it(tmp_path, convert):
    root = one_document(
        tmp_path,
        [
            entity_record("D1", TEXT, "Raqqa", "Location", confidence=0.49),
            entity_record("D1", TEXT, "Daesh", "Organisation", confidence=0.5),
        ],
    )
    docs, report = convert(root)
    assert ents(docs[0]) == [("Daesh", "ORGANISATION")]
    assert report.totals()["dropped:low_confidence"] == {"Location": 1}


def test_same_span_two_types_keeps_the_more_confident(tmp_path, convert):
    root = one_document(
        tmp_path,
        [
            entity_record("D1", TEXT, "The Iraqi Army", "Location", confidence=0.6),
            entity_record("D1", TEXT, "The Iraqi Army", "Organisation", confidence=0.9),
        ],
    )
    docs, report = convert(root)
    assert ents(docs[0]) == [("The Iraqi Army", "ORGANISATION")]
    assert report.totals()["dropped:overlap_lower_confidence"] == {"Location": 1}


def test_equal_confidence_overlap_keeps_the_longest(tmp_path, convert):
    root = one_document(
        tmp_path,
        [
            entity_record("D1", TEXT, "Iraqi", "Nationality"),
            entity_record("D1", TEXT, "The Iraqi Army", "Organisation"),
        ],
    )
    docs, report = convert(root)
    assert ents(docs[0]) == [("The Iraqi Army", "ORGANISATION")]
    assert report.totals()["dropped:overlap_shorter"] == {"Nationality": 1}


def test_span_inside_a_token_is_expanded_and_counted(tmp_path, convert):
    text = "Syrians fled north."
    root = one_document(tmp_path, [entity_record("D1", text, "Syria", "Location")], text=text)
    docs, report = convert(root)
    assert ents(docs[0]) == [("Syrians", "LOCATION")]
    assert report.totals()["repaired:expanded_to_token_boundaries"] == {"Location": 1}


def test_span_across_a_line_break_is_dropped_and_counted(tmp_path, convert):
    text = "Boris Johnson\nA spokesman said so."
    root = one_document(tmp_path, [entity_record("D1", text, "Boris Johnson\nA spokesman", "Person")], text=text)
    docs, report = convert(root)
    assert ents(docs[0]) == []
    assert report.totals()["dropped:crosses_line_break"] == {"Person": 1}


def test_offsets_that_miss_the_value_move_to_it(tmp_path, convert):
    record = entity_record("D1", TEXT, "Raqqa", "Location")
    record["begin"], record["end"] = 0, 5
    docs, report = convert(one_document(tmp_path, [record]))
    assert ents(docs[0]) == [("Raqqa", "LOCATION")]
    assert report.totals()["repaired:moved_to_value"] == {"Location": 1}


def test_value_differing_only_in_quotes_keeps_offsets(tmp_path, convert):
    text = "Col. John “J.D.” Dorrian spoke."
    record = entity_record("D1", text, "Col. John “J.D.” Dorrian", "Person")
    record["value"] = "Col. John 'J.D.' Dorrian"
    docs, report = convert(one_document(tmp_path, [record], text=text))
    assert ents(docs[0]) == [("Col. John “J.D.” Dorrian", "PERSON")]
    assert "repaired:moved_to_value" not in report.totals()


@pytest.mark.parametrize(
    "bad_line, reason",
    [
        ('{"documentId": "D1", "begin": 0', "invalid JSON"),
        (
            '{"documentId": "D1", "begin": 0, "end": 999, "type": "Location", "value": "x", "confidence": 1}',
            "past the end of document 'D1'",
        ),
        (
            '{"documentId": "NOPE", "begin": 0, "end": 3, "type": "Location", "value": "The", "confidence": 1}',
            "document id 'NOPE' is not in documents.json",
        ),
        ('{"documentId": "D1", "begin": 0, "type": "Location"}', "missing field(s): end, value, confidence"),
    ],
)
def test_malformed_entities_name_file_and_line(tmp_path, convert, bad_line, reason):
    good = entity_record("D1", TEXT, "Raqqa", "Location")
    root = one_document(tmp_path, [good, bad_line])
    with pytest.raises(CorpusFormatError, match=re.escape(reason)) as error:
        convert(root)
    assert error.value.line == 2
    assert error.value.path == root / "CENTCOM" / "entities.json"
    assert "entities.json:2: " in str(error.value)


def test_unmapped_label_is_an_error_listing_it(tmp_path, convert):
    root = one_document(tmp_path, [entity_record("D1", TEXT, "Raqqa", "Planet")])
    with pytest.raises(CorpusFormatError, match=r"'Planet' \(1x, first at .*entities.json:1\)"):
        convert(root)


def test_every_raw_entity_is_kept_or_counted_as_dropped(tmp_path, convert):
    docs, report = convert(write_tiny_re3d(tmp_path))
    totals = report.totals()
    assert len(docs) == 12
    assert sum(totals["kept"].values()) == sum(len(d.ents) for d in docs)
    assert sum(totals["raw"].values()) == sum(totals["kept"].values())
    assert report.to_dict()["documents"] == {"re3d/Source 0": 4, "re3d/Source 1": 4, "re3d/Source 2": 4}


def test_skip_bad_records_reports_each_and_keeps_the_rest(tmp_path, convert):
    good = entity_record("D1", TEXT, "Raqqa", "Location")
    root = one_document(
        tmp_path,
        [
            good,
            '{"documentId": "D1", "begin": 0',
            entity_record("D1", TEXT, "Daesh", "Organisation") | {"documentId": "NOPE"},
        ],
    )
    docs, report = convert(root, skip_bad_records=True)
    assert ents(docs[0]) == [("Raqqa", "LOCATION")]
    bad = report.to_dict()["bad_records"]["re3d"]
    assert [(r["line"], r["reason"].split(" ")[0]) for r in bad] == [(2, "invalid"), (3, "document")]


def test_sentence_breaks_never_fall_inside_an_entity(tmp_path, convert):
    text = "Gen. Joseph Votel spoke. Troops left."
    docs, _ = convert(one_document(tmp_path, [entity_record("D1", text, "Gen. Joseph Votel", "Person")], text=text))
    assert [s.text for s in docs[0].sents] == ["Gen. Joseph Votel spoke.", "Troops left."]


def test_write_then_read_gives_the_same_documents_per_folder(tmp_path, convert, read):
    docs, _ = convert(write_tiny_re3d(tmp_path / "in"))
    write_re3d(docs, tmp_path / "out")
    identity = {label: label for label in {e.label_ for d in docs for e in d.ents}}
    again, report = read(Source("re3d", "re3d", tmp_path / "out", identity))
    assert [(d.user_data, d.text, ents(d)) for d in again] == [(d.user_data, d.text, ents(d)) for d in docs]
    assert report.bad_records == {}


def test_written_records_have_the_fields_of_the_export(tmp_path, nlp):
    doc = nlp.make_doc(TEXT)
    doc.ents = [doc.char_span(TEXT.index("Raqqa"), TEXT.index("Raqqa") + 5, label="LOCATION")]
    doc.user_data.update({"doc_id": "D1", "source": "test"})
    write_re3d([doc], tmp_path)
    documents = [json.loads(line) for line in (tmp_path / "documents" / "documents.json").read_text().splitlines()]
    entities = [json.loads(line) for line in (tmp_path / "documents" / "entities.json").read_text().splitlines()]
    assert documents == [{"_id": "D1", "text": TEXT}]
    assert entities == [
        {
            "_id": "D1-1",
            "documentId": "D1",
            "begin": 56,
            "end": 61,
            "type": "LOCATION",
            "value": "Raqqa",
            "confidence": 1.0,
        }
    ]
