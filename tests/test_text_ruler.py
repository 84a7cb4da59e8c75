"""The rulers' factory: spaCy's span_ruler, with phrase patterns made by the tokenizer alone."""

import pytest
import spacy
from spacy.language import Language

import defence_ner  # noqa: F401  (registers text_span_ruler)

PATTERNS = [
    {"label": "WEAPON", "pattern": "S-400", "id": "weapon:s-400"},
    {"label": "OPERATION", "pattern": [{"TEXT": "Exercise"}, {"IS_TITLE": True}]},
]
TEXT = "The S-400 fired during Exercise Zapad."
# Stands in for the transformer and ner before the rulers: it records every document it is given.
SEEN: list[str] = []


@Language.component("records_documents")
def records_documents(doc):
    SEEN.append(doc.text)
    return doc


def pipeline(factory: str) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("records_documents")
    nlp.add_pipe(factory, name="knowledge", config={"spans_key": "knowledge", "annotate_ents": True})
    return nlp


def test_spacys_span_ruler_runs_the_components_before_it_over_its_phrase_patterns():
    SEEN.clear()
    pipeline("span_ruler").get_pipe("knowledge").add_patterns(PATTERNS)
    assert SEEN == ["S-400"]


def test_text_span_ruler_makes_phrase_patterns_with_the_tokenizer_alone_and_matches_the_same(tmp_path):
    SEEN.clear()
    nlp = pipeline("text_span_ruler")
    nlp.get_pipe("knowledge").add_patterns(PATTERNS)
    assert SEEN == []
    doc = nlp(TEXT)
    expected = [("S-400", "WEAPON", "weapon:s-400"), ("Exercise Zapad", "OPERATION", "")]
    assert [(s.text, s.label_, s.id_) for s in doc.spans["knowledge"]] == expected
    assert [(e.text, e.label_) for e in doc.ents] == [(text, label) for text, label, _ in expected]
    assert SEEN == [TEXT]

    SEEN.clear()
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert SEEN == []  # loading re-adds the patterns, still without the components before the ruler
    reloaded = loaded(TEXT)
    assert SEEN == [TEXT]  # the components before the ruler are back on once the patterns are in
    assert [(s.text, s.label_, s.id_) for s in reloaded.spans["knowledge"]] == expected
    SEEN.clear()
    assert spacy.load(tmp_path / "pipeline", disable=["records_documents"]).disabled == ["records_documents"]
    assert SEEN == []


def test_text_span_ruler_initialized_with_patterns_as_the_project_config_does():
    SEEN.clear()
    nlp = pipeline("text_span_ruler")
    nlp.get_pipe("knowledge").initialize(lambda: [], nlp=nlp, patterns=PATTERNS)
    assert SEEN == []
    doc = nlp(TEXT)
    assert [s.text for s in doc.spans["knowledge"]] == ["S-400", "Exercise Zapad"]


@pytest.mark.parametrize("attribute", ["LOWER", "lower", "ORTH", None])
def test_text_span_ruler_takes_the_tokenizers_attributes(attribute):
    nlp = spacy.blank("en")
    nlp.add_pipe("text_span_ruler", config={"phrase_matcher_attr": attribute}).add_patterns(PATTERNS[:1])
    doc = nlp("The s-400 and the S-400")
    found = [s.text for s in doc.spans["ruler"]]
    assert found == (["s-400", "S-400"] if attribute in ("LOWER", "lower") else ["S-400"])


def test_text_span_ruler_refuses_an_attribute_a_component_sets():
    with pytest.raises(ValueError, match="phrase_matcher_attr must name one the tokenizer sets.*'LEMMA'"):
        spacy.blank("en").add_pipe("text_span_ruler", config={"phrase_matcher_attr": "LEMMA"})
