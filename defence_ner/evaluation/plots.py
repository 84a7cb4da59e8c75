"""Evaluation figures as PNG files: the label confusion matrix and per-label F with 95% intervals."""

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

DPI = 150
CONFUSION_SIZE = (10.0, 8.5)
F_SIZE = (8.0, 6.0)


def _save(fig, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def plot_confusion(confusion: dict, path: Path, title: str) -> None:
    """Heatmap of gold rows (plus "spurious") against predicted columns (plus "missed").

    Colour is the row share (each gold label's row sums to 1, an all-zero row stays blank); the cells show raw counts.
    """
    rows, cols = list(confusion["labels"]), list(confusion["columns"])
    matrix = np.asarray(confusion["matrix"], dtype=float).reshape(len(rows), len(cols))
    totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)

    n = max(len(rows), len(cols), 1)
    text_size = 9 if n <= 12 else 7 if n <= 20 else 5
    tick_size = 10 if n <= 12 else 8 if n <= 20 else 6
    fig, ax = plt.subplots(figsize=CONFUSION_SIZE)
    image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            count = int(matrix[i, j])
            if count:
                colour = "white" if share[i, j] > 0.5 else "black"
                ax.text(j, i, str(count), ha="center", va="center", color=colour, fontsize=text_size)
    ax.set_xticks(
        range(len(cols)), [str(c) for c in cols], rotation=45, ha="right", rotation_mode="anchor", fontsize=tick_size
    )
    ax.set_yticks(range(len(rows)), [str(r) for r in rows], fontsize=tick_size)
    ax.set_xlabel("predicted", fontsize=12)
    ax.set_ylabel("gold", fontsize=12)
    ax.set_title(title, fontsize=13)
    # light grid between cells
    ax.set_xticks(np.arange(-0.5, len(cols), 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows), 1), minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("share of the gold row", fontsize=10)
    _save(fig, path)


def _number(value) -> float:
    return float("nan") if value is None else float(value)


def plot_f_with_intervals(per_label: dict, path: Path, title: str, overall: dict | None = None) -> None:
    """Horizontal bars of F per label, best at the top, with 95% interval error bars and the value at each bar.

    per_label: {label: {"f", "low", "high"}}; overall (same keys), if given, is drawn as a dashed vertical line.
    A missing or None F (a label without support) is drawn as an empty bar marked "n/a".
    """
    entries = []
    for label, stats in per_label.items():
        f = _number(stats.get("f"))
        low, high = _number(stats.get("low", f)), _number(stats.get("high", f))
        entries.append((str(label), f, low, high))
    entries.sort(key=lambda e: (-1.0 if math.isnan(e[1]) else e[1], e[0]), reverse=False)

    n = len(entries)
    label_size = 10 if n <= 16 else 8 if n <= 28 else 6
    fig, ax = plt.subplots(figsize=F_SIZE)
    y = np.arange(n)
    fs = np.array([0.0 if math.isnan(f) else f for _, f, _, _ in entries])
    ax.barh(y, fs, color="#4c78a8", height=0.65, zorder=2)
    for yi, (_, f, low, high) in zip(y, entries):
        if math.isnan(f):
            ax.text(0.01, yi, "n/a", va="center", ha="left", fontsize=label_size, color="#666666")
            continue
        if not (math.isnan(low) or math.isnan(high)):
            xerr = [[max(f - low, 0.0)], [max(high - f, 0.0)]]
            ax.errorbar(f, yi, xerr=xerr, fmt="none", ecolor="#222222", elinewidth=1.2, capsize=3, zorder=3)
        right = f if math.isnan(high) else max(high, f)
        if right <= 0.88:
            ax.text(right + 0.012, yi, f"{f:.2f}", va="center", ha="left", fontsize=label_size)
        elif f >= 0.12:
            inside = (low if not math.isnan(low) and low > 0.12 else f) - 0.012
            ax.text(
                inside, yi, f"{f:.2f}", va="center", ha="right", fontsize=label_size, color="white", fontweight="bold"
            )
        else:
            box = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
            ax.text(f + 0.012, yi, f"{f:.2f}", va="center", ha="left", fontsize=label_size, bbox=box, zorder=5)

    handles = [
        Patch(color="#4c78a8", label="F per label"),
        Line2D([], [], color="#222222", marker="|", linestyle="-", label="95% interval"),
    ]
    if overall is not None and overall.get("f") is not None:
        of = float(overall["f"])
        olow, ohigh = overall.get("low"), overall.get("high")
        text = f"overall F = {of:.2f}"
        if olow is not None and ohigh is not None:
            ax.axvspan(float(olow), float(ohigh), color="#e45756", alpha=0.12, zorder=1)
            text += f" ({float(olow):.2f}–{float(ohigh):.2f})"
        ax.axvline(of, color="#e45756", linestyle="--", linewidth=1.6, zorder=4)
        handles.append(Line2D([], [], color="#e45756", linestyle="--", linewidth=1.6, label=text))

    ax.set_yticks(y, [label for label, *_ in entries], fontsize=label_size)
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(-0.7, max(n, 1) - 0.3)
    ax.set_xlabel("F score", fontsize=11)
    ax.set_title(title, fontsize=13)
    ax.grid(axis="x", color="#e6e6e6", zorder=0)
    ax.set_axisbelow(True)
    if n == 0:
        ax.text(0.5, 0.0, "no labels", ha="center", va="center", fontsize=11, color="#666666")
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(handles), fontsize=9, frameon=False
    )
    _save(fig, path)
