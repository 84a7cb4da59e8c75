"""Side-by-side tables of evaluation reports (report.json, written by evaluation.write_report)."""

from pathlib import Path

import srsly


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
FOCUS_LABELS = ("WEAPON", "MILITARY_PLATFORM", "OPERATION")
# The README's test sets: title -> folder of metrics/ that evaluate writes their reports to.
TEST_SETS = {
    "re3d, document-level test split": "doc",
    "re3d, published test file": "published",
    "team probe of current defence news": "probe",
    "blind probe of current defence news": "blind_probe",
}
MODELS = ("transformer", "cnn")


def read_test_sets(metrics: Path) -> dict[str, dict[str, dict]]:
    return {
        title: {model: srsly.read_json(metrics / folder / model / "report.json") for model in MODELS}
        for title, folder in TEST_SETS.items()
    }


def results_table(test_sets: dict[str, dict[str, dict]]) -> str:
    """The README's results: one line per test set (title -> {model: report.json}), strict micro F with its
    95% interval per model, and the transformer's strict F on the labels a defence user installs it for."""
    models = list(next(iter(test_sets.values())))
    header = ["test set", "mentions", *(f"{m} F" for m in models), *(f"transformer {label}" for label in FOCUS_LABELS)]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for title, runs in test_sets.items():
        transformer = runs["transformer"]
        focus = [
            _cell(transformer["intervals"]["per_label"][label]) if label in transformer["labels"] else "–"
            for label in FOCUS_LABELS
        ]
        cells = [title, str(sum(transformer["support"].values()))]
        cells += [_cell(runs[m]["intervals"]["overall"]) for m in models] + focus
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def replace_block(text: str, block: str) -> str:
    """text with what stands between RESULTS_START and RESULTS_END replaced by block."""
    start, end = text.index(RESULTS_START) + len(RESULTS_START), text.index(RESULTS_END)
    return text[:start] + "\n" + block + text[end:]
