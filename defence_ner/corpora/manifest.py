"""The corpus manifest: which sources make up a training set, in which format, under which label mapping."""

from dataclasses import dataclass, field
from pathlib import Path

from spacy.util import load_config

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.schema import load_label_mapping, load_schema
from defence_ner.errors import CorpusFormatError

SPLIT_POLICIES = ("documents", "train", "train_dev", "test")


@dataclass
class Source:
    """One annotated corpus as the manifest declares it.

    mapping: source label -> schema label, "drop" (not an entity of the schema: its tokens are
    outside any entity) or "missing" (unknown: its tokens are left unannotated).
    partial: the source annotates only some types, so tokens outside its spans are missing, not O.
    split: "documents" (split by document into train/dev/test), "train", "train_dev" or "test".
    keep_documents_with: source labels; if given, only documents with at least one span of these
    labels are kept (the others are counted as left out), to take the relevant part of a large corpus.
    """

    name: str
    format: str
    path: Path
    mapping: dict[str, str]
    partial: bool = False
    drop_unknown_labels: bool = False
    min_confidence: float = 0.0
    skip_bad_records: bool = False
    split: str = "documents"
    keep_documents_with: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    unknown_labels: dict[str, list[str]] = field(default_factory=dict, init=False)

    def map_label(self, label: str, where: str) -> str | None:
        """The schema label (or "drop"/"missing") for a source label; None if unmapped, noted with where it occurs."""
        if label in self.mapping:
            return self.mapping[label]
        self.unknown_labels.setdefault(label, []).append(where)
        return None

    def check_unknown_labels(self) -> None:
        """Fail listing every unmapped label and where it occurs, unless the manifest drops unknown labels."""
        if self.unknown_labels and not self.drop_unknown_labels:
            listing = "; ".join(
                f"{label!r} ({len(places)}x, first at {', '.join(places[:3])})"
                for label, places in sorted(self.unknown_labels.items())
            )
            raise CorpusFormatError(
                self.path, None, f"labels missing from the label mapping of source {self.name!r}: {listing}"
            )

    def bad_record(self, error: CorpusFormatError, report: ConversionReport) -> None:
        """Raise the error, or count and report it when the manifest says to skip bad records."""
        if not self.skip_bad_records:
            raise error
        report.count_bad_record(self.name, error)


def load_manifest(path: Path, overrides: dict | None = None) -> list[Source]:
    """Read a corpus manifest (.cfg): [paths] plus one [sources.<name>] block per source."""
    config = load_config(path, overrides=overrides or {}, interpolate=True)
    schema = set(load_schema(Path(config["schema"]["path"])))
    sources = []
    for name, block in config["sources"].items():  # other top-level blocks hold shared settings
        block = dict(block)
        if block.get("split", "documents") not in SPLIT_POLICIES:
            raise CorpusFormatError(path, None, f"source {name!r}: split must be one of {', '.join(SPLIT_POLICIES)}")
        mapping = load_label_mapping(Path(block.pop("mapping")), schema)
        sources.append(Source(name=name, path=Path(block.pop("path")), mapping=mapping, **block))
    return sources


def stratum(doc) -> str:
    """Where a doc comes from, as reports and splits use it: "<source>" or "<source>/<part>" (a re3d folder)."""
    part = doc.user_data.get("part")
    return f"{doc.user_data['source']}/{part}" if part else doc.user_data["source"]
