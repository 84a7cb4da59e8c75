import json
import random

import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from defence_ner.knowledge_base import knowledge_base_names
from defence_ner.pipeline.augment import (
    create_entity_swap_augmenter,
    gazetteer_names,
    is_name,
    load_gazetteers,
    swap_entities,
)
from tests.helpers import PROJECT_DIR, ents

NAMES = {"ORGANISATION": ["Indian Navy"], "WEAPON": ["S-400"], "MILITARY_PLATFORM": ["USS Gerald R. Ford"]}


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _doc(blank, words, tags):
    return Doc(blank.vocab, words=words, ents=tags, sent_starts=[True] + [False] * (len(words) - 1))


def test_named_mentions_are_swapped_and_class_nouns_and_missing_tokens_kept(blank):
    doc = _doc(
        blank,
        "We said the SDF fired BrahMos missiles from INS Imphal near Raqqa .".split(),
        [
            "B-ORGANISATION",
            "O",
            "B-ORGANISATION",
            "I-ORGANISATION",
            "O",
            "B-WEAPON",
            "B-WEAPON",
            None,
            "B-MILITARY_PLATFORM",
            "I-MILITARY_PLATFORM",
            "O",
            "B-LOCATION",
            "O",
        ],
    )
    swapped = swap_entities(blank, doc, NAMES)
    assert swapped.text.startswith("We said the Indian Navy fired S-400 missiles from USS Gerald R. Ford near Raqqa")
    assert ents(swapped) == [
        ("We", "ORGANISATION"),
        ("the Indian Navy", "ORGANISATION"),
        ("S-400", "WEAPON"),
        ("missiles", "WEAPON"),
        ("USS Gerald R. Ford", "MILITARY_PLATFORM"),
        ("Raqqa", "LOCATION"),
    ]
    assert [t.ent_iob_ for t in swapped if t.text == "from"] == [""]  # it was missing and stays missing


def test_nothing_to_swap_gives_none(blank):
    doc = _doc(blank, "They fired missiles .".split(), ["B-ORGANISATION", "O", "B-WEAPON", "O"])
    assert swap_entities(blank, doc, NAMES) is None


@pytest.mark.parametrize(
    "words, start, end, expected",
    [
        (["Type", "055"], 0, 2, True),  # a digit
        (["We"], 0, 1, False),  # only the sentence's first letter is a capital
        (["the", "SDF"], 0, 2, True),
        (["missiles"], 0, 1, False),
    ],
)
def test_is_name(blank, words, start, end, expected):
    doc = Doc(blank.vocab, words=words, sent_starts=[True] + [False] * (len(words) - 1))
    assert is_name(doc[start:end]) is expected


def test_augmenter_yields_the_original_and_at_level_one_a_swapped_copy(blank, tmp_path):
    (tmp_path / "WEAPON.txt").write_text("S-400\n\nBrahMos\n", encoding="utf-8")
    names = gazetteer_names(tmp_path, ["WEAPON"])
    augment = create_entity_swap_augmenter(names, level=1.0)
    doc = _doc(blank, "Russia fired Kinzhal missiles .".split(), ["B-ORGANISATION", "O", "B-WEAPON", "B-WEAPON", "O"])
    example = Example(blank.make_doc(doc.text), doc)
    random.seed(0)
    out = list(augment(blank, example))
    assert out[0] is example
    assert len(out) == 2 and ents(out[1].reference)[1] in [("S-400", "WEAPON"), ("BrahMos", "WEAPON")]
    assert list(create_entity_swap_augmenter(names, level=0.0)(blank, example)) == [example]


def test_the_team_gazetteers_load_without_duplicates():
    names = load_gazetteers(PROJECT_DIR / "corpus" / "gazetteers")
    assert set(names) == {"WEAPON", "MILITARY_PLATFORM", "ORGANISATION", "OPERATION"}
    for label, entries in names.items():
        assert len(entries) >= 100 and len(set(entries)) == len(entries), label


def test_gazetteer_names_are_those_of_the_configured_labels_and_a_missing_one_is_an_error(tmp_path):
    (tmp_path / "WEAPON.txt").write_text("S-400\n", encoding="utf-8")
    (tmp_path / "LOCATION.txt").write_text("Raqqa\n", encoding="utf-8")
    assert gazetteer_names(tmp_path, ["WEAPON"]) == {"WEAPON": ["S-400"]}
    with pytest.raises(FileNotFoundError, match="OPERATION"):
        gazetteer_names(tmp_path, ["WEAPON", "OPERATION"])


def test_knowledge_base_names_are_its_written_names_per_label(tmp_path):
    record = {"class": "surface-to-air missile system", "country": "RU", "ambiguous": False}
    lines = [
        {**record, "id": "weapon:s-400", "name": "S-400", "aliases": ["SA-21", "S-400s", "S-400 missile system"]},
        {**record, "id": "weapon:pantsir", "name": "Pantsir", "aliases": ["SA-22", "SA-21"]},
        {**record, "id": "org:vks", "name": "VKS", "aliases": ["aerospace forces"], "label": "ORGANISATION"},
    ]
    (tmp_path / "kb.jsonl").write_text(
        "\n".join(json.dumps({"label": "WEAPON", **line}) for line in lines) + "\n", encoding="utf-8"
    )
    # "S-400 missile system" is an alias followed by generic words and "aerospace forces" a class
    # phrase: neither is a name as the corpus annotates one. A name two records share appears once.
    assert knowledge_base_names(tmp_path / "kb.jsonl", ["WEAPON", "ORGANISATION"]) == {
        "WEAPON": ["S-400", "SA-21", "S-400s", "Pantsir", "SA-22"],
        "ORGANISATION": ["VKS"],
    }
    with pytest.raises(ValueError, match="OPERATION"):
        knowledge_base_names(tmp_path / "kb.jsonl", ["OPERATION"])
