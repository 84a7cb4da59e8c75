"""Counts of what a conversion kept, dropped and repaired, per source, label and reason."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import srsly
from wasabi import msg

RAW = "raw"
KEPT = "kept"


@dataclass
class ConversionReport:
    """Entity counts as source -> category -> label -> n.

    Categories are "raw", "kept", "dropped:<reason>" and "repaired:<reason>". Every raw span ends in
    exactly one of kept or dropped:*; a repaired span is also kept.
    """

    documents: Counter = field(default_factory=Counter)
    entities: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))

    def count_document(self, source: str) -> None:
        self.documents[source] += 1

    def count(self, source: str, category: str, label: str) -> None:
        self.entities[source][category][label] += 1

    def drop(self, source: str, reason: str, label: str) -> None:
        self.count(source, f"dropped:{reason}", label)

    def repair(self, source: str, reason: str, label: str) -> None:
        self.count(source, f"repaired:{reason}", label)

    def totals(self) -> dict[str, Counter]:
        totals: dict[str, Counter] = defaultdict(Counter)
        for categories in self.entities.values():
            for category, labels in categories.items():
                totals[category].update(labels)
        return totals

    def check_balanced(self) -> None:
        """Fail loudly if a span was neither kept nor counted as dropped."""
        for source, categories in self.entities.items():
            accounted = sum(n for cat, labels in categories.items() for n in labels.values() if cat == KEPT or cat.startswith("dropped:"))
            raw = sum(categories[RAW].values())
            if accounted != raw:
                raise AssertionError(f"{source}: {raw} raw entities but {accounted} kept or dropped")

    def to_dict(self) -> dict:
        def plain(categories):
            return {cat: dict(sorted(labels.items())) for cat, labels in sorted(categories.items())}

        return {
            "documents": dict(sorted(self.documents.items())),
            "totals": plain(self.totals()),
            "per_source": {source: plain(cats) for source, cats in sorted(self.entities.items())},
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path, self.to_dict())

    def print_table(self, title: str) -> None:
        totals = self.totals()
        categories = [RAW, KEPT] + sorted(c for c in totals if c not in (RAW, KEPT))
        labels = sorted({label for counts in totals.values() for label in counts})
        rows = [[label] + [totals[c][label] for c in categories] for label in labels]
        rows.append(["TOTAL"] + [sum(totals[c].values()) for c in categories])
        msg.divider(title)
        msg.table(rows, header=["label"] + categories, divider=True)
        source_rows = [
            [source, self.documents[source], sum(cats[RAW].values()), sum(cats[KEPT].values())]
            for source, cats in sorted(self.entities.items())
        ]
        msg.table(source_rows, header=["source", "documents", RAW, KEPT], divider=True)
