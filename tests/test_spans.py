"""The span policy of defence_ner.corpora.spans, applied to one document's character-offset spans."""

from pathlib import Path

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.manifest import Source
from defence_ner.corpora.spans import SourceSpan, set_entities
from tests.helpers import ents

MAPPING = {"Platform": "MILITARY_PLATFORM", "Location": "LOCATION", "Organisation": "ORGANISATION"}


def entities_of(nlp, text, spans):
    """(entities kept, report) for the spans, given as (start, end, label), on text."""
    doc = nlp.make_doc(text)
    doc.user_data.update({"doc_id": "d", "source": "test"})
    report = ConversionReport()
    set_entities(doc, [SourceSpan(*span) for span in spans], Source("test", "prodigy", Path("x"), MAPPING), report)
    report.check_balanced()
    return ents(doc), report.totals()


def span_of(text, value, label):
    start = text.index(value)
    return start, start + len(value), label


def test_exact_span_beats_a_longer_span_that_was_expanded_to_token_boundaries(nlp):
    text = "HMS Queen Elizabeth in Portsmouth today."
    exact = span_of(text, "HMS Queen Elizabeth", "Platform")
    misplaced = span_of(text, "eth in Portsmouth", "Location")  # expands to "Elizabeth in Portsmouth"
    kept, totals = entities_of(nlp, text, [misplaced, exact])
    assert kept == [("HMS Queen Elizabeth", "MILITARY_PLATFORM")]
    assert totals["dropped:overlap_repaired_span"] == {"Location": 1}
    assert totals["repaired:expanded_to_token_boundaries"] == {"Location": 1}


def test_expanded_spans_still_rank_by_length_among_themselves(nlp):
    text = "HMS Queen Elizabeth in Portsmouth today."
    longer = span_of(text, "eth in Portsmouth", "Location")
    shorter = span_of(text, "zabeth", "Platform")  # both expand onto "Elizabeth"
    kept, totals = entities_of(nlp, text, [shorter, longer])
    assert kept == [("Elizabeth in Portsmouth", "LOCATION")]
    assert totals["dropped:overlap_shorter"] == {"Platform": 1}


def test_span_expanded_to_under_double_its_length_is_kept_as_a_repair(nlp):
    text = "Syrians fled north."
    kept, totals = entities_of(nlp, text, [span_of(text, "Syria", "Location")])
    assert kept == [("Syrians", "LOCATION")]
    assert totals["repaired:expanded_to_token_boundaries"] == {"Location": 1}


def test_spans_inside_one_long_unspaced_token_are_dropped_and_counted(nlp):
    text = "中华人民共和国国防部发言人今天在北京表示将加强合作。"  # the English tokenizer keeps the run as one token
    spans = [span_of(text, "国防部", "Organisation"), span_of(text, "北京", "Location")]
    kept, totals = entities_of(nlp, text, spans)
    assert kept == []
    assert totals["dropped:expansion_too_long"] == {"Organisation": 1, "Location": 1}
    assert "repaired:expanded_to_token_boundaries" not in totals
