"""Reader and writer for inline entity markup in Markdown, the shape of Rasa's training data and of
text annotated by hand in an editor:

    ## in-navy-brahmos-test
    The [Indian Navy](ORGANISATION) test-fired a [BrahMos](WEAPON) missile on [Tuesday](TEMPORAL).
    The missile hit its target at a range of [290 km](QUANTITY).

A "## <id>" heading starts a document; every other non-empty line is one sentence of it, and an
entity is "[mention](LABEL)". Sentences are joined by one space and keep their boundaries. Other
lines starting with "#" are comments. A "[" or "]" outside an entity link, a sentence before the
first heading, or a document id used twice is a bad record, located by file and line; the whole
document it belongs to is left out (and counted) when the manifest skips bad records.
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.encoding import UTF8, check_utf8
from defence_ner.corpora.manifest import Source
from defence_ner.corpora.spans import SourceSpan, set_entities
from defence_ner.errors import CorpusFormatError

HEADING = "## "
_ENTITY = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")

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
        for doc_id, sentences in _sections(path, source, report):
            try:
                parsed = [_parse(text, path, line) for line, text in sentences]
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
    for token in doc:
        token.is_sent_start = token.idx in starts
    doc.user_data.update({"doc_id": doc_id, "source": source.name})
    return set_entities(doc, spans, source, report)


def write_markup(docs: Iterable[Doc], path: Path) -> None:
    """Write each doc as a "## <doc_id>" section, one sentence per line. Markup cannot say "missing":
    unannotated tokens read back as outside any entity."""
    with path.open("w", encoding="utf-8") as file:
        for doc in docs:
            file.write(f"{HEADING}{doc.user_data['doc_id']}\n")
            for sentence in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
                text, cursor = [], sentence.start_char
                for ent in (e for e in doc.ents if sentence.start <= e.start < sentence.end):
                    text += [doc.text[cursor : ent.start_char], f"[{ent.text}]({ent.label_})"]
                    cursor = ent.end_char
                text.append(doc.text[cursor : sentence.end_char])
                file.write("".join(text).strip() + "\n")
            file.write("\n")


def _sections(path: Path, source: Source, report: ConversionReport) -> Iterator[tuple[str, list[Sentence]]]:
    """(doc id, its sentence lines) per heading. A sentence before any heading, or a section whose id
    was used before, is a bad record (a skipped section is one record, its lines go with it)."""
    seen: set[str] = set()
    doc_id, sentences = None, []
    with path.open(**UTF8) as file:
        for number, line in enumerate(file, start=1):
            try:
                check_utf8(line, path, number)
            except CorpusFormatError as error:  # a byte that is not UTF-8: its section goes with it
                source.bad_record(error, report)
                line = line.strip()
                if line.startswith(HEADING):
                    if doc_id:
                        yield doc_id, sentences
                    doc_id, sentences = "", []
                elif doc_id is not None:
                    doc_id = ""
                continue
            line = line.strip()
            if line.startswith(HEADING) or line == HEADING.strip():
                if doc_id:
                    yield doc_id, sentences
                doc_id, sentences = line[len(HEADING) :].strip(), []
                if doc_id in seen or not doc_id:
                    problem = f"document id {doc_id!r} is used twice" if doc_id else "heading without a document id"
                    source.bad_record(CorpusFormatError(path, number, problem), report)
                    doc_id = ""  # skip this section
                seen.add(doc_id)
            elif line and not line.startswith("#"):
                if doc_id is None:
                    source.bad_record(
                        CorpusFormatError(path, number, "sentence outside a document: no '## <id>' heading before it"),
                        report,
                    )
                sentences.append((number, line))
    if doc_id:
        yield doc_id, sentences


def _parse(line_text: str, path: Path, line: int) -> tuple[str, list[SourceSpan]]:
    """The plain text of a sentence line and its spans, at character offsets into that text."""
    text, spans, cursor = [], [], 0
    for match in _ENTITY.finditer(line_text):
        text.append(line_text[cursor : match.start()])
        start = sum(map(len, text))
        spans.append(SourceSpan(start, start + len(match.group(1)), match.group(2), where=f"{path}:{line}"))
        text.append(match.group(1))
        cursor = match.end()
    text.append(line_text[cursor:])
    stray = re.search(r"[\[\]]", _ENTITY.sub("", line_text))
    if stray:
        raise CorpusFormatError(path, line, f"'{stray.group()}' outside an entity link [mention](LABEL): {line_text}")
    return "".join(text), spans
