"""Reader for re3d (Dstl) and other Baleen MongoDB exports: documents.json and entities.json per source folder."""

import re
from collections.abc import Iterator
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from .errors import CorpusFormatError
from .report import ConversionReport
from .spans import SourceSpan, set_entities

DOCUMENT_FIELDS = ("_id", "text")
ENTITY_FIELDS = ("documentId", "begin", "end", "type", "value", "confidence")
_QUOTES = str.maketrans({"“": "'", "”": "'", "‘": "'", "’": "'", '"': "'"})


def read_json_lines(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    """Yield (line number, record) for each non-blank line, failing on broken JSON or missing fields."""
    with path.open(encoding="utf-8-sig") as file:
        for line_number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                record = srsly.json_loads(line)
            except ValueError as error:
                raise CorpusFormatError(path, line_number, f"invalid JSON ({error})") from None
            if not isinstance(record, dict):
                raise CorpusFormatError(path, line_number, "expected a JSON object")
            missing = [name for name in required if name not in record]
            if missing:
                raise CorpusFormatError(path, line_number, f"missing field(s): {', '.join(missing)}")
            yield line_number, record


def source_folders(root: Path) -> list[Path]:
    folders = sorted(p for p in root.iterdir() if (p / "documents.json").is_file())
    if not folders:
        raise CorpusFormatError(root, None, "no source folder with a documents.json")
    return folders


def read_re3d(
    root: Path, nlp: Language, mapping: dict[str, str], min_confidence: float, report: ConversionReport
) -> Iterator[Doc]:
    """Yield one Doc per re3d document, with doc.user_data "doc_id" and "source" (the folder name)."""
    for folder in source_folders(root):
        source = folder.name
        texts = _read_documents(folder / "documents.json")
        spans = _read_entities(folder / "entities.json", texts, mapping, report, source)
        for doc_id, text in texts.items():
            doc = nlp.make_doc(text)
            doc.user_data.update({"doc_id": doc_id, "source": source})
            report.count_document(source)
            yield set_entities(doc, spans.get(doc_id, []), mapping, min_confidence, report, source)


def _read_documents(path: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for line_number, record in read_json_lines(path, DOCUMENT_FIELDS):
        if record["_id"] in texts:
            raise CorpusFormatError(path, line_number, f"duplicate document id {record['_id']!r}")
        if not isinstance(record["text"], str):
            raise CorpusFormatError(path, line_number, "field 'text' is not a string")
        texts[record["_id"]] = record["text"]
    return texts


def _read_entities(
    path: Path, texts: dict[str, str], mapping: dict[str, str], report: ConversionReport, source: str
) -> dict[str, list[SourceSpan]]:
    spans: dict[str, list[SourceSpan]] = {}
    unmapped: dict[str, list[int]] = {}
    for line_number, record in read_json_lines(path, ENTITY_FIELDS):
        doc_id, begin, end = record["documentId"], record["begin"], record["end"]
        if doc_id not in texts:
            raise CorpusFormatError(path, line_number, f"document id {doc_id!r} is not in documents.json")
        text = texts[doc_id]
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin < end):
            raise CorpusFormatError(path, line_number, f"invalid offsets begin={begin!r} end={end!r}")
        if end > len(text):
            raise CorpusFormatError(path, line_number, f"offset end={end} is past the end of document {doc_id!r} ({len(text)} characters)")
        if record["type"] not in mapping:
            unmapped.setdefault(record["type"], []).append(line_number)
            continue
        located = _locate_value(text, begin, end, record["value"])
        if located is None:
            report.repair(source, "value_not_in_text_kept_offsets", record["type"])
        elif located != (begin, end):
            report.repair(source, "moved_to_value", record["type"])
            begin, end = located
        spans.setdefault(doc_id, []).append(SourceSpan(begin, end, record["type"], float(record["confidence"])))
    if unmapped:
        listing = "; ".join(f"{label!r} at lines {', '.join(map(str, lines[:5]))}" for label, lines in sorted(unmapped.items()))
        raise CorpusFormatError(path, None, f"labels missing from the label mapping: {listing}")
    return spans


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _locate_value(text: str, begin: int, end: int, value: str) -> tuple[int, int] | None:
    """Trust the offsets when the text there is the value up to whitespace and quote style
    (re3d stores values with line breaks folded and quotes normalised); otherwise return the
    occurrence of the value nearest to the offsets, or None if the value is nowhere in the text."""
    if _normalise(text[begin:end]) == _normalise(value):
        return begin, end
    starts = [m.start() for m in re.finditer(re.escape(value), text)]
    if not starts:
        return None
    nearest = min(starts, key=lambda s: abs(s - begin))
    return nearest, nearest + len(value)
