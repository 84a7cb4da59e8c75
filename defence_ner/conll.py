"""Reader for token-per-line CoNLL/IOB files: one token per line, a tag column, blank lines between sentences."""

from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc
from spacy.vocab import Vocab

from .errors import CorpusFormatError
from .report import ConversionReport
from .spans import SourceSpan, set_entities

DOCSTART = "-DOCSTART-"


def read_conll(
    path: Path,
    vocab: Vocab,
    mapping: dict[str, str],
    report: ConversionReport,
    source: str,
    tag_column: int = -1,
) -> Iterator[Doc]:
    """Yield one Doc per sentence, with doc.user_data "doc_id" ("<file name>:<first line>") and "source".

    Columns are split on tabs when the line has one, else on spaces. Tags may be IOB1, IOB2 or BILUO;
    an I- tag that opens a span is read as its start and counted as a repair.
    """
    for first_line, rows in _sentences(path, tag_column):
        words = [word for _, word, _ in rows]
        doc = Doc(vocab, words=words)
        doc.user_data.update({"doc_id": f"{path.name}:{first_line}", "source": source})
        report.count_document(source)
        spans = _tags_to_spans(doc, rows, path, report, source)
        unmapped = sorted({span.label for span in spans} - mapping.keys())
        if unmapped:
            raise CorpusFormatError(path, first_line, f"labels missing from the label mapping: {', '.join(unmapped)}")
        yield set_entities(doc, spans, mapping, 0.0, report, source)


def _sentences(path: Path, tag_column: int) -> Iterator[tuple[int, list[tuple[int, str, str]]]]:
    rows: list[tuple[int, str, str]] = []
    with path.open(encoding="utf-8-sig") as file:
        for line_number, line in enumerate(file, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                if rows:
                    yield rows[0][0], rows
                rows = []
                continue
            columns = line.split("\t") if "\t" in line else line.split()
            if columns[0] == DOCSTART:
                continue
            if len(columns) < 2:
                raise CorpusFormatError(path, line_number, f"expected a token and a tag, got {line!r}")
            try:
                tag = columns[tag_column].strip()
            except IndexError:
                raise CorpusFormatError(path, line_number, f"no tag column {tag_column} in {line!r}") from None
            rows.append((line_number, columns[0], tag))
    if rows:
        yield rows[0][0], rows


def _tags_to_spans(doc: Doc, rows: list[tuple[int, str, str]], path: Path, report: ConversionReport, source: str) -> list[SourceSpan]:
    spans: list[SourceSpan] = []
    open_label: str | None = None
    open_start = 0

    def close(end_token: int) -> None:
        nonlocal open_label
        if open_label is not None:
            spans.append(SourceSpan(doc[open_start].idx, doc[end_token - 1].idx + len(doc[end_token - 1]), open_label))
        open_label = None

    for i, (line_number, _, tag) in enumerate(rows):
        if tag == "O":
            close(i)
            continue
        prefix, _, label = tag.partition("-")
        if prefix not in {"B", "I", "L", "E", "U", "S"} or not label:
            raise CorpusFormatError(path, line_number, f"malformed tag {tag!r}")
        continues = prefix in {"I", "L", "E"} and open_label == label
        if not continues:
            close(i)
            if prefix in {"I", "L", "E"}:
                report.repair(source, "inside_tag_opens_span", label)
            open_label, open_start = label, i
        if prefix in {"L", "E", "U", "S"}:
            close(i + 1)
    close(len(rows))
    return spans
