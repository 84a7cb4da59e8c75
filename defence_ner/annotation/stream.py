"""Annotate large corpora with a trained pipeline: input records in, one JSONL output record per document.

Inputs are streamed record by record, so memory stays bounded whatever their size; a bad record is
yielded with its error and reported, not fatal. The output is appended one flushed line per document,
so an interrupted run resumes where it stopped: ids already in the output are skipped.
"""

import codecs
import csv
import json
import sys
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import datasets
import torch
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from tqdm import tqdm

from defence_ner.docbin import word_count
from defence_ner.errors import CorpusFormatError

JSON_LINES = (".jsonl", ".json", ".ndjson")
CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
# Columnar files read through `datasets` (a public builder name each): file extension -> builder.
DATASETS_BUILDERS = {".parquet": "parquet", ".arrow": "arrow"}
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class Record:
    """One input document, or a bad record (text None, error set) located by where ("file:line")."""

    id: str
    text: str | None
    where: str
    error: str | None = None


@dataclass(frozen=True)
class _Fields:
    text_field: str
    id_field: str
    max_chars: int


LINKER_FACTORY = "kb_linker"


def has_linker(nlp: Language) -> bool:
    """Whether the pipeline links entities to the knowledge base (a kb_linker component, enabled)."""
    return any(nlp.get_pipe_meta(name).factory == LINKER_FACTORY for name in nlp.pipe_names)


def doc_to_record(doc: Doc, doc_id: str, linked: bool = False) -> dict:
    """The output record of one document: its id and its entities with character offsets, label and text;
    with linked (the pipeline has a linker), also each entity's knowledge-base id (`kb_id`, "" when it is
    not linked) and the record's canonical name (`kb_name`, null when it is not linked)."""
    entities = []
    for e in doc.ents:
        entity = {"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text}
        if linked:
            record = e._.kb_record if e.kb_id_ and Span.has_extension("kb_record") else None
            entity |= {"kb_id": e.kb_id_, "kb_name": record["name"] if record else None}
        entities.append(entity)
    return {"id": doc_id, "entities": entities}


def read_records(
    paths: list[Path], text_field: str = "text", id_field: str = "id", max_chars: int = 5_000_000
) -> Iterator[Record]:
    """Stream the records of the inputs, in order.

    An input is a .txt file (one document, its id the file name), a folder (its .txt files, recursively
    and sorted, each id the path relative to the folder), JSON lines (.jsonl, .json, .ndjson), .csv or
    .tsv, or a columnar file that `datasets` reads (DATASETS_BUILDERS: .parquet, .arrow). Records of the
    last three take their text from text_field and their id from id_field, by default "<file name>:<n>",
    n the line (JSON lines), the data row from 1 (CSV) or the row index from 0 (`datasets`).
    A record without a string text, with bytes that are not UTF-8, or with more than max_chars
    characters is yielded with its error set.
    """
    fields = _Fields(text_field, id_field, max_chars)
    # Every input is checked before the first is read, so that a typo fails now and not hours in.
    readers = [(path, _reader(path)) for path in paths]
    return (record for path, reader in readers for record in reader(path, fields))


def _reader(path: Path) -> Callable[[Path, _Fields], Iterator[Record]]:
    suffix = path.suffix.lower()
    if path.is_dir():
        return _read_text_folder
    if not path.is_file():
        raise CorpusFormatError(path, None, "no such file or folder")
    if suffix == ".txt":
        return _read_text_file
    if suffix in JSON_LINES:
        return _read_json_lines
    if suffix in CSV_DELIMITERS:
        return _read_csv
    if suffix in DATASETS_BUILDERS:
        return _read_with_datasets
    raise CorpusFormatError(
        path,
        None,
        "unsupported input; use .txt, a folder of .txt, "
        + ", ".join((*JSON_LINES, *CSV_DELIMITERS, *DATASETS_BUILDERS)),
    )


def _read_text_folder(folder: Path, fields: _Fields) -> Iterator[Record]:
    for path in sorted(folder.rglob("*.txt")):
        if path.is_file():
            yield _text_file_record(path, path.relative_to(folder).as_posix(), fields.max_chars)


def _read_text_file(path: Path, fields: _Fields) -> Iterator[Record]:
    yield _text_file_record(path, path.name, fields.max_chars)


def _text_file_record(path: Path, doc_id: str, max_chars: int) -> Record:
    """The file decoded strictly as UTF-8 in chunks, keeping no more than max_chars characters in memory."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    parts, length = [], 0
    try:
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(CHUNK_BYTES), b""):
                part = decoder.decode(chunk)
                length += len(part)
                if length <= max_chars:
                    parts.append(part)
            length += len(decoder.decode(b"", final=True))
    except UnicodeDecodeError as error:
        return Record(doc_id, None, str(path), f"not valid UTF-8 ({error.reason})")
    if length > max_chars:
        return Record(doc_id, None, str(path), f"too long: {length} characters")
    return Record(doc_id, "".join(parts), str(path))


def _read_json_lines(path: Path, fields: _Fields) -> Iterator[Record]:
    with path.open("rb") as file:
        for line_number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            default_id, where = f"{path.name}:{line_number}", f"{path}:{line_number}"
            try:
                value = json.loads(line.decode("utf-8-sig"))
            except UnicodeDecodeError as error:
                yield Record(default_id, None, where, f"not valid UTF-8 ({error.reason})")
                continue
            except json.JSONDecodeError as error:
                yield Record(default_id, None, where, f"invalid JSON ({error})")
                continue
            if not isinstance(value, dict):
                yield Record(default_id, None, where, "expected a JSON object")
                continue
            yield _record(value, default_id, where, fields)


def _read_csv(path: Path, fields: _Fields) -> Iterator[Record]:
    """Rows of a CSV file with a header; a file that stops parsing or decoding ends with one bad record."""
    # The default limit (131,072 characters a field) would end the file at its first long document;
    # length is checked against max_chars once the row is read.
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file, delimiter=CSV_DELIMITERS[path.suffix.lower()])
        row_number, line_number = 0, 1
        try:
            if reader.fieldnames is None:  # reads the header: line numbers then start at the first row
                return
            line_number = reader.line_num + 1
            for row_number, row in enumerate(reader, start=1):
                present = {name: value for name, value in row.items() if value is not None}
                yield _record(present, f"{path.name}:{row_number}", f"{path}:{line_number}", fields)
                line_number = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError) as error:
            reason = f"not valid UTF-8 ({error.reason})" if isinstance(error, UnicodeDecodeError) else str(error)
            yield Record(
                f"{path.name}:{row_number + 1}",
                None,
                f"{path}:{line_number}",
                f"{reason}; the rest of the file is not read",
            )


def _read_with_datasets(path: Path, fields: _Fields) -> Iterator[Record]:
    builder = DATASETS_BUILDERS[path.suffix.lower()]
    rows = datasets.load_dataset(builder, data_files=[str(path)], split="train", streaming=True)
    for index, row in enumerate(rows):
        yield _record(row, f"{path.name}:{index}", f"{path}:{index}", fields)


def _record(values: dict, default_id: str, where: str, fields: _Fields) -> Record:
    given_id = values.get(fields.id_field)
    doc_id = default_id if given_id is None or given_id == "" else str(given_id)
    if fields.text_field not in values:
        return Record(doc_id, None, where, f"no field {fields.text_field!r}")
    text = values[fields.text_field]
    if not isinstance(text, str):
        return Record(doc_id, None, where, f"field {fields.text_field!r} is {type(text).__name__}, not a string")
    if len(text) > fields.max_chars:
        return Record(doc_id, None, where, f"too long: {len(text)} characters")
    return Record(doc_id, text, where)


class AnnotationWriter:
    """Appends output records and bad records to two JSONL files, one flushed line each, resuming both.

    On entering, a line cut short by a crash is removed from the end of each file, the ids of the output
    are collected in `done` (annotate skips them), and bad records already reported are not repeated.
    """

    def __init__(self, output: Path, errors: Path):
        if output.resolve() == errors.resolve():
            raise ValueError(f"the output and the errors file must differ: {output}")
        self.output_path = output
        self.errors_path = errors
        self.done: set[str] = set()
        self._reported: set[Hashable] = set()

    def __enter__(self) -> "AnnotationWriter":
        self.output_path.parent.mkdir(parents=True, exist_ok=True)
        self.errors_path.parent.mkdir(parents=True, exist_ok=True)
        self.done = _resume(self.output_path, lambda record: record["id"])
        self._reported = _resume(self.errors_path, lambda record: (record["id"], record["where"]))
        self._output = self.output_path.open("ab")
        self._errors = self.errors_path.open("ab")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._output.close()
        self._errors.close()

    def write(self, record: dict) -> None:
        _append_line(self._output, record)
        self.done.add(record["id"])

    def error(self, record: Record) -> None:
        key = (record.id, record.where)
        if key not in self._reported:
            _append_line(self._errors, {"id": record.id, "where": record.where, "error": record.error})
            self._reported.add(key)


def _append_line(file: BinaryIO, record: dict) -> None:
    # One write of the whole line, then a flush: an interruption leaves at most one partial last line.
    file.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    file.flush()


def _resume(path: Path, key: Callable[[dict], Hashable]) -> set:
    """The keys of the records in a JSONL file, its incomplete last line (if any) truncated away."""
    keys: set = set()
    if not path.exists():
        return keys
    with path.open("rb+") as file:
        complete = 0
        for line_number, line in enumerate(file, start=1):
            if not line.endswith(b"\n"):
                break
            complete += len(line)
            if line.strip():
                keys.add(_key(line, key, path, line_number))
        if file.tell() > complete:
            file.truncate(complete)
    return keys


def _key(line: bytes, key: Callable[[dict], Hashable], path: Path, line_number: int) -> Hashable:
    try:
        return key(json.loads(line))
    except (ValueError, TypeError, KeyError) as error:
        raise CorpusFormatError(
            path, line_number, f"not a record written by annotate ({error!r}); is this the right file?"
        ) from error


def single_thread_torch() -> None:
    """One torch thread per process, set before a pipeline runs with n_process > 1: forked workers of a
    process whose torch thread pool has run deadlock (a transformer pipeline then hangs)."""
    torch.set_num_threads(1)


def annotate(
    nlp: Language,
    records: Iterable[Record],
    writer: AnnotationWriter,
    batch_size: int,
    n_process: int,
    progress: bool = True,
    docbin: DocBin | None = None,
) -> dict:
    """Annotate the records not yet in the writer's output and write one record per document.

    With a linker in the pipeline, each entity also has its kb_id and kb_name (doc_to_record).
    Bad records, and records repeating an id seen earlier in the run, go to writer.error. Each Doc is
    also added to docbin, if given, its id in user_data["doc_id"]. Returns the run's summary: documents
    written, skipped_done (ids already in the output), errors, words (word_count), seconds and
    words_per_second.
    """
    counts = {"documents": 0, "skipped_done": 0, "errors": 0, "words": 0}
    start = time.perf_counter()
    texts = pending_texts(records, writer, counts)
    linked = has_linker(nlp)
    with tqdm(desc="Annotating", unit="doc", disable=not progress) as bar:
        for doc, doc_id in nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process):
            writer.write(doc_to_record(doc, doc_id, linked))
            if docbin is not None:
                doc.user_data["doc_id"] = doc_id
                docbin.add(doc)
            counts["documents"] += 1
            counts["words"] += word_count(doc)
            words_per_second = counts["words"] / (time.perf_counter() - start)
            bar.set_postfix(
                {"words/s": f"{words_per_second:,.0f}", "skipped": counts["skipped_done"], "errors": counts["errors"]},
                refresh=False,
            )
            bar.update()
    seconds = time.perf_counter() - start
    return {**counts, "seconds": round(seconds, 3), "words_per_second": round(counts["words"] / seconds, 1)}


def pending_texts(records: Iterable[Record], writer: AnnotationWriter, counts: dict) -> Iterator[tuple[str, str]]:
    """(text, id) of each good record not yet annotated, counting the others."""
    seen: set[str] = set()
    for record in records:
        # Checked first, as the writer's done ids grow with this run's.
        if record.error is None and record.id in seen:
            record = Record(record.id, None, record.where, "duplicate id: an earlier record of this run has it")
        if record.error is None and record.id in writer.done:
            counts["skipped_done"] += 1
            continue
        if record.error is not None:
            writer.error(record)
            counts["errors"] += 1
            continue
        seen.add(record.id)
        yield record.text, record.id
