"""Helpers the tests share (fixtures live in conftest.py)."""

from pathlib import Path

import spacy
import srsly

PROJECT_DIR = Path(__file__).resolve().parents[1]


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def rules_pipeline():
    """A blank pipeline with the rule component exactly as the transformer config builds it."""
    config = spacy.util.load_config(PROJECT_DIR / "configs" / "transformer.cfg")
    nlp = spacy.blank("en")
    nlp.add_pipe(
        "span_ruler", name="rules", config={k: v for k, v in config["components"]["rules"].items() if k != "factory"}
    )
    nlp.get_pipe("rules").add_patterns(srsly.read_json(PROJECT_DIR / "configs" / "patterns" / "rules.json"))
    return nlp
