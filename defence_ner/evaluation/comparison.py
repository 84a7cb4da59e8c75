"""Side-by-side tables of evaluation reports (report.json, written by evaluation.write_report)."""


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
