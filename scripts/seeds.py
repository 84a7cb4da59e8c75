"""The spread over seeds (configs/seeds.json): train the recipe once per seed, then score every pipeline on
its sets and write mean, min and max of each figure (metrics/seeds.md, metrics/seeds.json)."""

import time
from pathlib import Path

import spacy
import srsly
import typer
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from wasabi import msg

from defence_ner.docbin import read_docs
from defence_ner.environment import describe, environment
from defence_ner.evaluation.report import drop_unannotated
from defence_ner.evaluation.report import predict as predict_docs
from defence_ner.evaluation.scoring import FOCUS_LABELS
from defence_ner.experiments.ablation import strict_scores
from defence_ner.experiments.components import load_trained_components, untrained_pipeline
from defence_ner.experiments.predictions import read_predictions, write_predictions
from defence_ner.experiments.seeds import (
    load_seed_spec,
    markdown_table,
    per_label_table,
    predicted_sets,
    predictions_file,
    run_dir,
    summarise,
    trained_pipeline,
    training_overrides,
)
from defence_ner.pipeline.encoder import resolve_encoder

app = typer.Typer(no_args_is_help=True)
SPEC = typer.Argument(..., exists=True, dir_okay=False, help="configs/seeds.json")
CORPUS_DIR = typer.Option("corpus", help="Replaces {corpus_dir} in the spec's paths")
FINISHED = "finished.json"
# Beside a run's kept entities: the versions and machine they were predicted with.
ENVIRONMENT = "environment.json"


@app.command()
def train(
    spec: Path = SPEC,
    training_dir: Path = typer.Argument(..., help="Pipelines go to <training_dir>/<training>/<model>/seed_<n>"),
    predictions_dir: Path = typer.Argument(
        ..., help="Where `predict` keeps entities: a run kept there is not trained again"
    ),
    encoder: str = typer.Option(..., help="Installed package that ships a Hugging Face model, or a hub name/path"),
    corpus_dir: str = CORPUS_DIR,
    max_steps: list[str] = typer.Option(
        [], help="CONFIG=N: training.max_steps (the time bound) of every model trained from that config file"
    ),
    models: list[str] = typer.Option([], "--model", help="Train only these models of the spec (default: all)"),
) -> None:
    """Train every model of every training once per seed; a finished training is kept (`clean` removes it), so is a
    run whose entities `predict` kept (delete them to train it again), and a model that reuses another's pipelines
    trains nothing."""
    seeds = load_seed_spec(spec, corpus_dir)
    if unknown := sorted(set(models) - set(seeds.models)):
        raise typer.BadParameter(f"{spec} has no models {unknown}; its models: {', '.join(seeds.models)}")
    steps = {config: int(n) for config, n in (item.split("=", 1) for item in max_steps)}
    for training, model, seed in seeds.runs():
        output = run_dir(training_dir, training, model, seed)
        recipe = seeds.models[model]
        if recipe.reuse or (models and model not in models):
            continue
        # spaCy writes model-best from the first evaluation on, so only this file says that a training finished.
        if (output / FINISHED).exists():
            msg.info(f"{output}: already trained")
            continue
        if (kept := run_dir(predictions_dir, training, model, seed)).exists():
            msg.info(f"{kept}: its entities are kept, so it is not trained again")
            continue
        overrides = training_overrides(recipe, training, seed, steps)
        if "transformer" in spacy.util.load_config(Path(recipe.config))["components"]:
            overrides["components.transformer.model.name"] = resolve_encoder(encoder)
        start = time.perf_counter()
        spacy_train(Path(recipe.config), output, use_gpu=-1, overrides=overrides)
        srsly.write_json(
            output / FINISHED, {"overrides": overrides, "training_seconds": round(time.perf_counter() - start, 1)}
        )


@app.command()
def predict(
    spec: Path = SPEC,
    training_dir: Path = typer.Argument(..., help="Where `train` put the pipelines"),
    predictions_dir: Path = typer.Argument(
        ..., help="Entities go to <dir>/<training>/<model>/seed_<n>/<set folder>_<set file>.jsonl"
    ),
    corpus_dir: str = CORPUS_DIR,
) -> None:
    """Run each trained pipeline's trained components (the encoder and the ner) on its training's sets and keep their
    entities, for `report`; a run's entities are kept until it trains again, and a run not trained here is passed
    over with a warning, so that runs trained at different times are kept as they finish."""
    seeds = load_seed_spec(spec, corpus_dir)
    for training, model, seed in seeds.runs():
        if seeds.models[model].reuse:
            continue
        pipeline = trained_pipeline(seeds, training_dir, training, model, seed)
        finished = run_dir(training_dir, training, model, seed) / FINISHED
        files = {
            path: predictions_file(seeds, predictions_dir, training, model, seed, path)
            for path in predicted_sets(training)
        }
        if all(
            f.exists() and (not finished.exists() or f.stat().st_mtime > finished.stat().st_mtime)
            for f in files.values()
        ):
            continue
        if not finished.exists():
            missing = [str(file) for file in files.values() if not file.exists()]
            msg.warn(f"{pipeline} is not trained here, so no entities are kept at {', '.join(missing)}")
            continue
        nlp = load_trained_components(pipeline)
        for path, file in files.items():
            predicted, _ = predict_docs(nlp, read_docs(Path(path), nlp.vocab), batch_size=64)
            write_predictions(file, predicted)
        srsly.write_json(run_dir(predictions_dir, training, model, seed) / ENVIRONMENT, environment())
        msg.good(f"{training.name} {model} seed {seed}: kept its entities on {', '.join(files)}")


@app.command()
def report(
    spec: Path = SPEC,
    predictions_dir: Path = typer.Argument(..., help="Where `predict` kept the trained components' entities"),
    output: Path = typer.Argument(..., help="Writes <output>.md and <output>.json"),
    corpus_dir: str = CORPUS_DIR,
) -> None:
    """Score every run's kept entities, with its recipe's other components built from the config as it is now, on
    its training's sets; tabulate mean, min and max over seeds."""
    seeds = load_seed_spec(spec, corpus_dir)
    kept_files = {
        predictions_file(seeds, predictions_dir, training, model, seed, path)
        for training, model, seed in seeds.runs()
        for path in training.sets.values()
    }
    if missing := sorted(str(file) for file in kept_files if not file.exists()):
        raise typer.BadParameter(f"no entities kept at {', '.join(missing)}: run `train` and `predict`")
    scores: dict[str, dict[int, dict[str, dict]]] = {}
    pipelines: dict[str, Language] = {}
    # The machines and versions the kept entities were predicted with, each once.
    predicted_in: dict[str, None] = {}
    for training, model, seed in seeds.runs():
        recipe = seeds.models[model]
        if model not in pipelines:
            pipelines[model] = untrained_pipeline(Path(recipe.config), recipe.overrides)
        nlp = pipelines[model]
        for set_name, path in training.sets.items():
            gold = read_docs(Path(path), nlp.vocab)
            kept = predictions_file(seeds, predictions_dir, training, model, seed, path)
            predicted = list(nlp.pipe(read_predictions(kept, gold), batch_size=64))
            drop_unannotated(gold, predicted, seeds.unannotated.get(set_name, []))
            by_set = scores.setdefault(model, {}).setdefault(seed, {})
            # Every label of the set, and the focus labels even where a set has none of them.
            labels = sorted({e.label_ for doc in gold for e in doc.ents} | set(FOCUS_LABELS))
            by_set[set_name] = strict_scores(gold, predicted, labels)
            msg.info(f"{training.name} {model} seed {seed} on {set_name}: F {by_set[set_name]['f']:.3f}")
        predicted_in.setdefault(describe(srsly.read_json(kept.parent / ENVIRONMENT)))
    summary = summarise(scores)
    env = environment()
    srsly.write_json(output.with_suffix(".json"), {"environment": env, "scores": scores, "summary": summary})
    intro = (
        "# Spread over seeds\n\n"
        f"Written by `python scripts/seeds.py report` from {spec}: seeds {', '.join(map(str, seeds.seeds))}"
        + "".join(
            f" ({training.name} training: seeds {', '.join(map(str, training.seeds))} only)"
            for training in seeds.trainings
            if training.seeds
        )
        + ". "
        "Each cell is the mean (min–max) over seeds of strict micro F, or of one label's strict F; predictions of "
        "labels a set does not annotate are removed before scoring. Each pipeline's trained components ran once per "
        f"set (`seeds.py predict`, entities kept in {predictions_dir}); their entities are scored with its recipe's "
        "other components (rules, knowledge, consistency) built from the config as it is now."
        + "".join(
            f" {name} is {recipe.reuse}'s pipelines with {_settings(recipe.overrides)}."
            for name, recipe in seeds.models.items()
            if recipe.reuse
        )
        + " Trained components run in: "
        + "; ".join(predicted_in)
        + ". Other components and scoring run in: "
        + describe(env)
        + ".\n\n"
    )
    table = markdown_table(summary)
    sets = dict.fromkeys(set_name for training in seeds.trainings for set_name in training.sets)
    per_label = "".join(f"\n## Per label: {set_name}\n\n{per_label_table(summary, set_name)}" for set_name in sets)
    output.with_suffix(".md").write_text(intro + table + per_label, encoding="utf-8")
    print(table)
    msg.good(f"Wrote {output.with_suffix('.md')}")


def _settings(overrides: dict) -> str:
    return ", ".join(f"{setting} = {value}" for setting, value in overrides.items())


if __name__ == "__main__":
    app()
