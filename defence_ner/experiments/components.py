"""A trained pipeline scored with the components of a config as the config is now.

The trained components (those with a model: the transformer or tok2vec and the ner) come from the trained pipeline;
every other one (the rules, the knowledge rulers, document consistency) is built and initialised from the config, as
`spacy assemble` does with sourced components. A change to a rule, to the knowledge base or to a component's settings
is so measured over seeds without training again. The one thing such a score does not redo is the choice of
model-best, which training made on dev with the components of its day.
"""

from pathlib import Path
from typing import Any

from spacy import util
from spacy.language import Language


def trained_components(pipeline: Path) -> list[str]:
    """The pipeline's components that have a model, from its saved config."""
    config = util.load_config(pipeline / "config.cfg")
    return [name for name in config["nlp"]["pipeline"] if "model" in config["components"][name]]


def assemble(pipeline: Path, config_path: Path, overrides: dict[str, Any] | None = None) -> Language:
    """The config's pipeline (overrides applied) with its trained components sourced from pipeline and the others
    built and initialised from the config."""
    config = util.load_config(config_path, overrides=overrides or {}, interpolate=True)
    trained = trained_components(pipeline)
    if missing := [name for name in trained if name not in config["nlp"]["pipeline"]]:
        raise ValueError(f"{config_path}: its pipeline has no {missing}, which {pipeline} trained")
    for name in trained:
        config["components"][name] = {"source": str(pipeline)}
    nlp = util.load_model_from_config(config, auto_fill=True)
    # The listeners of the sourced ner must find the sourced transformer before the others initialise.
    nlp._link_components()
    with nlp.select_pipes(disable=trained):
        nlp.initialize()
    return nlp
