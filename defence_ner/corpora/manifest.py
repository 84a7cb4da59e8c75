"""The corpus manifest: which sources make up a training set, in which format, under which label mapping."""

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
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


class ReaderOptions(BaseModel):
    """The options of a [sources.<name>.options] block. A reader that takes options declares them in a
    subclass; one that takes none is given this class, so that any option given to it is refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class SourceBlock(BaseModel):
    """A [sources.<name>] block as a manifest must write it: known keys only, with strict types, so that
    a quoted "false" is refused rather than read as true."""

    model_config = ConfigDict(extra="forbid", strict=True)

    format: str
    path: str
    mapping: str
    partial: bool = False
    drop_unknown_labels: bool = False
    min_confidence: float = Field(0.0, ge=0.0, le=1.0)
    skip_bad_records: bool = False
    split: Literal[SPLIT_POLICIES] = "documents"
    keep_documents_with: list[str] = []
    options: dict[str, Any] = {}


class SchemaBlock(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    path: str


def load_manifest(path: Path, overrides: dict | None = None) -> list[Source]:
    """Read a corpus manifest (.cfg): [schema], one [sources.<name>] block per source, and other blocks
    ([paths], shared settings) for the sources to interpolate. The mistakes of its blocks (unknown keys,
    wrong types or values, an unknown format, options its reader does not take) are listed together in
    one CorpusFormatError located at the manifest; a broken schema or mapping file is located at that file."""
    from defence_ner.corpora.formats import reader_problems  # the readers import this module

    try:
        config = load_config(path, overrides=overrides or {}, interpolate=True)
    except (OSError, ValueError) as error:  # no such file; a syntax or interpolation error; a bad override
        raise CorpusFormatError(path, None, f"cannot read the manifest: {' '.join(str(error).split())}") from None
    if not isinstance(config.get("schema"), dict):
        raise CorpusFormatError(path, None, 'no [schema] block with path = "<schema file>"')
    problems: list[str] = []
    schema_block = validate_block(SchemaBlock, config["schema"], "[schema]", problems)
    blocks = config.get("sources")
    if not isinstance(blocks, dict) or not blocks:
        problems.append("no [sources.<name>] block")
        blocks = {}
    valid: dict[str, SourceBlock] = {}
    for name, block in blocks.items():  # other top-level blocks hold shared settings
        if not isinstance(block, dict):
            problems.append(f"sources.{name} must be a block [sources.{name}], not a value")
            continue
        source_block = validate_block(SourceBlock, block, f"[sources.{name}]", problems)
        if source_block is not None:
            found = reader_problems(source_block.format, source_block.options, f"[sources.{name}]")
            problems += found
            if not found:
                valid[name] = source_block
    if problems:
        listing = problems[0] if len(problems) == 1 else "\n  ".join([f"{len(problems)} mistakes:", *problems])
        raise CorpusFormatError(path, None, listing)
    schema = set(load_schema(Path(schema_block.path)))
    return [
        Source(
            name=name,
            path=Path(block.path),
            mapping=load_label_mapping(Path(block.mapping), schema),
            **block.model_dump(exclude={"path", "mapping"}),
        )
        for name, block in valid.items()
    ]


Model = TypeVar("Model", bound=BaseModel)


def validate_block(model: type[Model], block: dict, where: str, problems: list[str]) -> Model | None:
    """The block read by model; None if it does not fit, with each problem added to problems as
    "<where> <key>: <what is wrong>"."""
    try:
        return model.model_validate(block)
    except ValidationError as error:
        problems += [f"{where} {_describe(detail, model)}" for detail in error.errors()]
        return None


_KINDS = {
    "bool_type": "true or false",
    "float_type": "a number",
    "int_type": "an integer",
    "string_type": "a string",
    "list_type": "a list",
    "dict_type": "a block",
}


def _describe(detail: dict, model: type[BaseModel]) -> str:
    """One pydantic error as a sentence about the manifest's key."""
    key = ".".join(str(part) for part in detail["loc"])
    value = detail.get("input")
    got = f"the string {value!r}" if isinstance(value, str) else repr(value)
    kind = detail["type"]
    if kind == "extra_forbidden":
        known = list(model.model_fields)
        close = difflib.get_close_matches(key, known, n=1)
        if close:
            return f"unknown key {key!r} (did you mean {close[0]!r}?)"
        return f"unknown key {key!r}; " + (
            f"the keys are {', '.join(known)}" if known else "this format takes no options"
        )
    if kind == "missing":
        return f"missing key {key!r}"
    if kind in _KINDS:
        return f"{key}: must be {_KINDS[kind]}, not {got}"
    if kind == "literal_error":
        return f"{key}: must be one of {detail['ctx']['expected']}, not {got}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = detail["ctx"]["ge" if kind == "greater_than_equal" else "le"]
        return f"{key}: must be at {'least' if kind == 'greater_than_equal' else 'most'} {bound:g}, not {got}"
    return f"{key}: {detail['msg']}, not {got}"


def stratum(doc) -> str:
    """Where a doc comes from, as reports and splits use it: "<source>" or "<source>/<part>" (a re3d folder)."""
    part = doc.user_data.get("part")
    return f"{doc.user_data['source']}/{part}" if part else doc.user_data["source"]
