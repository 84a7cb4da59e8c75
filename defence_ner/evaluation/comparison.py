"""Side-by-side tables of evaluation reports (report.json, written by evaluation.write_report)."""

from pathlib import Path

import srsly

from defence_ner.evaluation.linking import score_cell
from defence_ner.evaluation.scoring import FOCUS_LABELS


def comparison_table(runs: dict[str, dict]) -> str:
    """A Markdown table of strict F with its 95% interval per label (rows) for each run (columns)."""
    first = next(iter(runs.values()))
    labels = sorted({label for run in runs.values() for label in run["labels"]})
    header = "| label | gold mentions | " + " | ".join(runs) + " |"
    rule = "|---|---:|" + "---:|" * len(runs)
    rows = [
        "| **overall (strict micro F)** | "
        + str(sum(first["support"].values()))
        + " | "
        + " | ".join(_cell(r["intervals"]["overall"], bold=True) for r in runs.values())
        + " |"
    ]
    for label in labels:
        cells = [
            _cell(run["intervals"]["per_label"][label]) if label in run["labels"] else "–" for run in runs.values()
        ]
        rows.append(f"| {label} | {first['support'].get(label, 0)} | " + " | ".join(cells) + " |")
    rows.append(
        "| words per second (CPU) | | "
        + " | ".join(f"{r['speed']['words_per_second']:,}" for r in runs.values())
        + " |"
    )
    return "\n".join([header, rule, *rows])


def _cell(interval: dict, bold: bool = False) -> str:
    if interval["f"] is None:
        return "n/a"
    f = f"**{interval['f']:.3f}**" if bold else f"{interval['f']:.3f}"
    return f if interval["low"] is None else f"{f} ({interval['low']:.2f}–{interval['high']:.2f})"


RESULTS_START = "<!-- results: written by scripts/results_table.py from metrics/; do not edit -->"
RESULTS_END = "<!-- results end -->"
# The README's test sets: title -> (folder of metrics/ that evaluate writes their reports to, set name in seeds.json).
TEST_SETS = {
    "re3d, document-level test split": ("doc", "doc test"),
    "re3d, published test file": ("published", "published test"),
    "team probe of current defence news": ("probe", "team probe"),
    "blind probe of current defence news": ("blind_probe", "blind probe"),
}
MODELS = ("transformer", "cnn")


def read_test_sets(metrics: Path) -> dict[str, dict[str, dict]]:
    """title -> {model: report.json of the workflow's pipeline}."""
    return {
        title: {model: srsly.read_json(metrics / folder / model / "report.json") for model in MODELS}
        for title, (folder, _) in TEST_SETS.items()
    }


def read_seed_spread(metrics: Path) -> dict[str, dict[str, dict]] | None:
    """title -> {model: {figure: {mean, min, max}}} from the seeds command's seeds.json; None before it has run."""
    path = metrics / "seeds.json"
    if not path.exists():
        return None
    summary = srsly.read_json(path)["summary"]
    return {title: {model: summary[model][name] for model in MODELS} for title, (_, name) in TEST_SETS.items()}


def results_table(test_sets: dict[str, dict[str, dict]], spread: dict[str, dict[str, dict]] | None) -> str:
    """The README's results: one line per test set, strict micro F as mean / min over seeds per model and on the
    labels a defence user installs it for (the accuracy targets are read off these), then the shipped transformer's
    strict F with its 95% bootstrap interval. spread: read_seed_spread's, None where the seeds have not run."""
    shipped_seeds = {runs["transformer"]["training_seed"] for runs in test_sets.values()}
    shipped = f"shipped transformer (seed {', '.join(map(str, sorted(shipped_seeds)))})"
    header = [
        "test set",
        "mentions",
        *(f"{model} F (mean / min over seeds)" for model in MODELS),
        *(f"transformer {label} (mean / min)" for label in FOCUS_LABELS),
        shipped,
    ]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for title, runs in test_sets.items():
        transformer = runs["transformer"]
        figures = spread[title] if spread else None
        cells = [title, str(sum(transformer["support"].values()))]
        cells += [_mean_min(figures[model]["f"] if figures else None) for model in MODELS]
        cells += [_mean_min(figures["transformer"][label] if figures else None) for label in FOCUS_LABELS]
        cells.append(_cell(transformer["intervals"]["overall"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def linking_table(linking: dict) -> str:
    """The README's linking results from evaluate_linking.py's report: the test set at the threshold chosen on dev."""
    test = linking["test"]
    return (
        "\n| entity linking (gold mentions) | mentions | threshold (chosen on dev) | accuracy@1 "
        "| linked precision | linked recall |\n|---|---:|---:|---:|---:|---:|\n"
        f"| knowledge-base linker, blind hold-out set | {test['mentions']} | {linking['chosen_threshold']:.3f} | "
        f"{score_cell(test['accuracy'])} | {score_cell(test['linked_precision'])} | "
        f"{score_cell(test['linked_recall'])} |\n"
    )


def readme_results(metrics: Path) -> str:
    """The README's results block, read from the metrics folder: the NER table, then the linking table."""
    table = results_table(read_test_sets(metrics), read_seed_spread(metrics))
    return table + linking_table(srsly.read_json(metrics / "linking.json"))


def _mean_min(figure: dict | None) -> str:
    if figure is None:
        return "not run"
    return "–" if figure["mean"] is None else f"{figure['mean']:.3f} / {figure['min']:.3f}"


def replace_block(text: str, block: str) -> str:
    """text with what stands between RESULTS_START and RESULTS_END replaced by block."""
    start, end = text.index(RESULTS_START) + len(RESULTS_START), text.index(RESULTS_END)
    return text[:start] + "\n" + block + text[end:]
