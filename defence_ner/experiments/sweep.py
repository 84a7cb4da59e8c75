"""Training settings chosen on dev: read each setting's `spacy train` console log and tabulate dev F.

The table compares settings at the last evaluation step every setting reached, so a sweep cut off
by a time limit still compares like with like; it also gives each setting's best dev F so far.
"""

import re
from dataclasses import dataclass

# A row of spaCy's console training table: epoch, step, one loss per component, then scores.
_ROW = re.compile(r"^\s*\d+\s+(\d+)\s+(.*\S)\s*$")


@dataclass(frozen=True)
class Setting:
    name: str
    config: str
    overrides: dict


def dev_curve(log: str, score_column: str = "ENTS_F") -> dict[int, float]:
    """{step: dev score (0-1)} from a `spacy train` console log (the table header names the columns)."""
    from_end: int | None = None
    curve: dict[int, float] = {}
    for line in log.splitlines():
        words = line.split()
        if words[:2] == ["E", "#"] and score_column in words:
            # Scores are the last columns; losses before them have two-word headers ("LOSS NER").
            from_end = words.index(score_column) - len(words)
            continue
        match = _ROW.match(line)
        if from_end is not None and match:
            curve[int(match.group(1))] = round(float(line.split()[from_end]) / 100, 4)  # printed as percent, 2 decimals
    return curve


def sweep_table(settings: list[Setting], curves: dict[str, dict[int, float]], minutes: dict[str, float]) -> str:
    """Markdown: each setting's dev F at the last step every setting reached, its best dev F (at
    which step), the last step it reached, and its minutes (where the sweep recorded them)."""
    reached = [max(curves[s.name], default=0) for s in settings]
    common = min(reached, default=0)
    lines = [
        f"| setting | config | overrides | dev F at step {common} | best dev F (step) | last step | minutes |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for setting in settings:
        curve = curves[setting.name]
        overrides = ", ".join(
            f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in setting.overrides.items()
        )
        at_common = f"{curve[common]:.3f}" if common in curve else "–"
        best_step = max(curve, key=lambda step: (curve[step], -step), default=None)
        best = f"{curve[best_step]:.3f} ({best_step})" if best_step is not None else "–"
        lines.append(
            f"| {setting.name} | {setting.config} | {overrides} | {at_common} | {best} "
            f"| {max(curve, default=0)} | {_minutes(minutes.get(setting.name))} |"
        )
    return "\n".join(lines) + "\n"


def _minutes(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
