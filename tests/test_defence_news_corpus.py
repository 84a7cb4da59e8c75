"""The team's own corpora, as data: big enough, every label covered, and the probe kept apart."""

import re
from collections import Counter

import pytest

from defence_ner.corpora.manifest import load_manifest
from defence_ner.corpora.schema import load_schema
from defence_ner.corpora.split import text_key
from tests.helpers import PROJECT_DIR

SCHEMA = load_schema(PROJECT_DIR / "configs" / "schema.json")


@pytest.fixture(scope="module")
def team_docs(nlp):
    from defence_ner.corpora.conversion_report import ConversionReport
    from defence_ner.corpora.convert import convert_source

    def read(manifest, name):
        source = next(s for s in load_manifest(PROJECT_DIR / "configs" / "corpora" / manifest) if s.name == name)
        source.path = PROJECT_DIR / source.path
        return convert_source(source, nlp, ConversionReport())

    return {
        "train": read("defence.cfg", "defence_news"),
        "wire": read("defence.cfg", "defence_news_wire"),
        "wire_more": read("defence_more_wire.cfg", "defence_news_wire_more"),
        "probe": read("defence_news_probe.cfg", "defence_news_probe"),
        "blind_probe": read("defence_news_blind_probe.cfg", "defence_news_blind_probe"),
    }


def test_training_corpus_has_400_sentences_and_every_label_30_times(team_docs):
    docs = team_docs["train"]
    assert sum(1 for doc in docs for _ in doc.sents) >= 400
    counts = Counter(e.label_ for doc in docs for e in doc.ents)
    assert {label: counts[label] for label in SCHEMA if counts[label] < 30} == {}


def test_wire_copy_corpus_has_250_sentences_and_every_label_5_times(team_docs):
    docs = team_docs["wire"]
    assert sum(1 for doc in docs for _ in doc.sents) >= 250
    counts = Counter(e.label_ for doc in docs for e in doc.ents)
    assert {label: counts[label] for label in SCHEMA if counts[label] < 5} == {}


def test_the_data_levers_manifests_are_the_default_one_without_or_with_one_wire_copy_source():
    def sources(manifest):
        return {s.name: s for s in load_manifest(PROJECT_DIR / "configs" / "corpora" / manifest)}

    default = sources("defence.cfg")
    more = sources("defence_more_wire.cfg")
    assert more.pop("defence_news_wire_more").split == "train"
    assert more == default
    assert default.pop("defence_news_wire").split == "train"
    assert default == sources("defence_without_wire.cfg")


def test_probe_covers_every_label(team_docs):
    counts = Counter(e.label_ for doc in team_docs["probe"] for e in doc.ents)
    assert {label: counts[label] for label in SCHEMA if counts[label] < 5} == {}


@pytest.mark.parametrize("probe", ["probe", "blind_probe"])
def test_no_probe_sentence_is_in_the_training_corpora(team_docs, probe):
    training = team_docs["train"] + team_docs["wire"] + team_docs["wire_more"]
    train_sentences = {text_key(sent.as_doc()) for doc in training for sent in doc.sents}
    shared = [sent.text for doc in team_docs[probe] for sent in doc.sents if text_key(sent.as_doc()) in train_sentences]
    assert shared == []


def test_a_designation_is_the_mention_without_the_generic_noun_after_it(team_docs):
    """ "[F-35A](MILITARY_PLATFORM) jets", not "[F-35A jets]": a weapon or platform span that starts with
    a designation or name does not run on into lower-case words ("cruise missiles"); a calibre keeps
    its noun ("[155mm shells](WEAPON)"), as does a reference ("[the cutter](MILITARY_PLATFORM)")."""

    def ends_in_generic_words(words):
        # Any capital, not only A-Z: "TCG İstanbul" is a name throughout.
        named = [i for i, word in enumerate(words) if any(c.isupper() or c.isdigit() for c in word)]
        return (
            bool(named)
            and words[0] not in ("The", "the", "a", "an")
            and named[-1] < len(words) - 1
            and not re.fullmatch(r"[.\d]+(mm|-calibre)?", words[named[-1]])
        )

    def words(entity):
        # A class noun that opens a sentence ("[Landing craft] checked in ...") is capitalised there only.
        text = entity.text[0].lower() + entity.text[1:] if entity.start == entity.sent.start else entity.text
        return text.split(" ")

    offenders = [
        e.text
        for doc in team_docs["train"] + team_docs["wire"] + team_docs["wire_more"]
        for e in doc.ents
        if e.label_ in ("WEAPON", "MILITARY_PLATFORM") and ends_in_generic_words(words(e))
    ]
    assert offenders == []
