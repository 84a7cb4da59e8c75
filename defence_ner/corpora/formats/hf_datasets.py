"""Reader and writer for Hugging Face `datasets` token-classification data: one row per document,
a column of tokens and a column of tags (ClassLabel ids, or tag strings), as in conll2003 or wnut_17.

The data is read from a folder written by Dataset.save_to_disk or DatasetDict.save_to_disk, from
local data files (a file, or a folder of files, of one of BUILDERS' types), or, when source.path is
neither, from the Hub dataset of that name (which needs a network connection).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import biluo_to_iob, offsets_to_biluo_tags

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.conll import SCHEMES, single_spaces, tags_to_spans
from defence_ner.corpora.manifest import ReaderOptions, Source
from defence_ner.corpora.spans import set_entities
from defence_ner.errors import CorpusFormatError

# `datasets` takes over a second to import, and every conversion imports this module (the format registry), so it
# is imported where a dataset is read or written.
if TYPE_CHECKING:
    from datasets import Dataset, DatasetDict

BUILDERS = {".json": "json", ".jsonl": "json", ".parquet": "parquet", ".csv": "csv", ".arrow": "arrow"}
SAVED_MARKERS = ("dataset_dict.json", "state.json")  # written by DatasetDict / Dataset .save_to_disk


class HfDatasetsOptions(ReaderOptions):
    split: str = "train"
    tokens_column: str = "tokens"
    tags_column: str = "ner_tags"
    id_column: str = "id"
    scheme: Literal[SCHEMES] = "iob2"


def read_hf_dataset(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per row of the chosen split, its words the row's tokens.

    Options: split (default "train"; a saved Dataset has no splits and ignores it), tokens_column
    (default "tokens"), tags_column (default "ner_tags"), id_column (default "id"; a row without
    one is named by its index) and scheme ("iob2", "iob1" or "biluo"; default "iob2").
    A row whose tokens and tags differ in length, with a tag id outside the ClassLabel names, or
    with a byte that is not UTF-8, is a bad record located by its row index.
    """
    options = source.options
    tokens_column = options.get("tokens_column", "tokens")
    tags_column = options.get("tags_column", "ner_tags")
    id_column = options.get("id_column", "id")
    scheme = options.get("scheme", "iob2")
    if scheme not in SCHEMES:
        raise CorpusFormatError(source.path, None, f"unknown tag scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    dataset = _load(source.path, options.get("split", "train"))
    _check_columns(dataset, source.path, [tokens_column, tags_column])
    names = _tag_names(dataset, tags_column, source.path)
    for index, row in _rows(dataset, source.path):
        try:
            if isinstance(row, CorpusFormatError):
                raise row
            tokens, tags = _row_tokens_and_tags(row[tokens_column], row[tags_column], names, source.path, index)
        except CorpusFormatError as error:
            source.bad_record(error, report)
            continue
        doc = Doc(nlp.vocab, words=tokens, spaces=single_spaces(len(tokens)))
        doc.user_data.update({"doc_id": str(row.get(id_column, index)), "source": source.name})
        spans = tags_to_spans(doc, tags, [index] * len(tokens), source.path, source, report, scheme)
        if spans is not None:
            yield set_entities(doc, spans, source, report)


def write_hf_dataset(docs: Iterable[Doc], folder: Path, label_names: list[str] | None = None) -> None:
    """Save docs with Dataset.save_to_disk: columns tokens, ner_tags (IOB2 ClassLabel ids) and id.

    label_names: the ClassLabel names, "O" first; by default "O" then B- and I- of every entity label
    in docs, sorted. As in CoNLL, unannotated (missing) tokens are written as O, and whitespace
    tokens are left out.
    """
    from datasets import ClassLabel, Dataset, Features, Sequence, Value

    rows = [_doc_row(doc, i) for i, doc in enumerate(docs)]
    names = label_names or _iob2_names({tag for row in rows for tag in row["ner_tags"]})
    features = Features(
        {"tokens": Sequence(Value("string")), "ner_tags": Sequence(ClassLabel(names=names)), "id": Value("string")}
    )
    columns = {column: [row[column] for row in rows] for column in features}
    Dataset.from_dict(columns, features=features).save_to_disk(str(folder))


def _load(path: Path, split: str) -> Dataset:
    """The split's Dataset from a saved folder, from local data files, or from the Hub."""
    import datasets

    if path.is_dir() and any((path / marker).exists() for marker in SAVED_MARKERS):
        return _choose_split(datasets.load_from_disk(str(path)), split, path)
    if path.exists():
        builder, files = _data_files(path)
        return _choose_split(datasets.load_dataset(builder, data_files=files), split, path)
    return datasets.load_dataset(path.as_posix(), split=split)


def _rows(dataset: Dataset, path: Path) -> Iterator[tuple[int, dict | CorpusFormatError]]:
    """(index, row) per row; (index, error) for a row holding a byte that is not UTF-8, which Arrow
    keeps as it is and only fails to decode when the row is read (after that, rows are read one by one)."""
    rows: Iterator[dict] | None = iter(dataset)
    for index in range(len(dataset)):
        try:
            row: dict | CorpusFormatError = next(rows) if rows is not None else dataset[index]
        except UnicodeDecodeError as error:
            rows = None  # the iterator ended with the error
            byte = error.object[error.start]
            row = CorpusFormatError(path, index, f"not valid UTF-8: byte 0x{byte:02X} in {bytes(error.object)!r}")
        yield index, row


def _data_files(path: Path) -> tuple[str, list[str]]:
    """The builder and the files for a data file, or for a folder of data files of one type."""
    files = sorted(p for p in path.iterdir() if p.suffix in BUILDERS) if path.is_dir() else [path]
    builders = {BUILDERS.get(p.suffix) for p in files}
    if len(builders) != 1 or None in builders:
        raise CorpusFormatError(
            path, None, f"expected a saved dataset, or data files of one type ({', '.join(BUILDERS)})"
        )
    return builders.pop(), [str(p) for p in files]


def _choose_split(loaded: Dataset | DatasetDict, split: str, path: Path) -> Dataset:
    from datasets import Dataset

    if isinstance(loaded, Dataset):
        return loaded
    if split not in loaded:
        raise CorpusFormatError(path, None, f"no split {split!r}; the splits are {', '.join(loaded)}")
    return loaded[split]


def _check_columns(dataset: Dataset, path: Path, columns: list[str]) -> None:
    missing = [column for column in columns if column not in dataset.column_names]
    if missing:
        raise CorpusFormatError(
            path, None, f"no column {', '.join(map(repr, missing))}; the columns are {', '.join(dataset.column_names)}"
        )


def _tag_names(dataset: Dataset, column: str, path: Path) -> list[str] | None:
    """The ClassLabel names of a column of tag ids, or None for a column of tag strings."""
    from datasets import ClassLabel, Value

    feature = dataset.features[column]
    inner = getattr(feature, "feature", None)
    if isinstance(inner, ClassLabel):
        return inner.names
    if isinstance(inner, Value) and inner.dtype in ("string", "large_string"):
        return None
    raise CorpusFormatError(
        path, None, f"column {column!r} must hold lists of ClassLabel ids or of tag strings, not {feature}"
    )


def _row_tokens_and_tags(
    tokens: list[str], tags: list[int] | list[str], names: list[str] | None, path: Path, index: int
) -> tuple[list[str], list[str]]:
    """A row's tokens and tag names, checked to pair up."""
    if len(tokens) != len(tags):
        raise CorpusFormatError(path, index, f"{len(tokens)} tokens but {len(tags)} tags")
    if names is None:
        return tokens, tags
    outside = [tag for tag in tags if not 0 <= tag < len(names)]
    if outside:
        raise CorpusFormatError(path, index, f"tag id {outside[0]} outside the {len(names)} ClassLabel names")
    return tokens, [names[tag] for tag in tags]


def _doc_row(doc: Doc, index: int) -> dict:
    tags = biluo_to_iob(offsets_to_biluo_tags(doc, [(e.start_char, e.end_char, e.label_) for e in doc.ents]))
    kept = [token for token in doc if not token.is_space]
    return {
        "tokens": [token.text for token in kept],
        "ner_tags": [tags[token.i] for token in kept],
        "id": str(doc.user_data.get("doc_id", index)),
    }


def _iob2_names(tags: set[str]) -> list[str]:
    labels = sorted({tag[2:] for tag in tags if tag != "O"})
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]
