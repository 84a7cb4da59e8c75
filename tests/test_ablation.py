import pytest
import spacy
import srsly
from spacy.tokens import Doc

from defence_ner.docbin import write_docs
from defence_ner.experiments.ablation import Row, load_ablation, markdown_table, score_row, training_inputs
from tests.helpers import PROJECT_DIR


def _spec(tmp_path, rows):
    path = tmp_path / "ablation.json"
    srsly.write_json(
        path,
        {
            "sets": {"dev": "{corpus_dir}/dev.spacy", "test": "{corpus_dir}/test.spacy"},
            "unannotated": {"test": ["OPERATION"]},
            "rows": rows,
        },
    )
    return path


ROW = {
    "name": "a",
    "lever": "base",
    "config": "c.cfg",
    "train": "{corpus_dir}/train.spacy",
    "overrides": {"training.max_steps": 5},
    "exclude": ["rules"],
}


def test_rows_with_the_same_training_share_one_model(tmp_path):
    ablation = load_ablation(
        _spec(
            tmp_path,
            [ROW, {**ROW, "name": "b", "exclude": []}, {**ROW, "name": "c", "overrides": {"training.max_steps": 9}}],
        ),
        "data",
    )
    assert [ablation.model_row(r).name for r in ablation.rows] == ["a", "a", "c"]
    assert ablation.rows[0].train == "data/train.spacy" and ablation.sets["dev"] == "data/dev.spacy"


def test_training_inputs_change_with_the_content_of_every_file_the_config_reads(tmp_path):
    names = tmp_path / "gazetteers"
    names.mkdir()
    (names / "WEAPON.txt").write_text("BrahMos\n")
    for name in ("train.spacy", "dev.spacy"):
        (tmp_path / name).write_bytes(b"docs")
    config = tmp_path / "c.cfg"
    config.write_text(
        f'[paths]\ntrain = null\ndev = null\ngazetteers = "{names}"\nvectors = null\n\n[training]\nmax_steps = 5\n'
    )
    row = Row("a", "base", str(config), str(tmp_path / "train.spacy"))
    inputs = training_inputs(row, str(tmp_path / "dev.spacy"))
    assert sorted(inputs) == ["config", "dev", "gazetteers", "train"]
    assert training_inputs(row, str(tmp_path / "dev.spacy")) == inputs
    (names / "WEAPON.txt").write_text("BrahMos\nHIMARS\n")
    changed = training_inputs(row, str(tmp_path / "dev.spacy"))
    assert changed["gazetteers"] != inputs["gazetteers"] and {
        k: v for k, v in changed.items() if k != "gazetteers"
    } == {k: v for k, v in inputs.items() if k != "gazetteers"}
    config.write_text("# A comment changes nothing spaCy reads.\n" + config.read_text())
    assert training_inputs(row, str(tmp_path / "dev.spacy")) == changed
    config.write_text(config.read_text().replace("max_steps = 5", "max_steps = 6"))
    assert training_inputs(row, str(tmp_path / "dev.spacy"))["config"] != changed["config"]


def test_row_names_must_be_unique(tmp_path):
    with pytest.raises(ValueError, match="unique"):
        load_ablation(_spec(tmp_path, [ROW, ROW]), "data")


def test_the_project_spec_loads_and_every_row_trains_a_config_that_exists():
    ablation = load_ablation(PROJECT_DIR / "configs" / "ablation.json", "corpus")
    assert [r.name for r in ablation.rows][0] == "re3d"
    assert all((PROJECT_DIR / r.config).is_file() for r in ablation.rows)


def test_score_row_leaves_out_excluded_components_and_unannotated_labels(tmp_path):
    """A pipeline of the rule component alone, scored with and without it, on gold that has one
    frequency, and on a test set that does not annotate OPERATION."""
    nlp = spacy.blank("en")
    nlp.add_pipe("span_ruler", name="rules", config={"annotate_ents": True, "spans_key": "rules"}).add_patterns(
        [
            {"label": "FREQUENCY", "pattern": [{"LIKE_NUM": True}, {"LOWER": "mhz"}]},
            {"label": "OPERATION", "pattern": [{"TEXT": "Operation"}, {"IS_TITLE": True}]},
        ]
    )
    nlp.to_disk(tmp_path / "model")
    gold = Doc(
        nlp.vocab, words="Operation Sindoor used 243.0 MHz".split(), ents=["O", "O", "O", "B-FREQUENCY", "I-FREQUENCY"]
    )
    for name in ("dev", "test"):
        write_docs([gold], tmp_path / f"{name}.spacy")
    ablation = load_ablation(_spec(tmp_path, [ROW, {**ROW, "name": "b", "exclude": []}]), str(tmp_path))
    without, with_rules = (score_row(tmp_path / "model", ablation, row) for row in ablation.rows)
    assert without["test"]["f"] == 0.0
    assert with_rules["test"]["f"] == 1.0  # the OPERATION prediction is not scored where it is not annotated
    assert with_rules["dev"]["f"] == pytest.approx(2 / 3)  # ... but it is a false positive on dev here


def test_markdown_table_marks_shared_models_and_changes_on_dev(tmp_path):
    ablation = load_ablation(_spec(tmp_path, [ROW, {**ROW, "name": "b", "lever": "+ rules", "exclude": []}]), "data")

    def scores(f):
        return {
            "dev": {"f": f, "WEAPON": 0.5, "MILITARY_PLATFORM": None, "OPERATION": None},
            "test": {"f": f, "WEAPON": 0.5, "MILITARY_PLATFORM": None, "OPERATION": None},
        }  # noqa: E731

    results = {
        "a": {"scores": scores(0.5), "training_seconds": 120, "model_row": "a"},
        "b": {"scores": scores(0.6), "training_seconds": 120, "model_row": "a"},
    }
    lines = markdown_table(ablation, results).splitlines()
    assert lines[2].startswith("| a | base | yes | 0.500 | 0.500 | 0.500 | n/a | n/a | 0.500 | n/a | n/a | 2.0 |")
    assert (
        lines[3] == "| b | + rules | yes | 0.600 (+0.100) | 0.600 | 0.500 | n/a | n/a | 0.500 | n/a | n/a | 2.0 (= a) |"
    )


def test_rows_take_the_spec_defaults_and_add_their_overrides_to_the_default_ones(tmp_path):
    path = tmp_path / "ablation.json"
    srsly.write_json(
        path,
        {
            "sets": {"dev": "{corpus_dir}/dev.spacy"},
            "defaults": {"config": "c.cfg", "train": "{corpus_dir}/train.spacy", "overrides": {"system.seed": 0}},
            "rows": [
                {"name": "a", "lever": "base"},
                {"name": "b", "lever": "lr", "train": "other.spacy", "overrides": {"training.patience": 0}},
            ],
        },
    )
    a, b = load_ablation(path, "data").rows
    assert (a.config, a.train, a.overrides) == ("c.cfg", "data/train.spacy", {"system.seed": 0})
    assert (b.config, b.train, b.overrides) == ("c.cfg", "other.spacy", {"system.seed": 0, "training.patience": 0})
