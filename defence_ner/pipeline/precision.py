"""Run the transformer encoder in a cheaper number format on the CPU: bf16 weights or int8 dynamic quantization, or
`auto`: bf16 where the CPU has native bf16 instructions, fp32 where it would emulate them (several times slower).

The `encoder_precision` component goes first in a pipeline and changes the encoder of the
`transformer` component the first time a document passes, that is after the weights are loaded.
This file is self-contained (spaCy and torch only, and its sibling registration.py) so that `spacy package --code` can
ship it.
Switch back at load time: spacy.load(name, config={"components": {"encoder_precision": {"precision": "fp32"}}}).
"""

from typing import Any

import torch
from spacy.language import Language
from spacy.tokens import Doc

try:
    from .registration import factory
except ImportError:  # `spacy package` imports each --code file on its own, outside any package
    factory = Language.factory

PRECISIONS = ("auto", "fp32", "bf16", "int8")
# torch's checks for the CPU instructions that compute in bf16 (private, hence looked up, not imported): AVX512-BF16
# and AMX. Without them bf16 is emulated, several times slower than fp32 (the fp32 and bf16 rows of metrics/speed.md,
# measured on AVX2).
NATIVE_BF16_CHECKS = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")


@factory("encoder_precision", default_config={"precision": "fp32", "transformer": "transformer"})
def make_encoder_precision(nlp: Language, name: str, precision: str, transformer: str) -> "EncoderPrecision":
    if precision not in PRECISIONS:
        raise ValueError(f"encoder_precision: precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    return EncoderPrecision(nlp, precision, transformer)


class EncoderPrecision:
    def __init__(self, nlp: Language, precision: str, transformer: str):
        self.nlp, self.precision, self.transformer, self.applied = nlp, precision, transformer, False

    def __call__(self, doc: Doc) -> Doc:
        if not self.applied:
            set_encoder_precision(self.nlp, self.precision, self.transformer)
            self.applied = True
        return doc


def set_encoder_precision(nlp: Language, precision: str, transformer: str = "transformer") -> None:
    """Cast the encoder's weights to bf16, or quantize its Linear layers to int8; fp32 leaves it as trained, and auto
    is bf16 or fp32 as resolved_precision says."""
    precision = resolved_precision(precision)
    if precision == "fp32":
        return
    hf_model = hugging_face_model(nlp, transformer)
    if precision == "bf16":
        hf_model.transformer.to(torch.bfloat16)
        # spacy-transformers converts the outputs to numpy, which has no bf16
        hf_model.transformer.register_forward_hook(outputs_to_float32)
    else:
        hf_model.transformer = torch.ao.quantization.quantize_dynamic(
            hf_model.transformer, {torch.nn.Linear}, dtype=torch.qint8
        )


def resolved_precision(precision: str) -> str:
    """The precision the encoder runs in on this CPU: auto is bf16 where the CPU computes in bf16 natively, fp32
    elsewhere; any other precision is itself."""
    if precision != "auto":
        return precision
    native = any(getattr(torch.cpu, check, lambda: False)() for check in NATIVE_BF16_CHECKS)
    return "bf16" if native else "fp32"


def hugging_face_model(nlp: Language, transformer: str = "transformer") -> Any:
    """The transformer component's Hugging Face objects (spacy-transformers' HFObjects, held by its model's shim):
    `.transformer` is the encoder's torch module, `.tokenizer` its tokenizer."""
    return nlp.get_pipe(transformer).model.layers[0].shims[0]._hfmodel


def outputs_to_float32(module, inputs, outputs):
    for key, value in outputs.items():
        if torch.is_tensor(value) and value.dtype == torch.bfloat16:
            outputs[key] = value.float()
    return outputs
