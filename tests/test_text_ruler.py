"""The rulers' factory: spaCy's span_ruler, with phrase patterns made by the tokenizer alone."""

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.util import load_config

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


# The knowledge ruler's settings as configured.
KNOWLEDGE = load_config(Path(__file__).parents[1] / "configs" / "transformer.cfg", interpolate=False)["components"]
VARIANTS = {key: KNOWLEDGE["knowledge"][key] for key in ("variant_suffix", "variant_free_ids")}


def found(nlp, text):
    doc = nlp(text)  # held: a span group needs its doc alive
    return [(s.text, s.id_) for s in doc.spans["ruler"]]


def test_a_suffix_the_tokenizer_splits_off_as_a_unit_still_makes_a_variant():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("text_span_ruler", config=VARIANTS)
    ruler.add_patterns(
        [
            {"label": "WEAPON", "pattern": "AIM-9", "id": "weapon:aim-9"},
            {"label": "MILITARY_PLATFORM", "pattern": "T-90", "id": "platform:t-90"},
        ]
    )
    doc = nlp("AIM-9M and T-90M tanks, a T-90 M, AIM-9 missiles, 5M rounds.")
    assert [t.text for t in doc][:2] == ["AIM-9", "M"]  # English's tokenizer reads "M" as a unit, as in "5M"
    assert found(nlp, doc.text) == [
        ("AIM-9", "weapon:aim-9"),
        ("AIM-9M", "weapon:aim-9"),
        ("T-90", "platform:t-90"),
        ("T-90M", "platform:t-90"),
        ("T-90", "platform:t-90"),  # a space before the letter: no variant
        ("AIM-9", "weapon:aim-9"),
    ]


def test_a_designation_also_matches_its_unlisted_variants_and_plurals_where_configured(tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("text_span_ruler", config=VARIANTS)
    ruler.add_patterns(
        [
            {"label": "MILITARY_PLATFORM", "pattern": "Su-35", "id": "platform:su-35"},
            {"label": "MILITARY_PLATFORM", "pattern": "Su-35S Flanker", "id": "platform:su-35"},
            {"label": "WEAPON", "pattern": "AIM-120", "id": "weapon:aim-120"},
            {"label": "WEAPON", "pattern": "AIM-120D", "id": "weapon:aim-120d"},
            {"label": "MILITARY_PLATFORM", "pattern": "Type 052", "id": "class:type-052"},
            {"label": "WEAPON", "pattern": "Storm Shadow", "id": "weapon:storm-shadow"},
        ]
    )
    text = (
        "Su-35S jets, Su-35s, an AIM-120D3, an AIM-120C-8, an AIM-120D, a Type 052D, Type 052s, Su-35x, Storm Shadows."
    )
    expected = [
        ("Su-35S", "platform:su-35"),
        ("Su-35s", "platform:su-35"),
        ("AIM-120D3", "weapon:aim-120"),
        ("AIM-120C-8", "weapon:aim-120"),  # a hyphen and a digit after the letters, as DSCA writes sub-variants
        ("AIM-120D", "weapon:aim-120d"),  # a listed alias: its own record, not a variant of another
    ]
    assert found(nlp, text) == expected
    nlp.to_disk(tmp_path / "pipeline")
    assert found(spacy.load(tmp_path / "pipeline"), text) == expected

    ruler.add_patterns([{"label": "WEAPON", "pattern": "Storm Shadow 2", "id": "weapon:storm-shadow"}])
    assert found(nlp, "Storm Shadow 2B")[-1] == ("Storm Shadow 2B", "weapon:storm-shadow")  # the index follows
    ruler.remove_by_id("weapon:storm-shadow")
    assert found(nlp, "Storm Shadow 2B") == []
    plain = spacy.blank("en")
    plain.add_pipe("text_span_ruler").add_patterns(ruler.patterns)
    assert found(plain, text) == [("AIM-120D", "weapon:aim-120d")]  # pipelines saved before the settings
