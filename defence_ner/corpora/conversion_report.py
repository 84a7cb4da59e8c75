"""Counts of what a conversion read, kept, dropped and repaired, per source, label and reason."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import srsly
from wasabi import msg

from defence_ner.errors import CorpusFormatError

RAW = "raw"
KEPT = "kept"


@dataclass
class ConversionReport:
    """Entity counts as source -> category -> label -> n, plus documents, sentences and bad records.

    Categories are "raw", "kept", "dropped:<reason>" and "repaired:<reason>". Every raw span ends in
    exactly one of kept or dropped:*; a repaired span is also kept.
    """

    documents: Counter = field(default_factory=Counter)
    sentences: Counter = field(default_factory=Counter)
    left_out: Counter = field(default_factory=Counter)  # documents left out by the source's keep_documents_with
    entities: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    bad_records: dict = field(default_factory=lambda: defaultdict(list))
    notes: dict = field(default_factory=lambda: defaultdict(list))
    empty_sources: list = field(default_factory=list)  # sources that gave no document

    def count_document(self, source: str, sentences: int = 1) -> None:
        self.documents[source] += 1
        self.sentences[source] += sentences

    def count(self, source: str, category: str, label: str) -> None:
        self.entities[source][category][label] += 1

    def drop(self, source: str, reason: str, label: str) -> None:
        self.count(source, f"dropped:{reason}", label)

    def repair(self, source: str, reason: str, label: str) -> None:
        self.count(source, f"repaired:{reason}", label)

    def count_bad_record(self, source: str, error: CorpusFormatError) -> None:
        self.bad_records[source].append({"path": str(error.path), "line": error.line, "reason": error.reason})

    def count_empty_source(self, source: str) -> None:
        """A source that gave no document: listed with 0 documents, and warned about in a note."""
        self.empty_sources.append(source)
        self.documents[source] += 0
        self.sentences[source] += 0
        self.note(source, "no documents: the input is empty, or every record was bad or left out")

    def note(self, source: str, text: str) -> None:
        """A finding about the data that is not a count (a duplicate, a warning explained)."""
        self.notes[source].append(text)

    def totals(self) -> dict[str, Counter]:
        totals: dict[str, Counter] = defaultdict(Counter)
        for categories in self.entities.values():
            for category, labels in categories.items():
                totals[category].update(labels)
        return totals

    def check_balanced(self) -> None:
        """Fail loudly if a span was neither kept nor counted as dropped."""
        for source, categories in self.entities.items():
            accounted = sum(
                n
                for cat, labels in categories.items()
                for n in labels.values()
                if cat == KEPT or cat.startswith("dropped:")
            )
            raw = sum(categories[RAW].values())
            if accounted != raw:
                raise AssertionError(f"{source}: {raw} raw entities but {accounted} kept or dropped")

    def to_dict(self) -> dict:
        def plain(categories):
            return {cat: dict(sorted(labels.items())) for cat, labels in sorted(categories.items())}

        return {
            "documents": dict(sorted(self.documents.items())),
            "sentences": dict(sorted(self.sentences.items())),
            "documents_left_out": dict(sorted(self.left_out.items())),
            "totals": plain(self.totals()),
            "per_source": {source: plain(cats) for source, cats in sorted(self.entities.items())},
            "bad_records": {source: records for source, records in sorted(self.bad_records.items())},
            "notes": {source: notes for source, notes in sorted(self.notes.items())},
            "empty_sources": sorted(self.empty_sources),
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
        # every source, even one without documents or entities (lookups with .get add no empty entries)
        sources = sorted(set(self.documents) | set(self.entities) | set(self.bad_records))
        source_rows = [
            [
                s,
                self.documents[s],
                self.left_out[s],
                self.sentences[s],
                sum(self.entities.get(s, {}).get(RAW, {}).values()),
                sum(self.entities.get(s, {}).get(KEPT, {}).values()),
                len(self.bad_records.get(s, [])),
            ]
            for s in sources
        ]
        header = ["source", "documents", "left out", "sentences", RAW, KEPT, "bad records"]
        msg.table(source_rows, header=header, divider=True)
        for source, notes in sorted(self.notes.items()):
            for text in notes:
                msg.warn(f"{source}: {text}")
