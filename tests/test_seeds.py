import shutil

import pytest
import spacy
import srsly
from spacy.tokens import Doc
from typer.testing import CliRunner

from defence_ner.docbin import write_docs
from defence_ner.environment import environment
from defence_ner.experiments.seeds import (
    Recipe,
    load_seed_spec,
    markdown_table,
    per_label_table,
    run_dir,
    spread,
    summarise,
    trained_pipeline,
    training_overrides,
)
from tests.helpers import DATA_PATHS, PROJECT_DIR, load_script

seeds_cli = load_script("seeds")


def test_spread_is_mean_min_and_max_and_skips_seeds_without_the_label():
    assert spread([0.6, 0.9, None, 0.75]) == {"mean": 0.75, "min": 0.6, "max": 0.9}
    assert spread([None, None]) == {"mean": None, "min": None, "max": None}


def test_summary_and_table_give_each_model_and_set_its_spread_over_seeds():
    def scores(f, weapon):
        return {"probe": {"f": f, "WEAPON": weapon, "MILITARY_PLATFORM": None, "OPERATION": 0.5}}

    summary = summarise({"transformer": {0: scores(0.8, 0.7), 1: scores(0.7, 0.5), 2: scores(0.9, 0.6)}})
    assert summary["transformer"]["probe"]["f"] == {"mean": pytest.approx(0.8), "min": 0.7, "max": 0.9}
    assert summary["transformer"]["probe"]["WEAPON"]["min"] == 0.5
    table = markdown_table(summary)
    assert "| transformer | probe | 0.800 (0.700–0.900) | 0.600 (0.500–0.700) | – | 0.500 (0.500–0.500) |" in table
    labels = per_label_table(summary, "probe").splitlines()
    assert labels[0] == "| label | transformer |"
    assert labels[2:] == [
        "| MILITARY_PLATFORM | – |",
        "| OPERATION | 0.500 (0.500–0.500) |",
        "| WEAPON | 0.600 (0.500–0.700) |",
    ]


def test_the_project_spec_scores_the_doc_models_on_both_probes_and_the_published_model_on_its_test(tmp_path):
    spec = load_seed_spec(PROJECT_DIR / "configs" / "seeds.json", "corpus")
    assert len(spec.seeds) >= 3
    doc, published = spec.trainings
    assert {"dev", "doc test", "team probe", "blind probe"} <= set(doc.sets)
    assert published.sets == {"published test": "corpus/published/test.spacy"}
    assert len(spec.runs()) == 2 * len(spec.models) * len(spec.seeds)
    assert run_dir(tmp_path, doc, "cnn", 2) == tmp_path / "doc" / "cnn" / "seed_2"
    for recipe in spec.models.values():
        assert (PROJECT_DIR / recipe.config).exists() and recipe.overrides == {}


def test_the_recipes_spec_compares_the_configured_transformer_with_overrides_of_its_config():
    spec = load_seed_spec(PROJECT_DIR / "configs" / "seeds_recipes.json", "corpus")
    assert len(spec.seeds) >= 3
    assert spec.models["transformer"] == Recipe("configs/transformer.cfg")
    changed = [recipe for name, recipe in spec.models.items() if name != "transformer"]
    assert changed and all(recipe.config == "configs/transformer.cfg" and recipe.overrides for recipe in changed)
    # A recipe is judged on the doc training's dev, and `seeds` trains a kept one on both splits.
    (doc,) = spec.trainings
    assert doc.sets["dev"] == doc.dev and {"doc test", "team probe", "blind probe"} <= set(doc.sets)
    # Every override names a setting the config has, so a typo cannot train the configured recipe twice.
    config = spacy.util.load_config(PROJECT_DIR / "configs" / "transformer.cfg")
    for recipe in changed:
        for dotted in recipe.overrides:
            section = config
            for key in dotted.split(".")[:-1]:
                section = section[key]
            assert dotted.split(".")[-1] in section, dotted
            assert section[dotted.split(".")[-1]] != recipe.overrides[dotted], f"{dotted} is already the config's"


def test_every_recipe_built_on_a_config_gets_that_configs_time_bound_and_keeps_its_own_changes():
    doc = load_seed_spec(PROJECT_DIR / "configs" / "seeds.json", "corpus").trainings[0]
    bounds = {"configs/transformer.cfg": 700}
    configured = training_overrides(Recipe("configs/transformer.cfg"), doc, 2, bounds)
    assert configured == {
        "system.seed": 2,
        "paths.train": "corpus/doc/train.spacy",
        "paths.dev": "corpus/doc/dev.spacy",
        "training.max_steps": 700,
    }
    candidate = Recipe("configs/transformer.cfg", {"training.optimizer.use_averages": True, "system.seed": 9})
    assert training_overrides(candidate, doc, 2, bounds) == configured | candidate.overrides
    assert "training.max_steps" not in training_overrides(Recipe("configs/cnn.cfg"), doc, 2, bounds)


def test_environment_names_the_versions_that_decide_the_figures():
    env = environment()
    assert {"spacy", "spacy-transformers", "transformers", "torch", "thinc", "numpy", "python"} <= set(env)
    constraints = (PROJECT_DIR / "constraints.txt").read_text()
    assert f"spacy-transformers=={env['spacy-transformers']}" in constraints
    srsly.json_dumps(env)


def test_the_data_lever_trains_on_its_own_data_and_keeps_the_configured_dev():
    spec = load_seed_spec(PROJECT_DIR / "configs" / "seeds_data.json", "corpus")
    (doc,) = spec.trainings
    assert spec.models["transformer"] == Recipe("configs/transformer.cfg")
    without_wire = spec.models["transformer_without_wire_copy"]
    assert training_overrides(without_wire, doc, 1, {})["paths.train"] == "corpus/doc_without_wire/train.spacy"
    assert training_overrides(spec.models["transformer"], doc, 1, {})["paths.train"] == "corpus/doc/train.spacy"
    # Dev stays the configured one, so dev F is comparable across the rows.
    assert training_overrides(without_wire, doc, 1, {})["paths.dev"] == "corpus/doc/dev.spacy"


def test_a_model_trains_on_its_own_data_per_training_and_a_training_may_have_fewer_seeds(tmp_path):
    training = {"train": "{corpus_dir}/t.spacy", "dev": "{corpus_dir}/d.spacy", "sets": {"dev": "{corpus_dir}/d.spacy"}}
    lever = {"config": "c.cfg", "train": {"doc": "{corpus_dir}/doc_lever.spacy", "published": "{corpus_dir}/pub.spacy"}}
    spec = {
        "seeds": [0, 1, 2],
        "models": {"base": "c.cfg", "lever": lever},
        "trainings": {"doc": training, "published": {**training, "seeds": [0]}},
    }
    srsly.write_json(tmp_path / "spec.json", spec)
    loaded = load_seed_spec(tmp_path / "spec.json", "corpus")
    doc, published = loaded.trainings
    assert training_overrides(loaded.models["lever"], doc, 1, {})["paths.train"] == "corpus/doc_lever.spacy"
    assert training_overrides(loaded.models["lever"], published, 0, {})["paths.train"] == "corpus/pub.spacy"
    assert training_overrides(loaded.models["base"], doc, 1, {})["paths.train"] == "corpus/t.spacy"
    assert published.seeds == [0]
    assert len(loaded.runs()) == len(loaded.models) * (len(loaded.seeds) + 1)
    # A model's training data must belong to a training of the spec.
    lever["train"] = {"publshed": "{corpus_dir}/pub.spacy"}
    srsly.write_json(tmp_path / "spec.json", spec)
    with pytest.raises(ValueError, match="publshed"):
        load_seed_spec(tmp_path / "spec.json", "corpus")


def test_a_set_scored_with_fewer_seeds_spreads_over_those_seeds_only():
    def scores(f):
        return {"f": f, "WEAPON": None, "MILITARY_PLATFORM": None, "OPERATION": None}

    by_seed = {0: {"dev": scores(0.6), "published test": scores(0.7)}, 1: {"dev": scores(0.8)}}
    summary = summarise({"transformer": by_seed})
    assert summary["transformer"]["dev"]["f"] == {"mean": pytest.approx(0.7), "min": 0.6, "max": 0.8}
    assert summary["transformer"]["published test"]["f"] == {"mean": 0.7, "min": 0.7, "max": 0.7}


def test_a_component_lever_scores_the_configured_transformers_pipelines_with_its_own_components(tmp_path):
    spec = load_seed_spec(PROJECT_DIR / "configs" / "seeds_components.json", "corpus")
    doc, published = spec.trainings
    assert spec.models["transformer"] == Recipe("configs/transformer.cfg")
    levers = [name for name in spec.models if name != "transformer"]
    assert levers and all(spec.models[name].reuse == "transformer" for name in levers)
    for training in spec.trainings:
        for name in levers:
            pipeline = trained_pipeline(spec, tmp_path, training, name, 2)
            assert pipeline == tmp_path / training.name / "transformer" / "seed_2" / "model-best"
    assert {"dev", "doc test", "team probe", "blind probe"} <= set(doc.sets) and "published test" in published.sets
    # Each lever adds components to the one before it, ending with the configured pipeline.
    configured = spacy.util.load_config(PROJECT_DIR / "configs" / "transformer.cfg")["nlp"]["pipeline"]
    pipelines = [spec.models[name].overrides.get("nlp.pipeline", configured) for name in levers]
    assert all(a == b[: len(a)] for a, b in zip(pipelines, [*pipelines[1:], configured]))
    assert pipelines[0] == ["transformer", "ner"]


def test_a_model_can_reuse_only_a_trained_model_of_the_spec(tmp_path):
    spec = srsly.read_json(PROJECT_DIR / "configs" / "seeds_components.json")
    for reuse in ("cnn", "rules"):
        spec["models"]["knowledge"]["reuse"] = reuse
        srsly.write_json(tmp_path / "spec.json", spec)
        with pytest.raises(ValueError, match=f"reuses '{reuse}'"):
            load_seed_spec(tmp_path / "spec.json", "corpus")


def test_train_skips_finished_runs_and_models_that_reuse_pipelines_and_retrains_an_interrupted_run(
    tmp_path, monkeypatch
):
    trained = []

    def fake_train(config, output, use_gpu, overrides):
        (output / "model-best").mkdir(parents=True, exist_ok=True)
        trained.append((output.relative_to(tmp_path).as_posix(), overrides["system.seed"]))

    monkeypatch.setattr(seeds_cli, "spacy_train", fake_train)
    spec = srsly.read_json(PROJECT_DIR / "configs" / "seeds_components.json")
    spec["seeds"] = [0, 1]
    srsly.write_json(tmp_path / "spec.json", spec)
    # An interrupted training leaves model-best (spaCy writes it from the first evaluation on) but no mark.
    (tmp_path / "doc" / "transformer" / "seed_1" / "model-best").mkdir(parents=True)

    def train(*options):
        args = ["train", str(tmp_path / "spec.json"), str(tmp_path), str(tmp_path / "kept"), "--encoder", "x", *options]
        result = CliRunner().invoke(seeds_cli.app, args)
        assert result.exit_code == 0, result.output

    monkeypatch.setattr(seeds_cli, "resolve_encoder", lambda name: name)
    train("--model", "transformer")
    assert trained == [(f"{t}/transformer/seed_{seed}", seed) for t in ("doc", "published") for seed in (0, 1)]
    assert (
        srsly.read_json(tmp_path / "doc" / "transformer" / "seed_1" / "finished.json")["overrides"]["system.seed"] == 1
    )
    trained.clear()
    train()
    assert trained == []
    result = CliRunner().invoke(
        seeds_cli.app,
        [
            "train",
            str(tmp_path / "spec.json"),
            str(tmp_path),
            str(tmp_path / "kept"),
            "--encoder",
            "x",
            "--model",
            "cnn",
        ],
        env={"COLUMNS": "1000"},  # the message on one line
    )
    assert result.exit_code == 2 and "has no models" in result.output and "'cnn'" in result.output


def test_report_scores_the_kept_entities_after_the_trained_pipelines_are_gone(tmp_path, cased_encoder):
    nlp = spacy.blank("en")
    words = "The frigate HMS Kent fired a Sea Ceptor missile near Oman .".split()
    ents = ["O", "O", "B-MILITARY_PLATFORM", "I-MILITARY_PLATFORM", "O", "O", "B-WEAPON", "I-WEAPON"] + ["O"] * 4
    for split, copies in (("train", 4), ("dev", 2), ("test", 1)):
        write_docs([Doc(nlp.vocab, words=words, ents=ents)] * copies, tmp_path / "data" / f"{split}.spacy")
    config = str(PROJECT_DIR / "configs" / "transformer.cfg")
    data = {"train": "{corpus_dir}/data/train.spacy", "dev": "{corpus_dir}/data/dev.spacy"}
    spec = {
        "seeds": [0],
        "models": {
            "transformer": {"config": config, "overrides": DATA_PATHS | {"training.max_steps": 2}},
            "ner_only": {
                "config": config,
                "reuse": "transformer",
                "overrides": {"nlp.pipeline": ["transformer", "ner"]},
            },
        },
        "trainings": {"doc": data | {"sets": {"test": "{corpus_dir}/data/test.spacy"}}},
    }
    srsly.write_json(tmp_path / "spec.json", spec)
    spec_file, training, kept = str(tmp_path / "spec.json"), tmp_path / "training", tmp_path / "kept"

    def run(*args):
        result = CliRunner().invoke(seeds_cli.app, [*args, "--corpus-dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
        return result

    run("train", spec_file, str(training), str(kept), "--encoder", str(cased_encoder))
    run("predict", spec_file, str(training), str(kept))
    run_kept = kept / "doc" / "transformer" / "seed_0"
    # The training's dev is kept too, for a spec that scores it.
    assert sorted(p.name for p in run_kept.iterdir()) == ["data_dev.jsonl", "data_test.jsonl", "environment.json"]
    assert not (kept / "doc" / "ner_only").exists()
    run("report", spec_file, str(kept), str(tmp_path / "seeds"))
    first = srsly.read_json(tmp_path / "seeds.json")["scores"]
    assert set(first) == {"transformer", "ner_only"} and set(first["transformer"]["0"]) == {"test"}
    # The rules find "HMS Kent", which the ner alone, two steps trained, need not.
    assert first["transformer"]["0"]["test"]["MILITARY_PLATFORM"] == 1.0
    spec["trainings"]["doc"]["sets"] = {"held-out dev": "{corpus_dir}/data/dev.spacy"}
    srsly.write_json(tmp_path / "dev_spec.json", spec)
    run("report", str(tmp_path / "dev_spec.json"), str(kept), str(tmp_path / "dev"))
    assert srsly.read_json(tmp_path / "dev.json")["scores"]["transformer"]["0"]["held-out dev"]["f"] is not None
    assert "entities kept in" in (tmp_path / "seeds.md").read_text(encoding="utf-8")
    # Kept entities are not predicted again until the run trains again; then they are.
    written = run_kept.joinpath("data_test.jsonl").stat().st_mtime_ns
    run("predict", spec_file, str(training), str(kept))
    assert run_kept.joinpath("data_test.jsonl").stat().st_mtime_ns == written
    shutil.rmtree(training)
    run("predict", spec_file, str(training), str(kept))
    run("report", spec_file, str(kept), str(tmp_path / "again"))
    assert srsly.read_json(tmp_path / "again.json")["scores"] == first
    # A run whose entities are kept is not trained again.
    run("train", spec_file, str(training), str(kept), "--encoder", str(cased_encoder))
    assert not training.exists()
    shutil.rmtree(kept)
    result = CliRunner().invoke(seeds_cli.app, ["predict", spec_file, str(training), str(kept)])
    assert result.exit_code == 0 and "is not trained here" in result.output and not kept.exists()
    result = CliRunner().invoke(seeds_cli.app, ["report", spec_file, str(kept), str(tmp_path / "none")])
    assert result.exit_code == 2 and "data_test.jsonl" in result.output
