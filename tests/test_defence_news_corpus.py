"""The team's own corpora, as data: big enough, every label covered, and the probe kept apart."""

from collections import Counter

import pytest
from conftest import PROJECT_DIR

from defence_ner.schema import load_schema
from defence_ner.sources import load_manifest
from defence_ner.split import text_key

SCHEMA = load_schema(PROJECT_DIR / "configs" / "schema.json")


@pytest.fixture(scope="module")
def team_docs(nlp):
    from defence_ner.convert import convert_source
    from defence_ner.report import ConversionReport

    def read(manifest, name):
        source = next(s for s in load_manifest(PROJECT_DIR / "configs" / "corpora" / manifest) if s.name == name)
        source.path = PROJECT_DIR / source.path
        return convert_source(source, nlp, ConversionReport())

    return {"train": read("defence.cfg", "defence_news"), "probe": read("defence_news_probe.cfg", "defence_news_probe")}


def test_training_corpus_has_400_sentences_and_every_label_30_times(team_docs):
    docs = team_docs["train"]
    assert sum(1 for doc in docs for _ in doc.sents) >= 400
    counts = Counter(e.label_ for doc in docs for e in doc.ents)
    assert {label: counts[label] for label in SCHEMA if counts[label] < 30} == {}


def test_probe_covers_every_label(team_docs):
    counts = Counter(e.label_ for doc in team_docs["probe"] for e in doc.ents)
    assert {label: counts[label] for label in SCHEMA if counts[label] < 5} == {}


def test_no_probe_sentence_is_in_the_training_corpus(team_docs):
    train_sentences = {text_key(sent.as_doc()) for doc in team_docs["train"] for sent in doc.sents}
    shared = [sent.text for doc in team_docs["probe"] for sent in doc.sents if text_key(sent.as_doc()) in train_sentences]
    assert shared == []
