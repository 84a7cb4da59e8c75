"""The accuracy ablation: what each lever adds, measured on the same dev and test documents.

The rows of configs/ablation.json are cumulative recipes, each a training config, a training set,
config overrides and pipeline components left out at evaluation (so a component such as the rules
can be measured without training again). A row whose training is the same as an earlier row's
reuses that row's model. Each row is scored by strict micro F on dev (the only set used to decide
which levers are kept) and on the spec's other sets: test sets and the probes of current defence news.
A row that scores a pipeline trained elsewhere (the workflow's) may be scored on a test set of another
split with that split's pipeline (configs/ablation_knowledge.json: the published re3d test).
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
import srsly
from spacy import util
from spacy.tokens import Doc
from weasel.util import get_checksum

from defence_ner.docbin import read_docs
from defence_ner.evaluation.report import drop_unannotated, format_f, predict
from defence_ner.evaluation.scoring import FOCUS_LABELS, semeval_scores


@dataclass(frozen=True)
class Row:
    name: str
    lever: str
    config: str
    train: str
    overrides: dict = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    kept: bool = True  # whether later rows build on this lever (decided on dev)
    # A pipeline trained elsewhere (the workflow's) to score instead of training one: for levers that are
    # components after the ner, measured by leaving them out.
    pipeline: str = ""
    # Set name -> the pipeline this row scores that set with, in place of the spec's (a data lever's own
    # pipeline for the published re3d split). Rows with a `pipeline` only.
    set_pipelines: dict = field(default_factory=dict)

    def training_key(self) -> str:
        if self.pipeline:
            return json.dumps(["pipeline", self.pipeline, self.set_pipelines], sort_keys=True)
        return json.dumps([self.config, self.train, self.overrides], sort_keys=True)


@dataclass(frozen=True)
class Ablation:
    rows: list[Row]
    sets: dict[str, str]  # name -> .spacy path: dev, test sets, probes
    unannotated: dict[str, list[str]]  # set name -> labels it does not annotate
    # Set name -> the pipeline that is scored on it instead of the row's: a test set of another split (the
    # published re3d test) is scored with the workflow's pipeline for that split. Rows with a `pipeline` only.
    set_pipelines: dict[str, str] = field(default_factory=dict)

    def row(self, name: str) -> Row:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no ablation row {name!r}; rows: {', '.join(r.name for r in self.rows)}")

    def model_row(self, row: Row) -> Row:
        """The first row with the same training as row: its model serves both."""
        return next(r for r in self.rows if r.training_key() == row.training_key())


def training_inputs(row: Row, dev: str) -> dict[str, str]:
    """The content checksum of everything a row's training reads: its config as spaCy reads it
    (overrides applied, variables filled in, so comments and layout do not count) and each file or
    folder its [paths] name (training and dev data, gazetteers, rule patterns), so that a cached
    model is used only while none of them has changed."""
    overrides = {**row.overrides, "paths.train": row.train, "paths.dev": dev}
    config = util.load_config(Path(row.config), overrides=overrides, interpolate=True)
    files = {name: value for name, value in config["paths"].items() if isinstance(value, str) and Path(value).exists()}
    return {
        "config": f"{row.config} {hashlib.md5(config.to_str().encode('utf8')).hexdigest()}",
        **{name: f"{path} {get_checksum(path)}" for name, path in sorted(files.items())},
    }


def load_ablation(path: Path, corpus_dir: str, workflow_dir: str = "training") -> Ablation:
    """Read the ablation spec; "{corpus_dir}" and "{workflow_dir}" (where the workflow trains) in its paths are
    replaced by corpus_dir and workflow_dir. A row takes the
    spec's "defaults" (config, train, overrides) for what it does not say; its overrides are added to
    the default overrides."""
    text = path.read_text(encoding="utf-8").replace("{corpus_dir}", corpus_dir).replace("{workflow_dir}", workflow_dir)
    spec = srsly.json_loads(text)
    defaults = spec.get("defaults", {})
    rows = [
        Row(
            **{
                **defaults,
                **row,
                "overrides": {**defaults.get("overrides", {}), **row.get("overrides", {})},
                "exclude": tuple(row.get("exclude", ())),
            }
        )
        for row in spec["rows"]
    ]
    names = [row.name for row in rows]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: ablation row names must be unique: {names}")
    sets, set_pipelines = {}, {}
    for name, target in spec["sets"].items():
        if isinstance(target, str):
            sets[name] = target
        else:
            sets[name], set_pipelines[name] = target["path"], target["pipeline"]
    for row in rows:
        unknown = sorted(set(row.set_pipelines) - set(sets))
        if row.set_pipelines and (unknown or not row.pipeline):
            raise ValueError(
                f"{path}: row {row.name!r} names pipelines for sets only a row scoring a pipeline can have "
                f"({'unknown sets ' + str(unknown) if unknown else 'it trains its own'})"
            )
    trained = [row.name for row in rows if not row.pipeline]
    if set_pipelines and trained:
        raise ValueError(
            f"{path}: sets {sorted(set_pipelines)} name their own pipeline, so every row must score a pipeline "
            f"(rows that train one: {trained})"
        )
    return Ablation(rows, sets, spec.get("unannotated", {}), set_pipelines)


def score_row(model_path: Path, ablation: Ablation, row: Row) -> dict:
    """Strict micro F, and strict F of the focus labels, of row's pipeline (or the set's own pipeline, the row's
    if it names one, with the row's components left out) on each set."""
    pipelines = {str(model_path): spacy.load(model_path, exclude=list(row.exclude))}
    set_pipelines = ablation.set_pipelines | row.set_pipelines
    scores = {}
    for set_name, path in ablation.sets.items():
        pipeline = set_pipelines.get(set_name, str(model_path))
        if pipeline not in pipelines:
            pipelines[pipeline] = spacy.load(pipeline, exclude=list(row.exclude))
        nlp = pipelines[pipeline]
        gold = read_docs(Path(path), nlp.vocab)
        predicted, _ = predict(nlp, gold, batch_size=64)
        drop_unannotated(gold, predicted, ablation.unannotated.get(set_name, []))
        scores[set_name] = strict_scores(gold, predicted)
    return scores


def strict_scores(gold: list[Doc], predicted: list[Doc], focus_labels: Sequence[str] = FOCUS_LABELS) -> dict:
    """Strict micro F, and strict F of each focus label (None where neither side has one)."""
    labels = sorted({e.label_ for doc in gold + predicted for e in doc.ents})
    result = semeval_scores(list(zip(gold, predicted)), labels)
    per_label = result["per_label"]
    return {
        "f": result["overall"]["strict"]["f1"],
        **{label: per_label[label]["strict"]["f1"] if label in per_label else None for label in focus_labels},
    }


def markdown_table(ablation: Ablation, results: dict[str, dict]) -> str:
    """One line per row: its lever, whether it is kept, F on each set (and the change from the
    previous kept row on dev), WEAPON and MILITARY_PLATFORM F on each set, training minutes."""
    sets = list(ablation.sets)
    header = (
        ["row", "lever", "kept"]
        + [f"{s} F" for s in sets]
        + [f"{s} {label}" for s in sets for label in FOCUS_LABELS]
        + ["training min"]
    )
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * 3 + "---:|" * (len(header) - 3)]
    previous = None
    for row in ablation.rows:
        r = results[row.name]
        dev_change = "" if previous is None else f" ({r['scores']['dev']['f'] - previous['scores']['dev']['f']:+.3f})"
        cells = [row.name, row.lever, "yes" if row.kept else "no"]
        cells += [format_f(r["scores"][s]["f"]) + (dev_change if s == "dev" else "") for s in sets]
        cells += [format_f(r["scores"][s][label]) for s in sets for label in FOCUS_LABELS]
        minutes = "–" if r["training_seconds"] is None else f"{r['training_seconds'] / 60:.1f}"
        cells.append(minutes + ("" if r["model_row"] == row.name else f" (= {r['model_row']})"))
        lines.append("| " + " | ".join(cells) + " |")
        if row.kept:
            previous = r
    return "\n".join(lines) + "\n"
