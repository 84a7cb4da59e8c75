"""The typographic tokenizer (defence_ner/pipeline/tokenizer.py), alone and in the configured pipelines."""

import pickle

import pytest
import spacy

from defence_ner.corpora.convert import make_nlp
from defence_ner.experiments.components import untrained_pipeline
from defence_ner.pipeline.tokenizer import TypographicTokenizer
from tests.helpers import DATA_PATHS, PROJECT_DIR

TYPOGRAPHIC = (
    "The Type\u00a0055 sailed for Exercise\u00a0Talisman Sabre as Russia fired Kh\u201147M2 Kinzhal missiles; "
    "$1.2\u202fbillion for Burke\u2010class ships."
)
ASCII = (
    "The Type 055 sailed for Exercise Talisman Sabre as Russia fired Kh-47M2 Kinzhal missiles; "
    "$1.2 billion for Burke-class ships."
)


def typographic_nlp():
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "defence_ner.typographic_tokenizer.v1"}}})


def test_typographic_spaces_and_hyphens_tokenize_as_the_ascii_ones_at_the_inputs_offsets():
    doc = typographic_nlp()(TYPOGRAPHIC)
    assert [t.text for t in doc] == [t.text for t in spacy.blank("en")(ASCII)]
    assert doc.text == ASCII
    assert TYPOGRAPHIC[doc[1].idx : doc[2].idx + len(doc[2])] == "Type\u00a0055"
    # spaCy's own tokenizer makes the no-break space a token inside the name
    assert [t.text for t in spacy.blank("en")("Type\u00a0055")] == ["Type", "\u00a0", "055"]


def test_newlines_tabs_dashes_and_other_characters_are_kept():
    text = "2021\u20132025:\n\tthe\u200bend \u2014 \u2212 5"
    assert typographic_nlp()(text).text == text


def test_the_tokenizer_is_kept_when_saved_loaded_and_pickled(tmp_path):
    nlp = typographic_nlp()
    nlp.to_disk(tmp_path)
    for copy in (spacy.load(tmp_path), pickle.loads(pickle.dumps(nlp))):
        assert isinstance(copy.tokenizer, TypographicTokenizer)
        assert [t.text for t in copy("Type\u00a0055")] == ["Type", "055"]
    # the model card's way back to spaCy's own tokenizer
    default = spacy.load(tmp_path, config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    assert [t.text for t in default("Type\u00a0055")] == ["Type", "\u00a0", "055"]


@pytest.mark.parametrize("config", ["transformer.cfg", "cnn.cfg"])
def test_both_recipes_tokenize_with_it(config):
    tokenizer = spacy.util.load_config(PROJECT_DIR / "configs" / config)["nlp"]["tokenizer"]
    assert tokenizer == {"@tokenizers": "defence_ner.typographic_tokenizer.v1"}


def test_the_configured_components_find_names_written_with_typographic_characters():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    typographic, ascii_text = nlp(TYPOGRAPHIC), nlp(ASCII)
    assert [(e.start_char, e.end_char, e.label_) for e in typographic.ents] == [
        (e.start_char, e.end_char, e.label_) for e in ascii_text.ents
    ]
    found = [(TYPOGRAPHIC[e.start_char : e.end_char], e.label_) for e in typographic.ents]
    assert ("Kh\u201147M2 Kinzhal", "WEAPON") in found and ("Exercise\u00a0Talisman Sabre", "OPERATION") in found


SENTENCE_END_DESIGNATIONS = (
    "It flies the F-35B. China built a Type 052D. The U.S. Navy held Strait Thunder-2025A. No. 5 Dec. 3"
)


def test_a_designation_ending_a_sentence_leaves_its_period_a_token_of_its_own():
    tokens = [t.text for t in typographic_nlp()(SENTENCE_END_DESIGNATIONS)]
    assert tokens[3:5] == ["F-35B", "."] and tokens[9:11] == ["052D", "."] and "Thunder-2025A" in tokens
    # abbreviations keep their periods
    assert "U.S." in tokens and "Dec." in tokens
    # spaCy's own suffixes keep the period in the designation's token
    assert "F-35B." in [t.text for t in spacy.blank("en")(SENTENCE_END_DESIGNATIONS)]


def test_the_converter_tokenizes_with_the_pipelines_suffixes():
    text = SENTENCE_END_DESIGNATIONS
    assert [t.text for t in make_nlp().make_doc(text)] == [t.text for t in typographic_nlp()(text)]


def test_the_configured_components_find_a_designation_that_ends_a_sentence():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    found = [(e.text, e.label_) for e in nlp("The carrier will operate the F-35B. Russia fired the Kh-47M2.").ents]
    assert ("F-35B", "MILITARY_PLATFORM") in found and ("Kh-47M2", "WEAPON") in found
