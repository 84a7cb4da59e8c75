"""The spread over seeds: the same recipe trained with several seeds, each pipeline scored on its sets,
and the mean, min and max of every figure, so that a figure quoted is not one lucky draw.

configs/seeds.json names the seeds, the models (a config per model, or a config and overrides of its
settings: a recipe to compare, as in configs/seeds_recipes.json; and training data of its own per training: a
data lever, as in configs/seeds_data.json; or a config and overrides scored on another model's trained pipelines: a
component lever, trained once, as in configs/seeds_components.json), the trainings (training and dev data, the sets
each training's pipelines are scored on, and optionally seeds of their own) and the labels a set does not annotate.
Each pipeline's trained components run once per set and their entities are kept (metrics/ner_predictions); they are
scored with the recipe's other components as its config is now (defence_ner/experiments/components.py)."""

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import srsly

from defence_ner.evaluation.scoring import FOCUS_LABELS


@dataclass(frozen=True)
class Training:
    name: str
    train: str
    dev: str
    sets: dict[str, str]  # set name -> .spacy path
    seeds: list[int] | None = None  # the spec's seeds unless given


@dataclass(frozen=True)
class Recipe:
    config: str
    overrides: dict[str, Any] = field(default_factory=dict)  # dotted config settings, as `spacy train` takes them
    train: dict[str, str] = field(default_factory=dict)  # training name -> training data in place of the training's
    # The model whose trained pipelines this recipe scores, with its own untrained components: nothing to train.
    reuse: str = ""


@dataclass(frozen=True)
class SeedSpec:
    seeds: list[int]
    models: dict[str, Recipe]  # model name -> its config and overrides
    trainings: list[Training]
    unannotated: dict[str, list[str]]  # set name -> labels it does not annotate

    def runs(self) -> list[tuple[Training, str, int]]:
        return [(t, model, seed) for t in self.trainings for model in self.models for seed in t.seeds or self.seeds]


def load_seed_spec(path: Path, corpus_dir: str) -> SeedSpec:
    """Read the spec; "{corpus_dir}" in its paths is replaced by corpus_dir."""
    spec = srsly.json_loads(path.read_text(encoding="utf-8").replace("{corpus_dir}", corpus_dir))
    trainings = [Training(name, **fields) for name, fields in spec["trainings"].items()]
    models = {
        name: Recipe(model) if isinstance(model, str) else Recipe(**model) for name, model in spec["models"].items()
    }
    names = {training.name for training in trainings}
    for name, recipe in models.items():
        if unknown := sorted(set(recipe.train) - names):
            raise ValueError(f"{path}: model {name!r} names training data for unknown trainings {unknown}")
        if recipe.reuse and (recipe.reuse not in models or models[recipe.reuse].reuse or recipe.train):
            raise ValueError(
                f"{path}: model {name!r} reuses {recipe.reuse!r}, which must be a model of the spec that is trained "
                "(and a model that reuses another's pipelines has no training data of its own)"
            )
    return SeedSpec(spec["seeds"], models, trainings, spec.get("unannotated", {}))


def run_dir(training_dir: Path, training: Training, model: str, seed: int) -> Path:
    return training_dir / training.name / model / f"seed_{seed}"


def trained_pipeline(spec: SeedSpec, training_dir: Path, training: Training, model: str, seed: int) -> Path:
    """The trained pipeline a model is scored with: its own run's model-best, or that of the model it reuses."""
    return run_dir(training_dir, training, spec.models[model].reuse or model, seed) / "model-best"


def predictions_file(
    spec: SeedSpec, predictions_dir: Path, training: Training, model: str, seed: int, path: str
) -> Path:
    """Where the trained components' entities on a set (a .spacy path) are kept: those of the model's own run, or of
    the run of the model it reuses. Named after the set's folder and file ("corpus/published/dev.spacy" ->
    published_dev.jsonl), so that specs naming one file differently share its entities."""
    run = run_dir(predictions_dir, training, spec.models[model].reuse or model, seed)
    return run / f"{Path(path).parent.name}_{Path(path).stem}.jsonl"


def predicted_sets(training: Training) -> list[str]:
    """The sets whose entities a run keeps: its training's sets and its dev set, which another spec may score."""
    return list(dict.fromkeys([*training.sets.values(), training.dev]))


def training_overrides(recipe: Recipe, training: Training, seed: int, max_steps: dict[str, int]) -> dict[str, Any]:
    """The settings one run overrides: its seed and data (the recipe's own training data for this training, if it
    has any), the time bound of its config (max_steps: config path -> training.max_steps, so every recipe built on a
    config gets that config's bound), then the recipe's own changes."""
    train = recipe.train.get(training.name, training.train)
    overrides: dict[str, Any] = {"system.seed": seed, "paths.train": train, "paths.dev": training.dev}
    if recipe.config in max_steps:
        overrides["training.max_steps"] = max_steps[recipe.config]
    return overrides | recipe.overrides


def spread(values: list[float | None]) -> dict[str, float | None]:
    """Mean, min and max of a figure over seeds (None where a label has no mentions)."""
    present = [v for v in values if v is not None]
    if not present:
        return {"mean": None, "min": None, "max": None}
    return {"mean": statistics.fmean(present), "min": min(present), "max": max(present)}


def summarise(scores: dict[str, dict[int, dict[str, dict]]]) -> dict[str, dict[str, dict]]:
    """scores: model -> seed -> set -> {"f": ..., label: ...}; returns model -> set -> figure -> spread over the
    seeds that scored the set (a training may have fewer seeds than the spec)."""
    summary: dict[str, dict[str, dict]] = {}
    for model, by_seed in scores.items():
        sets = {set_name: figures for by_set in by_seed.values() for set_name, figures in by_set.items()}
        summary[model] = {
            set_name: {
                figure: spread([by_set[set_name][figure] for by_set in by_seed.values() if set_name in by_set])
                for figure in figures
            }
            for set_name, figures in sets.items()
        }
    return summary


def _cell(figure: dict) -> str:
    if figure["mean"] is None:
        return "–"
    return f"{figure['mean']:.3f} ({figure['min']:.3f}–{figure['max']:.3f})"


def per_label_table(summary: dict[str, dict[str, dict]], set_name: str) -> str:
    """One line per label of a set: each model's mean (min–max) strict F over seeds."""
    models = [model for model in summary if set_name in summary[model]]
    labels = sorted({label for m in models for label in summary[m][set_name] if label != "f"})
    lines = ["| label | " + " | ".join(models) + " |", "|---|" + "---:|" * len(models)]
    for label in labels:
        lines.append(f"| {label} | " + " | ".join(_cell(summary[m][set_name][label]) for m in models) + " |")
    return "\n".join(lines) + "\n"


def markdown_table(summary: dict[str, dict[str, dict]]) -> str:
    """One line per model and set: mean (min–max) of strict F overall and on the focus labels."""
    header = ["model", "set", "strict F", *FOCUS_LABELS]
    lines = ["| " + " | ".join(header) + " |", "|---|---|" + "---:|" * (len(header) - 2)]
    for model, sets in summary.items():
        for set_name, figures in sets.items():
            cells = [model, set_name, _cell(figures["f"]), *(_cell(figures[label]) for label in FOCUS_LABELS)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
