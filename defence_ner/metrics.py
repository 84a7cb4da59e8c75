"""Read `spacy evaluate` outputs and lay them side by side."""

from pathlib import Path

import srsly


def load_scores(path: Path) -> dict:
    """Return {"p", "r", "f", "per_type": {label: {"p", "r", "f"}}} from a `spacy evaluate --output` file."""
    scores = srsly.read_json(path)
    return {
        "p": scores["ents_p"],
        "r": scores["ents_r"],
        "f": scores["ents_f"],
        "per_type": scores.get("ents_per_type") or {},
        "words_per_second": scores.get("speed"),
    }


def comparison_table(runs: dict[str, dict]) -> str:
    """A Markdown table of F per label (rows) for each run (columns), overall first."""
    labels = sorted({label for run in runs.values() for label in run["per_type"]})
    header = "| label | " + " | ".join(runs) + " |"
    rule = "|---|" + "---:|" * len(runs)
    rows = ["| **overall (micro P / R / F)** | " + " | ".join(f"{r['p']:.3f} / {r['r']:.3f} / **{r['f']:.3f}**" for r in runs.values()) + " |"]
    for label in labels:
        cells = [f"{run['per_type'][label]['f']:.3f}" if label in run["per_type"] else "–" for run in runs.values()]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *rows])
