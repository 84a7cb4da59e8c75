"""A trained pipeline scored with the untrained components of a config as it is now (experiments/components.py)."""

import pytest
import spacy
import srsly
from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc

from defence_ner.docbin import write_docs
from defence_ner.experiments.components import assemble, trained_components
from tests.helpers import PROJECT_DIR

CONFIG = PROJECT_DIR / "configs" / "transformer.cfg"
TEXTS = [
    "Russia held Exercise Zapad 2021 and moved S-400 batteries west.",
    "The USS Carl Vinson sailed from San Diego. Carl Vinson carries F-35C jets and a Widget.",
]


# The project's data folders, wherever the tests run from.
PATHS = {
    "paths.gazetteers": str(PROJECT_DIR / "corpus" / "gazetteers"),
    "paths.knowledge_base": str(PROJECT_DIR / "corpus" / "knowledge_base"),
    "paths.rules": str(PROJECT_DIR / "configs" / "patterns" / "rules.json"),
}


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
    _train(CONFIG, folder, PATHS | {"components.transformer.model.name": str(cased_encoder)})
    return folder / "output" / "model-best"


def _entities(nlp) -> list:
    return [[(e.text, e.label_, e.id_) for e in doc.ents] for doc in nlp.pipe(TEXTS)]


def test_the_trained_components_are_those_with_a_model(trained):
    assert trained_components(trained) == ["transformer", "ner"]


def test_the_same_config_gives_the_trained_pipelines_predictions(trained, tmp_path):
    assembled = assemble(trained, CONFIG, PATHS)
    loaded = spacy.load(trained)
    assert assembled.pipe_names == loaded.pipe_names
    assert _entities(assembled) == _entities(loaded)
    assert ("S-400", "WEAPON") in [(text, label) for text, label, _ in _entities(assembled)[0]]
    assert assembled.get_pipe("ner").model.to_bytes() == loaded.get_pipe("ner").model.to_bytes()


def test_a_changed_rule_file_is_measured_without_training_again(trained, tmp_path):
    rules = srsly.read_json(PROJECT_DIR / "configs" / "patterns" / "rules.json")
    srsly.write_json(tmp_path / "rules.json", [*rules, {"label": "WEAPON", "pattern": "Widget", "id": "widget"}])
    assembled = assemble(trained, CONFIG, PATHS | {"paths.rules": str(tmp_path / "rules.json")})
    doc = assembled(TEXTS[1])
    assert ("Widget", "WEAPON") in [(span.text, span.label_) for span in doc.spans["rules"]]
    as_trained = spacy.load(trained)(TEXTS[1])
    assert "Widget" not in [span.text for span in as_trained.spans["rules"]]
    assert assembled.get_pipe("ner").model.to_bytes() == spacy.load(trained).get_pipe("ner").model.to_bytes()


def test_a_pipeline_without_the_knowledge_components_keeps_the_trained_ones(trained, tmp_path):
    assembled = assemble(trained, CONFIG, PATHS | {"nlp.pipeline": ["transformer", "ner", "rules"]})
    assert assembled.pipe_names == ["transformer", "ner", "rules"]
    assert "knowledge" not in assembled(TEXTS[0]).spans


def test_a_config_without_a_trained_component_is_refused(trained, tmp_path):
    with pytest.raises(ValueError, match=r"its pipeline has no \['ner'\]"):
        assemble(trained, CONFIG, PATHS | {"nlp.pipeline": ["transformer", "rules"]})


def test_a_pipeline_of_trained_components_only_comes_back_as_trained(tmp_path):
    config = PROJECT_DIR / "configs" / "cnn.cfg"
    _train(config, tmp_path, {})
    assembled = assemble(tmp_path / "output" / "model-best", config)
    loaded = spacy.load(tmp_path / "output" / "model-best")
    assert assembled.pipe_names == loaded.pipe_names == ["tok2vec", "ner"]
    assert _entities(assembled) == _entities(loaded)
