"""Reader and writer for re3d (Dstl) and other Baleen MongoDB exports: documents.json and entities.json
per source folder, one JSON object per line (documents: "_id", "text"; entities: "_id", "documentId",
"begin", "end", "type", "value", "confidence", with character offsets into the document's text)."""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.json_lines import read_json_lines
from defence_ner.corpora.formats.limits import check_length
from defence_ner.corpora.manifest import Source
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError

DOCUMENT_FIELDS = ("_id", "text")
ENTITY_FIELDS = ("documentId", "begin", "end", "type", "value", "confidence")
_QUOTES = str.maketrans({"“": "'", "”": "'", "‘": "'", "’": "'", '"': "'"})


def source_folders(root: Path) -> list[Path]:
    folders = sorted(p for p in root.iterdir() if (p / "documents.json").is_file())
    if not folders:
        raise CorpusFormatError(root, None, "no source folder with a documents.json")
    return folders


def read_re3d(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per document, with doc.user_data "doc_id", "source" and "part" (the folder)."""
    for folder in source_folders(source.path):
        texts, lines = _read_documents(folder / "documents.json", source, report)
        spans = _read_entities(folder / "entities.json", texts, source, report, f"{source.name}/{folder.name}")
        for doc_id, text in texts.items():
            try:
                check_length(nlp, text, folder / "documents.json", lines[doc_id])
            except CorpusFormatError as error:
                source.bad_record(error, report)
                continue
            doc = nlp.make_doc(text)
            doc.user_data.update({"doc_id": doc_id, "source": source.name, "part": folder.name})
            yield set_entities(doc, spans.get(doc_id, []), source, report)


def write_re3d(docs: Iterable[Doc], root: Path, part: str = "documents") -> None:
    """Write docs as a re3d export under root: a folder per doc.user_data "part" (the re3d folder it was
    read from; part for docs without one) with documents.json and entities.json. Entities get
    confidence 1.0. re3d cannot say "missing": unannotated tokens read back as outside any entity."""
    folders: dict[str, tuple[list[dict], list[dict]]] = {}
    for index, doc in enumerate(docs):
        documents, entities = folders.setdefault(doc.user_data.get("part") or part, ([], []))
        doc_id = str(doc.user_data.get("doc_id", index))
        text = doc.text  # read once: spaCy rebuilds it from every token on each read
        documents.append({"_id": doc_id, "text": text})
        entities += [
            {
                "_id": f"{doc_id}-{n}",
                "documentId": doc_id,
                "begin": e.start_char,
                "end": e.end_char,
                "type": e.label_,
                "value": text[e.start_char : e.end_char],
                "confidence": 1.0,
            }
            for n, e in enumerate(doc.ents, start=1)
        ]
    for name, (documents, entities) in folders.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(root / name / "documents.json", documents)
        srsly.write_jsonl(root / name / "entities.json", entities)


def _read_documents(path: Path, source: Source, report: ConversionReport) -> tuple[dict[str, str], dict[str, int]]:
    """{document id: text} and {document id: its line in path}."""
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line_number, record in read_json_lines(path, DOCUMENT_FIELDS, source, report):
        if record["_id"] in texts:
            source.bad_record(CorpusFormatError(path, line_number, f"duplicate document id {record['_id']!r}"), report)
        elif not isinstance(record["text"], str):
            source.bad_record(CorpusFormatError(path, line_number, "field 'text' is not a string"), report)
        else:
            texts[record["_id"]] = record["text"]
            lines[record["_id"]] = line_number
    return texts, lines


def _read_entities(
    path: Path, texts: dict[str, str], source: Source, report: ConversionReport, part: str
) -> dict[str, list[SourceSpan]]:
    spans: dict[str, list[SourceSpan]] = {}
    for line_number, record in read_json_lines(path, ENTITY_FIELDS, source, report):
        doc_id, begin, end = record["documentId"], record["begin"], record["end"]
        try:
            if doc_id not in texts:
                raise CorpusFormatError(path, line_number, f"document id {doc_id!r} is not in documents.json")
            text = texts[doc_id]
            if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin < end):
                raise CorpusFormatError(path, line_number, f"invalid offsets begin={begin!r} end={end!r}")
            if end > len(text):
                raise CorpusFormatError(
                    path,
                    line_number,
                    f"offset end={end} is past the end of document {doc_id!r} ({len(text)} characters)",
                )
        except CorpusFormatError as error:
            source.bad_record(error, report)
            continue
        located = _locate_value(text, begin, end, record["value"])
        if located is None:
            report.repair(part, "value_not_in_text_kept_offsets", record["type"])
        elif located != (begin, end):
            report.repair(part, "moved_to_value", record["type"])
            begin, end = located
        confidence = float(record["confidence"])
        spans.setdefault(doc_id, []).append(SourceSpan(begin, end, record["type"], confidence, f"{path}:{line_number}"))
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
