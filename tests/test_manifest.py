import pytest

from defence_ner.corpora.manifest import load_manifest
from defence_ner.errors import CorpusFormatError
from tests.helpers import PROJECT_DIR


@pytest.fixture(autouse=True)
def in_project(monkeypatch):
    monkeypatch.chdir(PROJECT_DIR)


def test_the_repository_manifests_load_with_path_overrides(tmp_path):
    sources = {
        s.name: s
        for s in load_manifest(PROJECT_DIR / "configs/corpora/defence_fewnerd.cfg", {"paths.fewnerd": str(tmp_path)})
    }
    assert set(sources) == {"re3d", "defence_news", "fewnerd_dev", "fewnerd_test", "fewnerd_big_test"}
    assert sources["defence_news"].format == "markup" and sources["defence_news"].split == "train"
    assert (
        sources["re3d"].split == "documents" and sources["re3d"].min_confidence == 0.5 and not sources["re3d"].partial
    )
    assert sources["fewnerd_dev"].partial and sources["fewnerd_dev"].split == "train"
    assert sources["fewnerd_dev"].path == tmp_path / "dev.txt"
    assert sources["fewnerd_dev"].mapping["product_weapon"] == "WEAPON"
    assert "product_weapon" in sources["fewnerd_big_test"].keep_documents_with
    published = {s.name: s.split for s in load_manifest(PROJECT_DIR / "configs/corpora/published.cfg")}
    assert published == {"published_train": "train_dev", "published_test": "test", "defence_news": "train"}


def test_bad_split_policy_and_mapping_targets_are_refused(tmp_path):
    manifest = tmp_path / "bad.cfg"
    manifest.write_text(
        '[schema]\npath = "configs/schema.json"\n\n[sources]\n\n[sources.x]\nformat = "conll"\npath = "x"\n'
        'mapping = "configs/mappings/re3d.json"\nsplit = "sometimes"\n'
    )
    with pytest.raises(CorpusFormatError, match="split must be one of"):
        load_manifest(manifest)
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"Person": "HUMAN"}')
    manifest.write_text(
        manifest.read_text().replace("configs/mappings/re3d.json", str(mapping)).replace("sometimes", "train")
    )
    with pytest.raises(CorpusFormatError, match="outside the schema: HUMAN"):
        load_manifest(manifest)
