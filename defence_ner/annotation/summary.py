"""What an annotation run linked: counts of the mentions per knowledge-base record, per class and per
country, and the unlinked mentions grouped by their normalised text, so that the knowledge base's gaps
show. Reads the JSONL that defence-ner-annotate writes with a linking pipeline (each entity with
`kb_id` and `kb_name`) and the knowledge base (for each id's class and country); writes CSV files and
PNG bar charts.

Files written to the output folder:
- `records.csv`: id, name, label, class, country, mentions; one row per linked record, most mentioned first.
- `classes.csv`: class, label, mentions. `countries.csv`: country, mentions.
- `unlinked.csv`: text (case-folded, whitespace collapsed), mentions, labels ("WEAPON 3; ORGANISATION 1"),
  first (the first surface form seen); only mentions of labels the knowledge base has records for.
- `records.png`, `classes.png`, `countries.png`, `unlinked.png`: the top `top` rows of each as bar charts.
An id that the knowledge base does not have (an older base) counts under the class and country
"unknown" with the name the annotation gave it.
"""

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from defence_ner.errors import CorpusFormatError  # noqa: E402
from defence_ner.knowledge_base import normalise_alias  # noqa: E402

UNKNOWN = "unknown"
TOP = 30
DPI = 120


def read_entities(path: Path) -> Iterator[dict[str, Any]]:
    """The entities of every document of an annotation output (JSONL of {"id", "entities"})."""
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                entities = record["entities"]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise CorpusFormatError(path, number, f"not an annotation record ({error!r})") from error
            yield from entities


def summarise_entities(
    entities: Iterable[dict[str, Any]], records: Iterable[dict[str, Any]], labels: Iterable[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The tables (lists of rows) of the module's files. labels: the labels whose unlinked mentions are
    listed; by default those the knowledge base has records for."""
    by_id = {record["id"]: record for record in records}
    labels = set(labels) if labels is not None else {record["label"] for record in by_id.values()}
    linked: Counter[str] = Counter()
    names: dict[str, str] = {}
    entity_labels: dict[str, str] = {}
    unlinked: Counter[str] = Counter()
    unlinked_labels: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, str] = {}
    for entity in entities:
        kb_id = entity.get("kb_id") or ""
        if kb_id:
            linked[kb_id] += 1
            names.setdefault(kb_id, entity.get("kb_name") or kb_id)
            entity_labels.setdefault(kb_id, entity["label"])
        elif entity["label"] in labels:
            text = normalise_alias(entity["text"])
            unlinked[text] += 1
            unlinked_labels[text][entity["label"]] += 1
            first.setdefault(text, entity["text"])
    record_rows = []
    classes: Counter[tuple[str, str]] = Counter()
    countries: Counter[str] = Counter()
    for kb_id, count in linked.items():
        record = by_id.get(kb_id)
        row = {
            "id": kb_id,
            "name": record["name"] if record else names[kb_id],
            "label": record["label"] if record else entity_labels[kb_id],
            "class": record["class"] if record else UNKNOWN,
            "country": record["country"] if record else UNKNOWN,
            "mentions": count,
        }
        record_rows.append(row)
        classes[(row["class"], row["label"])] += count
        countries[row["country"]] += count
    return {
        "records": sorted(record_rows, key=lambda row: (-row["mentions"], row["id"])),
        "classes": [
            {"class": name, "label": label, "mentions": count}
            for (name, label), count in sorted(classes.items(), key=lambda item: (-item[1], item[0]))
        ],
        "countries": [
            {"country": country, "mentions": count}
            for country, count in sorted(countries.items(), key=lambda item: (-item[1], item[0]))
        ],
        "unlinked": [
            {
                "text": text,
                "mentions": count,
                "labels": "; ".join(f"{label} {n}" for label, n in sorted(unlinked_labels[text].items())),
                "first": first[text],
            }
            for text, count in sorted(unlinked.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


# Each table's bar chart: the column naming a bar, and the chart's title.
CHARTS = {
    "records": ("name", "Mentions per linked knowledge-base record"),
    "classes": ("class", "Linked mentions per class"),
    "countries": ("country", "Linked mentions per country"),
    "unlinked": ("text", "Unlinked mentions (knowledge-base labels), by normalised text"),
}


def summarise(
    annotations: Path,
    records: Iterable[dict[str, Any]],
    output: Path,
    labels: Iterable[str] | None = None,
    top: int = TOP,
) -> dict[str, Any]:
    """Write the module's CSV files and charts for an annotation output into the folder output; return
    the totals: mentions, linked, unlinked (of the knowledge base's labels), records, files."""
    tables = summarise_entities(list(read_entities(annotations)), records, labels)
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    files = []
    for name, rows in tables.items():
        files.append(write_csv(output / f"{name}.csv", rows, COLUMNS[name]))
        column, title = CHARTS[name]
        files.append(bar_chart(output / f"{name}.png", rows[:top], column, title))
    linked = sum(row["mentions"] for row in tables["records"])
    unlinked = sum(row["mentions"] for row in tables["unlinked"])
    return {
        "linked": linked,
        "unlinked": unlinked,
        "linked_share": round(linked / (linked + unlinked), 4) if linked + unlinked else None,
        "records": len(tables["records"]),
        "files": [str(path) for path in files],
    }


COLUMNS = {
    "records": ["id", "name", "label", "class", "country", "mentions"],
    "classes": ["class", "label", "mentions"],
    "countries": ["country", "mentions"],
    "unlinked": ["text", "mentions", "labels", "first"],
}


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def bar_chart(path: Path, rows: list[dict[str, Any]], column: str, title: str) -> Path:
    """Horizontal bars of the rows' mentions, the first row on top; an empty table gives a chart saying so."""
    fig, ax = plt.subplots(figsize=(8.0, max(2.5, 0.28 * len(rows) + 1.2)))
    if rows:
        names = [str(row[column]) for row in rows][::-1]
        counts = [row["mentions"] for row in rows][::-1]
        ax.barh(range(len(rows)), counts, color="#4c72b0")
        ax.set_yticks(range(len(rows)), names, fontsize=8)
        ax.set_xlabel("mentions")
    else:
        ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
