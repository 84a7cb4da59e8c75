"""Readers and writers for the JSON exports of span-annotation tools, all with character offsets into a text.

- Prodigy (JSONL): one task per line, {"text", "spans": [{"start", "end", "label"}], "answer", "meta"}.
  Only accepted tasks (or tasks without an "answer") become documents; the spans of rejected and
  ignored tasks are counted as dropped ("task_not_accepted").
- doccano (JSONL, sequence-labelling export): {"id", "text", "label": [[start, end, label]]}, or in
  newer exports {"id", "text", "entities": [{"start_offset", "end_offset", "label"}]}.
- Label Studio (JSON export): one array of tasks, {"id", "data": {"text"}, "annotations": [{"id",
  "was_cancelled", "result": [{"type": "labels", "value": {"start", "end", "text", "labels"}}]}]}.
  The first annotation that is not cancelled is used; results of other types (relations, choices,
  ...) are counted as dropped ("not_a_span") under their type. A span whose "text" differs from the
  task's text at its offsets is kept at the offsets and counted as the repair "text_differs_from_offsets",
  as in brat.

A record is located by its line (JSONL) or its index in the array from 0 (Label Studio). None of
these formats can say "missing": the writers write the entities only, and unannotated tokens read
back as O unless the source is partial.
"""

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import RAW, ConversionReport
from defence_ner.corpora.formats.encoding import UTF8, undecodable
from defence_ner.corpora.formats.json_lines import read_json_lines
from defence_ner.corpora.formats.limits import check_length
from defence_ner.corpora.manifest import ReaderOptions, Source
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError

PRODIGY_ANSWERS = ("accept", "reject", "ignore")


class LabelStudioOptions(ReaderOptions):
    text_key: str = "text"  # the key of the text in a task's "data"


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_KINDS = {str: "a string", list: "a list", dict: "an object"}
_UNUSED = {
    "cancelled": "cancelled annotation(s)",
    "not_first": "annotation(s) after the first that is not cancelled",
    "unannotated": "task(s) without an annotation that is not cancelled, left out",
}


def read_prodigy(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per accepted task; doc_id is meta["id"], else "<file name>:<line>"."""
    path = source.path
    left_out: Counter[str] = Counter()
    for line, task in read_json_lines(path, ("text",), source, report):
        try:
            text = _field(task, "text", str, path, line)
            check_length(nlp, text, path, line)
            spans = [
                _span(text, *_keys(item, ("start", "end", "label"), path, line), path, line)
                for item in _field(task, "spans", list, path, line, optional=True)
            ]
            meta = _field(task, "meta", dict, path, line, optional=True)
            answer = task.get("answer", "accept")
            if answer not in PRODIGY_ANSWERS:
                raise CorpusFormatError(path, line, f"answer {answer!r} is not one of {', '.join(PRODIGY_ANSWERS)}")
        except CorpusFormatError as error:
            source.bad_record(error, report)
            continue
        if answer != "accept":
            left_out[answer] += 1
            _count_dropped(report, source.name, "task_not_accepted", (span.label for span in spans))
            continue
        yield _doc(nlp, text, _doc_id(meta.get("id"), path, line), spans, source, report)
    if left_out:
        answers = ", ".join(f"{answer}: {n}" for answer, n in sorted(left_out.items()))
        report.note(
            source.name,
            f"left out {left_out.total()} task(s) not accepted ({answers}); their spans are dropped:task_not_accepted",
        )


def write_prodigy(docs: Iterable[Doc], path: Path) -> None:
    """Write each doc as an accepted Prodigy task, its doc_id as meta["id"]."""
    srsly.write_jsonl(
        path,
        (
            {
                "text": doc.text,
                "spans": [{"start": s, "end": e, "label": label} for s, e, label in _entities(doc)],
                "answer": "accept",
                "meta": {"id": doc.user_data["doc_id"]},
            }
            for doc in docs
        ),
    )


def read_doccano(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per record, in either export shape; doc_id is "id", else "<file name>:<line>"."""
    path = source.path
    for line, record in read_json_lines(path, ("text",), source, report):
        try:
            text = _field(record, "text", str, path, line)
            check_length(nlp, text, path, line)
            if "entities" in record:
                fields = [
                    _keys(item, ("start_offset", "end_offset", "label"), path, line)
                    for item in _field(record, "entities", list, path, line)
                ]
            else:
                fields = [
                    _triple(item, path, line) for item in _field(record, "label", list, path, line, optional=True)
                ]
            spans = [_span(text, *field, path, line) for field in fields]
        except CorpusFormatError as error:
            source.bad_record(error, report)
            continue
        yield _doc(nlp, text, _doc_id(record.get("id"), path, line), spans, source, report)


def write_doccano(docs: Iterable[Doc], path: Path) -> None:
    """Write each doc as {"id", "text", "label": [[start, end, label]]}, the shape doccano imports."""
    srsly.write_jsonl(
        path,
        (
            {"id": doc.user_data["doc_id"], "text": doc.text, "label": [list(entity) for entity in _entities(doc)]}
            for doc in docs
        ),
    )


def read_label_studio(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per task with an annotation that is not cancelled; doc_id is the task's "id",
    else "<file name>:<index>". Option: text_key, the key of the text in "data" (default "text").
    Tasks without such an annotation, and annotations other than the one used, are noted in the report."""
    path = source.path
    text_key = source.options.get("text_key", "text")
    unused: Counter[str] = Counter()
    for index, (task, not_utf8) in enumerate(_read_json_array(path)):
        try:
            if not_utf8:
                raise CorpusFormatError(path, index, not_utf8)
            text = _field(_field(task, "data", dict, path, index), text_key, str, path, index)
            check_length(nlp, text, path, index)
            annotations = _field(task, "annotations", list, path, index, optional=True)
            if not all(isinstance(annotation, dict) for annotation in annotations):
                raise CorpusFormatError(path, index, "an annotation is not an object")
            usable = [a for a in annotations if not a.get("was_cancelled", False)]
            spans, other_types, differs = (
                _label_studio_results(text, usable[0], path, index) if usable else ([], [], [])
            )
        except CorpusFormatError as error:
            source.bad_record(error, report)
            continue
        unused.update(
            cancelled=len(annotations) - len(usable), not_first=max(len(usable) - 1, 0), unannotated=int(not usable)
        )
        if not usable:
            continue
        _count_dropped(report, source.name, "not_a_span", other_types)
        for label in differs:
            report.repair(source.name, "text_differs_from_offsets", label)
        yield _doc(nlp, text, _doc_id(task.get("id"), path, index), spans, source, report)
    parts = [f"{unused[key]} {what}" for key, what in _UNUSED.items() if unused[key]]
    if parts:
        report.note(source.name, f"not used: {'; '.join(parts)}")


def write_label_studio(docs: Iterable[Doc], path: Path) -> None:
    """Write the docs as a Label Studio export: one task per doc, its entities as one annotation of
    "labels" results from the labelling config's default names ("label" on "text")."""
    srsly.write_json(path, [_label_studio_task(doc) for doc in docs])


def _label_studio_task(doc: Doc) -> dict:
    text = doc.text  # read once: spaCy rebuilds it from every token on each read
    results = [
        {
            "id": f"{doc.user_data['doc_id']}-{i}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
        }
        for i, (start, end, label) in enumerate(_entities(doc))
    ]
    return {
        "id": doc.user_data["doc_id"],
        "data": {"text": text},
        "annotations": [{"id": 1, "was_cancelled": False, "result": results}],
    }


def _label_studio_results(
    text: str, annotation: dict, path: Path, index: int
) -> tuple[list[SourceSpan], list[str], list[str]]:
    """The spans of an annotation's "labels" results (one per label), the types of its other results, and
    the labels of the spans whose stored "text" differs from the task's text at their offsets."""
    spans: list[SourceSpan] = []
    other_types: list[str] = []
    differs: list[str] = []
    for item in _field(annotation, "result", list, path, index, optional=True):
        kind = _field(item, "type", str, path, index)
        if kind != "labels":
            other_types.append(kind)
            continue
        value = _field(item, "value", dict, path, index)
        start, end, labels = _keys(value, ("start", "end", "labels"), path, index)
        if not isinstance(labels, list) or not labels:
            raise CorpusFormatError(path, index, f"span {start!r}-{end!r} has no labels")
        region = [_span(text, start, end, label, path, index) for label in labels]
        if "text" in value and _field(value, "text", str, path, index) != text[start:end]:
            differs += [span.label for span in region]
        spans += region
    return spans, other_types, differs


def _read_json_array(path: Path) -> list[tuple[object, str | None]]:
    """(task, None) per element of the file's JSON array; (task, reason) for a task with a byte that is
    not UTF-8, so that the task alone is a bad record. An unreadable file is an error at the file."""
    with path.open(**UTF8) as file:
        text = file.read()
    decoder = json.JSONDecoder()
    tasks: list[tuple[object, str | None]] = []
    try:
        position = _WHITESPACE.match(text).end()
        if not text.startswith("[", position):
            decoder.raw_decode(text, position)  # raises for text that is not JSON at all
            raise CorpusFormatError(path, None, "expected a JSON array of tasks")
        position = _WHITESPACE.match(text, position + 1).end()
        closed = text.startswith("]", position)
        while not closed:
            start = position
            task, position = decoder.raw_decode(text, position)
            found = undecodable(text, start=start, end=position)
            tasks.append((task, found and f"not valid UTF-8: {found[1]} on line {found[0]} of the file"))
            position = _WHITESPACE.match(text, position).end()
            if text.startswith(",", position):
                position = _WHITESPACE.match(text, position + 1).end()
            elif text.startswith("]", position):
                closed = True
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, position)
        if text[position + 1 :].strip():
            raise json.JSONDecodeError("Extra data", text, position + 1)
    except json.JSONDecodeError as error:
        found = undecodable(text)
        why = (
            f"not valid UTF-8: {found[1]} on line {found[0]}"
            if found
            else f"{error.msg}: line {error.lineno} column {error.colno}"
        )
        raise CorpusFormatError(path, None, f"invalid JSON ({why})") from None
    return tasks


def _field(record: object, key: str, kind: type, path: Path, line: int, optional: bool = False) -> Any:
    """record[key], checked to be of kind; an empty kind() if it is absent and optional."""
    if not isinstance(record, dict):
        raise CorpusFormatError(path, line, "expected a JSON object")
    if key not in record:
        if optional:
            return kind()
        raise CorpusFormatError(path, line, f"missing field {key!r}")
    if not isinstance(record[key], kind):
        raise CorpusFormatError(path, line, f"field {key!r} is not {_KINDS[kind]}")
    return record[key]


def _keys(item: object, keys: tuple[str, str, str], path: Path, line: int) -> tuple:
    """The start, end and label of a span given as an object under these keys (None where absent)."""
    if not isinstance(item, dict):
        raise CorpusFormatError(path, line, f"span {item!r} is not an object")
    return tuple(item.get(key) for key in keys)


def _triple(item: object, path: Path, line: int) -> tuple:
    """The start, end and label of a span given as [start, end, label]."""
    if not (isinstance(item, list) and len(item) == 3):
        raise CorpusFormatError(path, line, f"span {item!r} is not [start, end, label]")
    return tuple(item)


def _span(text: str, start: object, end: object, label: object, path: Path, line: int) -> SourceSpan:
    """A SourceSpan located at path:line, or an error if its offsets or label are not valid in text."""
    if not isinstance(label, str) or not label:
        raise CorpusFormatError(path, line, f"span {start!r}-{end!r} has no label")
    if not (_is_int(start) and _is_int(end) and 0 <= start < end):
        raise CorpusFormatError(path, line, f"invalid offsets start={start!r} end={end!r}")
    if end > len(text):
        raise CorpusFormatError(path, line, f"offset end={end} is past the end of the text ({len(text)} characters)")
    return SourceSpan(start, end, label, where=f"{path}:{line}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _doc_id(value: object, path: Path, line: int) -> str:
    return f"{path.name}:{line}" if value is None else str(value)


def _doc(
    nlp: Language, text: str, doc_id: str, spans: list[SourceSpan], source: Source, report: ConversionReport
) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data.update({"doc_id": doc_id, "source": source.name})
    return set_entities(doc, spans, source, report)


def _count_dropped(report: ConversionReport, source: str, reason: str, labels: Iterable[str]) -> None:
    """Count spans that never reach set_entities as raw and dropped, so that the report still balances."""
    for label in labels:
        report.count(source, RAW, label)
        report.drop(source, reason, label)


def _entities(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
