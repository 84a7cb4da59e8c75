"""The accuracy ablation: what each lever adds, measured on the same dev and test documents.

The rows of configs/ablation.json are cumulative recipes, each a training config, a training set,
config overrides and pipeline components left out at evaluation (so a component such as the rules
can be measured without training again). A row whose training is the same as an earlier row's
reuses that row's model. Each row is scored by strict micro F on dev (the only set used to decide
which levers are kept) and on the spec's other sets: test sets and the probes of current defence news.
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

    def training_key(self) -> str:
        return json.dumps([self.config, self.train, self.overrides], sort_keys=True)


@dataclass(frozen=True)
class Ablation:
    rows: list[Row]
    sets: dict[str, str]  # name -> .spacy path: dev, test sets, probes
    unannotated: dict[str, list[str]]  # set name -> labels it does not annotate

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


def load_ablation(path: Path, corpus_dir: str) -> Ablation:
    """Read the ablation spec; "{corpus_dir}" in its paths is replaced by corpus_dir. A row takes the
    spec's "defaults" (config, train, overrides) for what it does not say; its overrides are added to
    the default overrides."""
    text = path.read_text(encoding="utf-8").replace("{corpus_dir}", corpus_dir)
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
    return Ablation(rows, spec["sets"], spec.get("unannotated", {}))


def score_row(model_path: Path, ablation: Ablation, row: Row) -> dict:
    """Strict micro F, and strict F of the focus labels, of the row's pipeline, its components left out, on each set."""
    nlp = spacy.load(model_path, exclude=list(row.exclude))
    scores = {}
    for set_name, path in ablation.sets.items():
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
        cells.append(
            f"{r['training_seconds'] / 60:.1f}" + ("" if r["model_row"] == row.name else f" (= {r['model_row']})")
        )
        lines.append("| " + " | ".join(cells) + " |")
        if row.kept:
            previous = r
    return "\n".join(lines) + "\n"
