r"""Reader and writer for inline entity markup in Markdown, the shape of Rasa's training data and of
text annotated by hand in an editor:

    ## in-navy-brahmos-test
    The [Indian Navy](ORGANISATION) test-fired a [BrahMos](WEAPON) missile on [Tuesday](TEMPORAL).
    The missile hit its target at a range of [290 km](QUANTITY).

A "## <id>" heading starts a document; every other non-empty line is one sentence of it (a line
starting with "#", such as a hashtag, is a sentence too), and an entity is "[mention](LABEL)".
Sentences are joined by one space and keep their boundaries. A backslash escapes a literal bracket,
backslash or hash in text and mentions: "\[", "\]", "\\", "\#" ("London \[UK\]", "C:\\ops"); the
writer escapes every bracket and backslash, and the "#" of a sentence starting with "##" so that it
does not read as a heading. A backslash before any other character is itself. An unescaped "[" or
"]" outside an entity link, a sentence before the first heading, or a document id used twice is a
bad record, located by file and line; the whole document it belongs to is left out (and counted)
when the manifest skips bad records.
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.encoding import UTF8, check_utf8
from defence_ner.corpora.formats.limits import check_length
from defence_ner.corpora.manifest import Source
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError

HEADING = "## "
ESCAPABLE = "\\[]#"
_LABEL = re.compile(r"\(([^()\s]+)\)")

Sentence = tuple[int, str]  # line number, text with markup


def read_markup(source: Source, nlp: Language, report: ConversionReport) -> Iterator[Doc]:
    """Yield one Doc per "## <id>" section of the file, or of each .md file of the folder (sorted; a
    README.md describes the folder and is not read), with doc.user_data "doc_id" (the id;
    "<file stem>/<id>" in a folder) and "source"."""
    files = (
        sorted(p for p in source.path.glob("*.md") if p.name != "README.md") if source.path.is_dir() else [source.path]
    )
    for path in files:
        prefix = f"{path.stem}/" if source.path.is_dir() else ""
        for doc_id, heading_line, sentences in _sections(path, source, report):
            try:
                parsed = [_parse(text, path, line) for line, text in sentences]
                check_length(nlp, " ".join(text for text, _ in parsed), path, heading_line)
            except CorpusFormatError as error:
                source.bad_record(error, report)
                continue
            yield _doc(nlp, parsed, prefix + doc_id, source, report)


def _doc(
    nlp: Language, sentences: list[tuple[str, list[SourceSpan]]], doc_id: str, source: Source, report: ConversionReport
) -> Doc:
    """The sentences joined by single spaces, each starting a sentence, with their entities."""
    texts, spans, starts, offset = [], [], set(), 0
    for text, sentence_spans in sentences:
        spans += [SourceSpan(offset + s.start, offset + s.end, s.label, where=s.where) for s in sentence_spans]
        texts.append(text)
        starts.add(offset)
        offset += len(text) + 1
    doc = nlp.make_doc(" ".join(texts))
    # one array: the Token.is_sent_start setter scans the whole doc on each call
    sent_starts = numpy.array([1 if token.idx in starts else -1 for token in doc], dtype="int64")
    doc.from_array([SENT_START], sent_starts.astype("uint64"))
    doc.user_data.update({"doc_id": doc_id, "source": source.name})
    return set_entities(doc, spans, source, report)


def write_markup(docs: Iterable[Doc], path: Path) -> None:
    """Write each doc as a "## <doc_id>" section, one sentence per line, brackets and backslashes
    escaped. Markup cannot say "missing": unannotated tokens read back as outside any entity."""
    with path.open("w", encoding="utf-8") as file:
        for doc in docs:
            file.write(f"{HEADING}{doc.user_data['doc_id']}\n")
            text = doc.text  # read once: spaCy rebuilds it from every token on each read
            entities = iter(doc.ents)
            entity = next(entities, None)
            for sentence in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
                parts, cursor = [], sentence.start_char
                while entity is not None and entity.start < sentence.end:
                    parts += [_escape(text[cursor : entity.start_char]), f"[{_escape(entity.text)}]({entity.label_})"]
                    cursor = entity.end_char
                    entity = next(entities, None)
                parts.append(_escape(text[cursor : sentence.end_char]))
                line = "".join(parts).strip()
                file.write(("\\" if line.startswith("##") else "") + line + "\n")
            file.write("\n")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _is_heading(line: str) -> bool:
    return line.startswith(HEADING) or line == HEADING.strip()


def _sections(path: Path, source: Source, report: ConversionReport) -> Iterator[tuple[str, int, list[Sentence]]]:
    """(doc id, heading line, its sentence lines) per heading. A sentence before any heading, or a
    section whose id was used before, is a bad record (a skipped section is one record, its lines go
    with it)."""
    seen: set[str] = set()
    doc_id, heading_line, sentences = None, 0, []
    with path.open(**UTF8) as file:
        for number, line in enumerate(file, start=1):
            try:
                check_utf8(line, path, number)
            except CorpusFormatError as error:  # a byte that is not UTF-8: its section goes with it
                source.bad_record(error, report)
                line = line.strip()
                if _is_heading(line):
                    if doc_id:
                        yield doc_id, heading_line, sentences
                    doc_id, heading_line, sentences = "", number, []
                elif doc_id is not None:
                    doc_id = ""
                continue
            line = line.strip()
            if _is_heading(line):
                if doc_id:
                    yield doc_id, heading_line, sentences
                doc_id, heading_line, sentences = line[len(HEADING) :].strip(), number, []
                if doc_id in seen or not doc_id:
                    problem = f"document id {doc_id!r} is used twice" if doc_id else "heading without a document id"
                    source.bad_record(CorpusFormatError(path, number, problem), report)
                    doc_id = ""  # skip this section
                seen.add(doc_id)
            elif line:
                if doc_id is None:
                    source.bad_record(
                        CorpusFormatError(path, number, "sentence outside a document: no '## <id>' heading before it"),
                        report,
                    )
                sentences.append((number, line))
    if doc_id:
        yield doc_id, heading_line, sentences


def _parse(line_text: str, path: Path, line: int) -> tuple[str, list[SourceSpan]]:
    """The plain text of a sentence line, escapes resolved, and its spans at character offsets into that text."""
    text: list[str] = []  # one character (after escapes) per item
    spans: list[SourceSpan] = []
    mention_start: int | None = None  # where in text the open "[" of an entity link is
    i = 0
    while i < len(line_text):
        char = line_text[i]
        if char == "\\" and i + 1 < len(line_text) and line_text[i + 1] in ESCAPABLE:
            text.append(line_text[i + 1])
            i += 2
            continue
        if char == "[":
            if mention_start is not None:
                raise _stray("[", path, line, line_text)
            mention_start = len(text)
        elif char == "]":
            label = _LABEL.match(line_text, i + 1)
            if mention_start is None or label is None or mention_start == len(text):
                raise _stray("]" if mention_start is None else "[", path, line, line_text)
            spans.append(SourceSpan(mention_start, len(text), label.group(1), where=f"{path}:{line}"))
            mention_start = None
            i = label.end()
            continue
        else:
            text.append(char)
        i += 1
    if mention_start is not None:
        raise _stray("[", path, line, line_text)
    return "".join(text), spans


def _stray(bracket: str, path: Path, line: int, line_text: str) -> CorpusFormatError:
    return CorpusFormatError(
        path,
        line,
        f"'{bracket}' outside an entity link [mention](LABEL) (a literal bracket is written \\{bracket}): {line_text}",
    )
