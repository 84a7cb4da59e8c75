"""Reader and writer for brat standoff: a folder (searched recursively) of NAME.txt + NAME.ann pairs.

Each .txt is one document; the continuous text-bound annotations (T lines) of its .ann are its
entity spans, at character offsets into the file as is. The rest of a .ann is counted, so that the
report shows it: a discontinuous span ("T2<TAB>Label 0 5;10 15") is raw and dropped as
"discontinuous_span"; relation, event, attribute, normalization, note and equivalence lines are raw
and dropped as "not_text_bound", under the label "<kind>:<type>" (e.g. "relation:Located_in"). A span
whose stored text differs from the .txt at its offsets is kept at the offsets and counted as the repair
"text_differs_from_offsets". A malformed line, or a .ann without its .txt, is a bad record; so is a .ann
line, or a whole .txt, with a byte that is not UTF-8.
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import RAW, ConversionReport
from defence_ner.corpora.formats.encoding import UTF8, check_utf8
from defence_ner.corpora.formats.limits import check_length
from defence_ner.corpora.manifest import Source, stratum
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError

TEXT_BOUND = "T"
NOT_TEXT_BOUND = {
    "R": "relation",
    "E": "event",
    "A": "attribute",
    "M": "attribute",
    "N": "normalization",
    "#": "note",
    "*": "equivalence",
}
_OFFSET = re.compile(r"[0-9]+")
_UNSAFE = re.compile(r"[^\w.-]+")


def read_brat(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per .txt file, sorted by path, with doc.user_data "doc_id" (the path relative to
    the source folder, without suffix) and "source". A .txt without a .ann has no annotations."""
    for doc_id, txt_path, ann_path in _documents(source.path):
        if not txt_path.is_file():
            source.bad_record(CorpusFormatError(ann_path, None, f"no {txt_path.name} beside it"), report)
            continue
        # newline="" keeps "\r\n" as two characters, as brat counts them in its offsets
        with txt_path.open(encoding="utf-8", errors=UTF8["errors"], newline="") as file:
            text = file.read()
        try:
            check_utf8(text, txt_path)
            check_length(nlp, text, txt_path, None)
        except CorpusFormatError as error:  # the whole document is the bad record
            source.bad_record(error, report)
            continue
        doc = nlp.make_doc(text)
        doc.user_data.update({"doc_id": doc_id, "source": source.name})
        spans = _read_ann(ann_path, doc, source, report) if ann_path.is_file() else []
        yield set_entities(doc, spans, source, report)


def write_brat(docs: Iterable[Doc], folder: Path) -> None:
    """Write NAME.txt (the text as is) and NAME.ann (T1.. for doc.ents) per doc into folder. NAME is
    doc.user_data "doc_id" made a safe file name, or the doc's index; a suffix keeps names unique.
    Brat cannot say "missing": unannotated tokens read back as outside any entity."""
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for index, doc in enumerate(docs):
        name = _file_name(doc.user_data.get("doc_id"), index, used)
        used.add(name)
        (folder / f"{name}.txt").write_text(doc.text, encoding="utf-8", newline="")
        lines = [
            f"T{n}\t{e.label_} {e.start_char} {e.end_char}\t{_one_line(e.text)}\n"
            for n, e in enumerate(doc.ents, start=1)
        ]
        (folder / f"{name}.ann").write_text("".join(lines), encoding="utf-8")


def _documents(folder: Path) -> list[tuple[str, Path, Path]]:
    """(doc_id, .txt path, .ann path) for each name with either file, sorted; one of the two may not exist."""
    if not folder.is_dir():
        raise CorpusFormatError(folder, None, "a brat source must be a folder of .txt and .ann files")
    ids = {
        path.relative_to(folder).with_suffix("").as_posix()
        for pattern in ("*.txt", "*.ann")
        for path in folder.rglob(pattern)
        if path.is_file()
    }
    if not ids:
        raise CorpusFormatError(folder, None, "no .txt or .ann files in the folder or below it")
    return [(doc_id, folder / f"{doc_id}.txt", folder / f"{doc_id}.ann") for doc_id in sorted(ids)]


def _read_ann(path: Path, doc: Doc, source: Source, report: ConversionReport) -> list[SourceSpan]:
    """The continuous text-bound spans of a .ann file; every other annotation is counted as dropped."""
    spans: list[SourceSpan] = []
    text = doc.text  # read once: spaCy rebuilds it from every token on each read
    with path.open(**UTF8) as file:
        for line_number, line in enumerate(file, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            try:
                span = _parse_line(path, line_number, check_utf8(line, path, line_number), doc, text, report)
            except CorpusFormatError as error:
                source.bad_record(error, report)
                continue
            if span is not None:
                spans.append(span)
    return spans


def _parse_line(
    path: Path, line_number: int, line: str, doc: Doc, text: str, report: ConversionReport
) -> SourceSpan | None:
    """The span of a continuous T line (text is doc.text); None for any other annotation, which is counted
    as dropped here."""
    fields = line.split("\t", 2)  # the stored text, the third field, may itself hold tabs
    prefix = fields[0][:1]
    if prefix != TEXT_BOUND and prefix not in NOT_TEXT_BOUND:
        raise CorpusFormatError(path, line_number, f"unknown annotation id {fields[0]!r}")
    if len(fields) < (3 if prefix == TEXT_BOUND else 2) or not fields[1].strip():
        raise CorpusFormatError(path, line_number, f"missing tab-separated fields in {line!r}")
    name = stratum(doc)
    if prefix != TEXT_BOUND:
        # an event's type comes with its trigger, as "Attack:T3"
        label = f"{NOT_TEXT_BOUND[prefix]}:{fields[1].split()[0].split(':')[0]}"
        report.count(name, RAW, label)
        report.drop(name, "not_text_bound", label)
        return None
    label, _, offsets = fields[1].strip().partition(" ")
    fragments = _fragments(path, line_number, offsets, len(text))
    if len(fragments) > 1:
        report.count(name, RAW, label)
        report.drop(name, "discontinuous_span", label)
        return None
    start, end = fragments[0]
    if text[start:end] != fields[2]:
        report.repair(name, "text_differs_from_offsets", label)
    return SourceSpan(start, end, label, where=f"{path}:{line_number}")


def _fragments(path: Path, line_number: int, offsets: str, length: int) -> list[tuple[int, int]]:
    """(start, end) per ";"-separated fragment of "START END;START END"."""
    fragments = []
    for fragment in offsets.split(";"):
        parts = fragment.split()
        if len(parts) != 2 or not all(_OFFSET.fullmatch(part) for part in parts) or int(parts[0]) >= int(parts[1]):
            raise CorpusFormatError(path, line_number, f"bad offsets {offsets!r}")
        start, end = int(parts[0]), int(parts[1])
        if end > length:
            raise CorpusFormatError(
                path, line_number, f"offset {end} is past the end of the text ({length} characters)"
            )
        fragments.append((start, end))
    return fragments


def _file_name(doc_id: object, index: int, used: set[str]) -> str:
    name = _UNSAFE.sub("_", str(doc_id)).strip("._") if doc_id else ""
    name = name or str(index)
    unique, n = name, 1
    while unique in used:
        n += 1
        unique = f"{name}-{n}"
    return unique


def _one_line(text: str) -> str:
    # a line break would end the .ann line; one space per break keeps the stored text's length
    return re.sub(r"[\r\n]", " ", text)
