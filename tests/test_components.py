"""The trained components' kept entities scored with the untrained components of a config as it is now
(experiments/components.py, experiments/predictions.py)."""

import pytest
import spacy
import srsly
from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc

from defence_ner.docbin import write_docs
from defence_ner.errors import CorpusFormatError
from defence_ner.experiments.components import load_trained_components, trained_components, untrained_pipeline
from defence_ner.experiments.predictions import read_predictions, write_predictions
from tests.helpers import DATA_PATHS, PROJECT_DIR

CONFIG = PROJECT_DIR / "configs" / "transformer.cfg"
TEXTS = [
    "Russia held Exercise Zapad 2021 and moved S-400 batteries west.",
    "The USS Carl Vinson sailed from San Diego. Carl Vinson carries F-35C jets and a Widget.",
]


def _train(config, folder, overrides) -> None:
    nlp = spacy.blank("en")
    words = "The frigate HMS Kent fired a Sea Ceptor missile near Oman .".split()
    doc = Doc(
        nlp.vocab,
        words=words,
        ents=["O", "O", "B-MILITARY_PLATFORM", "I-MILITARY_PLATFORM", "O", "O"]
        + ["B-WEAPON", "I-WEAPON", "O", "O", "B-LOCATION", "O"],
    )
    write_docs([doc] * 4, folder / "train.spacy")
    data = {"paths.train": str(folder / "train.spacy"), "paths.dev": str(folder / "train.spacy")}
    steps = {"training.max_steps": 2, "training.eval_frequency": 1}
    spacy_train(config, folder / "output", use_gpu=-1, overrides=overrides | data | steps)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, cased_encoder):
    """configs/transformer.cfg trained for two steps on a tiny encoder: its model-best."""
    folder = tmp_path_factory.mktemp("components")
    _train(CONFIG, folder, DATA_PATHS | {"components.transformer.model.name": str(cased_encoder)})
    return folder / "output" / "model-best"


def _kept(trained, tmp_path) -> list[Doc]:
    """The trained components' entities on TEXTS, written and read back as `seeds.py predict` and `report` do."""
    nlp = load_trained_components(trained)
    docs = list(nlp.pipe(TEXTS))
    write_predictions(tmp_path / "kept.jsonl", docs)
    return read_predictions(tmp_path / "kept.jsonl", docs)


def _entities(docs) -> list:
    return [[(e.text, e.label_, e.id_) for e in doc.ents] for doc in docs]


def test_the_trained_components_are_those_with_a_model(trained):
    assert trained_components(spacy.util.load_config(trained / "config.cfg")) == ["transformer", "ner"]
    assert load_trained_components(trained).pipe_names == ["transformer", "ner"]


def test_kept_entities_with_the_same_config_give_the_trained_pipelines_predictions(trained, tmp_path):
    untrained = untrained_pipeline(CONFIG, DATA_PATHS)
    assert untrained.pipe_names == ["rules", "knowledge", "knowledge_ambiguous", "consistency"]
    rescored = list(untrained.pipe(_kept(trained, tmp_path)))
    loaded = spacy.load(trained)
    assert _entities(rescored) == _entities(loaded.pipe(TEXTS))
    assert ("S-400", "WEAPON") in [(text, label) for text, label, _ in _entities(rescored)[0]]


def test_a_changed_rule_file_is_measured_without_training_again(trained, tmp_path):
    rules = srsly.read_json(PROJECT_DIR / "configs" / "patterns" / "rules.json")
    srsly.write_json(tmp_path / "rules.json", [*rules, {"label": "WEAPON", "pattern": "Widget", "id": "widget"}])
    untrained = untrained_pipeline(CONFIG, DATA_PATHS | {"paths.rules": str(tmp_path / "rules.json")})
    doc = untrained(_kept(trained, tmp_path)[1])
    assert ("Widget", "WEAPON") in [(span.text, span.label_) for span in doc.spans["rules"]]
    as_trained = spacy.load(trained)(TEXTS[1])
    assert "Widget" not in [span.text for span in as_trained.spans["rules"]]


def test_a_pipeline_without_the_knowledge_components_runs_the_rest(trained, tmp_path):
    untrained = untrained_pipeline(CONFIG, DATA_PATHS | {"nlp.pipeline": ["transformer", "ner", "rules"]})
    assert untrained.pipe_names == ["rules"]
    assert "knowledge" not in untrained(_kept(trained, tmp_path)[0]).spans


def test_the_ner_alone_is_its_kept_entities(trained, tmp_path):
    untrained = untrained_pipeline(CONFIG, DATA_PATHS | {"nlp.pipeline": ["transformer", "ner"]})
    assert untrained.pipe_names == []
    kept = _kept(trained, tmp_path)
    as_trained = load_trained_components(trained).pipe(TEXTS)
    assert _entities(untrained.pipe(kept)) == _entities(as_trained)


def test_a_pipeline_of_trained_components_only_has_nothing_to_rescore(tmp_path):
    config = PROJECT_DIR / "configs" / "cnn.cfg"
    _train(config, tmp_path, {})
    pipeline = tmp_path / "output" / "model-best"
    assert load_trained_components(pipeline).pipe_names == ["tok2vec", "ner"]
    assert untrained_pipeline(config).pipe_names == []


def test_kept_entities_on_another_version_of_the_set_are_refused_by_file_and_line(tmp_path):
    nlp = spacy.blank("en")
    docs = [nlp.make_doc("Russia moved S-400 batteries."), nlp.make_doc("The Kh-101 struck Kyiv.")]
    docs[1].ents = [docs[1].char_span(4, 10, label="WEAPON")]
    write_predictions(tmp_path / "kept.jsonl", docs)
    assert _entities(read_predictions(tmp_path / "kept.jsonl", docs)) == [[], [("Kh-101", "WEAPON", "")]]
    changed = [docs[0], nlp.make_doc("The Kh-101 struck Lviv.")]
    with pytest.raises(CorpusFormatError, match=r"kept\.jsonl:2: the document's words differ"):
        read_predictions(tmp_path / "kept.jsonl", changed)
    with pytest.raises(CorpusFormatError, match=r"kept\.jsonl: 2 documents, but the set has 1"):
        read_predictions(tmp_path / "kept.jsonl", docs[:1])
    (tmp_path / "kept.jsonl").write_text('{"words": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"kept\.jsonl:1: not a predictions line"):
        read_predictions(tmp_path / "kept.jsonl", docs)
