"""Reader and writer for token-per-line CoNLL/IOB files: a token column, a tag column, blank lines between sentences."""

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import biluo_to_iob, offsets_to_biluo_tags

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.encoding import UTF8, check_utf8
from defence_ner.corpora.manifest import ReaderOptions, Source, stratum
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError

DOCSTART = "-DOCSTART-"
SCHEMES = ("iob2", "iob1", "biluo")
Row = tuple[int, str, str]  # line number, token, tag


class ConllOptions(ReaderOptions):
    tag_column: int = -1
    scheme: Literal[SCHEMES] = "iob2"


def read_conll(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per -DOCSTART- document, or per sentence in a file without them.

    Options: tag_column (default -1, the last), scheme ("iob2", "iob1" or "biluo"; default "iob2").
    Columns are split on tabs when a line has one, else on spaces; every line must have the file's
    most common number of columns (a tab-separated line "Portsmouth Harbour B-LOC" has three). An
    I- tag that opens a span is read as its start, and counted as a repair unless the scheme is
    IOB1, where that is the rule. A malformed line (missing columns, a different column count, a
    malformed tag) makes its sentence a bad record; when the source skips bad records, only that
    sentence is left out of its -DOCSTART- document.
    """
    tag_column = int(source.options.get("tag_column", -1))
    scheme = source.options.get("scheme", "iob2")
    if scheme not in SCHEMES:
        raise CorpusFormatError(source.path, None, f"unknown tag scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    for first_line, sentences in _documents(source, report, tag_column):
        rows = [row for sentence in sentences for row in sentence]
        sent_starts = [i == 0 for sentence in sentences for i in range(len(sentence))]
        doc = Doc(
            nlp.vocab, words=[token for _, token, _ in rows], spaces=single_spaces(len(rows)), sent_starts=sent_starts
        )
        doc.user_data.update({"doc_id": f"{source.path.name}:{first_line}", "source": source.name})
        spans = tags_to_spans(
            doc, [tag for _, _, tag in rows], [line for line, _, _ in rows], source.path, source, report, scheme
        )
        if spans is not None:
            yield set_entities(doc, spans, source, report)


def single_spaces(n_tokens: int) -> list[bool]:
    """Token-per-line formats keep no whitespace: one space between tokens, none after the last."""
    return [True] * (n_tokens - 1) + [False] if n_tokens else []


def write_conll(docs: Iterable[Doc], path: Path) -> None:
    """Write docs as token<TAB>IOB2-tag lines, a -DOCSTART- line before each doc, blank lines between
    sentences. CoNLL cannot say "missing": unannotated tokens are written as O."""
    with path.open("w", encoding="utf-8") as file:
        for doc in docs:
            file.write(f"{DOCSTART}\tO\n\n")
            tags = biluo_to_iob(offsets_to_biluo_tags(doc, [(e.start_char, e.end_char, e.label_) for e in doc.ents]))
            for sentence in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
                lines = [f"{token.text}\t{tags[token.i]}" for token in sentence if not token.is_space]
                file.write("\n".join(lines) + "\n\n")


def _documents(source: Source, report: ConversionReport, tag_column: int) -> Iterator[tuple[int, list[list[Row]]]]:
    """Group sentences into documents at -DOCSTART- lines (each sentence is its own document if there are none)."""
    has_docstart, n_columns = _file_shape(source.path)
    document: list[list[Row]] = []
    for sentence in _sentences(source, report, tag_column, n_columns):
        if sentence is None:  # a -DOCSTART- line
            if document:
                yield document[0][0][0], document
            document = []
        elif has_docstart:
            document.append(sentence)
        else:
            yield sentence[0][0], [sentence]
    if document:
        yield document[0][0][0], document


def _columns(line: str) -> list[str]:
    return line.split("\t") if "\t" in line else line.split()


def _file_shape(path: Path) -> tuple[bool, int | None]:
    """Whether the file has -DOCSTART- lines, and the most common column count of its token lines."""
    has_docstart, counts = False, Counter()
    with path.open(**UTF8) as file:
        for line in file:
            if not line.strip():
                continue
            columns = _columns(line.rstrip("\r\n"))
            if columns[0] == DOCSTART:
                has_docstart = True
            else:
                counts[len(columns)] += 1
    return has_docstart, counts.most_common(1)[0][0] if counts else None


def _sentences(
    source: Source, report: ConversionReport, tag_column: int, n_columns: int | None
) -> Iterator[list[Row] | None]:
    path = source.path
    rows: list[Row] = []
    bad = False
    with path.open(**UTF8) as file:
        for line_number, line in enumerate(file, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                if rows and not bad:
                    yield rows
                rows, bad = [], False
                continue
            columns = _columns(line)
            if columns[0] == DOCSTART:
                yield None
                continue
            try:
                check_utf8(line, path, line_number)
                if len(columns) < 2:
                    raise CorpusFormatError(path, line_number, f"expected a token and a tag, got {line!r}")
                if len(columns) != n_columns:
                    raise CorpusFormatError(
                        path, line_number, f"{len(columns)} columns, but the file's lines have {n_columns}: {line!r}"
                    )
                if not -len(columns) <= tag_column < len(columns):
                    raise CorpusFormatError(path, line_number, f"no tag column {tag_column} in {line!r}")
                tag = columns[tag_column].strip()
                if problem := _tag_problem(tag):
                    raise CorpusFormatError(path, line_number, problem)
            except CorpusFormatError as error:
                source.bad_record(error, report)
                bad = True
                continue
            rows.append((line_number, columns[0], tag))
    if rows and not bad:
        yield rows


def tags_to_spans(
    doc: Doc,
    tags: list[str],
    lines: list[int],
    path: Path,
    source: Source,
    report: ConversionReport,
    scheme: str = "iob2",
) -> list[SourceSpan] | None:
    """Spans from one tag per token (IOB1, IOB2 or BILUO), or None if a tag is malformed and the source
    skips bad records. lines[i] locates tag i in path (a line number, or a row index)."""
    spans: list[SourceSpan] = []
    open_label: str | None = None
    open_start = open_line = 0

    def close(end_token: int) -> None:
        nonlocal open_label
        if open_label is not None:
            end_char = doc[end_token - 1].idx + len(doc[end_token - 1])
            spans.append(SourceSpan(doc[open_start].idx, end_char, open_label, where=f"{path}:{open_line}"))
        open_label = None

    for i, (line_number, tag) in enumerate(zip(lines, tags)):
        if tag == "O":
            close(i)
            continue
        if problem := _tag_problem(tag):
            source.bad_record(CorpusFormatError(path, line_number, problem), report)
            return None
        prefix, _, label = tag.partition("-")
        if not (prefix in {"I", "L", "E"} and open_label == label):
            close(i)
            if prefix in {"I", "L", "E"} and scheme != "iob1":
                report.repair(stratum(doc), "inside_tag_opens_span", label)
            open_label, open_start, open_line = label, i, line_number
        if prefix in {"L", "E", "U", "S"}:
            close(i + 1)
    close(len(tags))
    return spans


def _tag_problem(tag: str) -> str | None:
    """Why a tag is malformed, or None: a tag is O or PREFIX-LABEL with a B, I, L, E, U or S prefix."""
    prefix, _, label = tag.partition("-")
    if tag == "O" or (prefix in {"B", "I", "L", "E", "U", "S"} and label):
        return None
    return f"malformed tag {tag!r}"
