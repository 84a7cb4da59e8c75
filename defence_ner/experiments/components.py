"""The ner's predictions scored with the other components of a config as the config is now.

A trained pipeline's trained components (those with a model: the transformer or tok2vec and the ner; and any ruler whose
matches the ner reads, training.annotating_components) run once per set
(`seeds.py predict`), and their entities are kept (defence_ner/experiments/predictions.py). Every other component
(the rules, the knowledge rulers, document consistency) reads only the text and those entities, so it is built and
initialised from the config and run over the kept entities, as `spacy assemble` would with sourced components. A
change to a rule, to the knowledge base or to a component's settings is so measured over seeds in minutes, without
training again and without the trained pipelines. The one thing such a score does not redo is the choice of
model-best, which training made on dev with the components of its day.
"""

from pathlib import Path
from typing import Any

import spacy
from spacy import util
from spacy.language import Language


def trained_components(config: dict[str, Any]) -> list[str]:
    """The pipeline's components that have a model, and those whose annotations they read in training
    (training.annotating_components: the knowledge features' rulers), from its config."""
    read = set(config["training"].get("annotating_components", []))
    return [name for name in config["nlp"]["pipeline"] if "model" in config["components"][name] or name in read]


def load_trained_components(pipeline: Path) -> Language:
    """A trained pipeline with its trained components only: what runs once per set."""
    config = util.load_config(pipeline / "config.cfg")
    trained = trained_components(config)
    return spacy.load(pipeline, exclude=[name for name in config["nlp"]["pipeline"] if name not in trained])


def untrained_pipeline(config_path: Path, overrides: dict[str, Any] | None = None) -> Language:
    """The config's pipeline (overrides applied) without its trained components, built and initialised: the
    components that run after the ner."""
    config = util.load_config(config_path, overrides=overrides or {}, interpolate=True)
    for name in trained_components(config):
        config["nlp"]["pipeline"].remove(name)
        del config["components"][name]
        config["initialize"].get("components", {}).pop(name, None)
    # after_init prepares the trained components for training (defence_ner.freeze_encoder.v1); they are not here.
    config["initialize"]["after_init"] = None
    nlp = util.load_model_from_config(config, auto_fill=True)
    nlp.initialize()
    return nlp
