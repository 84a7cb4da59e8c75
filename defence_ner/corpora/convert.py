"""Convert the sources of a corpus manifest into Docs, counting everything in one report."""

import os
from pathlib import Path

import spacy
from spacy.attrs import SENT_START
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats import READERS, reader_problems
from defence_ner.corpora.manifest import Source, load_manifest, stratum
from defence_ner.docbin import write_docs
from defence_ner.errors import CorpusFormatError
from defence_ner.pipeline.tokenizer import tokenizer_suffixes

# The converter runs only the tokenizer and the sentencizer, whose memory grows linearly with the text
# (about 0.1 GB per 1,000,000 characters, measured), so it accepts documents ten times longer than
# spaCy's default limit, which guards the parser and NER. A longer document in an offset format is
# a bad record (formats/limits.py).
MAX_DOCUMENT_CHARS = 10_000_000


def make_nlp() -> spacy.Language:
    """spaCy's English tokenizer with the pipelines' suffixes (a designation's final period is a token: "F-35B" "."),
    plus a sentencizer for sources that carry no sentence boundaries. The pipelines' tokenizer
    (defence_ner/pipeline/tokenizer.py) also reads typographic spaces and hyphens as ASCII ones; the converter keeps
    the annotated text as it is, so that the corpus and every kept prediction on it stay the annotators' (re3d writes
    about a hundred no-break spaces)."""
    nlp = spacy.blank("en")
    nlp.tokenizer.suffix_search = compile_suffix_regex(tokenizer_suffixes(nlp)).search
    nlp.max_length = MAX_DOCUMENT_CHARS
    nlp.add_pipe("sentencizer")
    return nlp


FILE_FORMATS = ("conll", "prodigy", "doccano", "label_studio")
FOLDER_FORMATS = ("re3d", "brat")  # markup and hf_datasets read either


def check_source(source: Source) -> None:
    """Refuse a source whose format or reader options are unknown, or whose input is not there or not
    of the kind its format reads, before anything is read (a hf_datasets path that is not there is a
    Hub dataset name)."""
    problems = reader_problems(source.format, source.options, f"[sources.{source.name}]")
    if problems:
        raise CorpusFormatError(source.path, None, "; ".join(problems))
    path, name = source.path, source.name
    if source.format != "hf_datasets" and not path.exists():
        raise CorpusFormatError(path, None, f"source {name!r}: no such file or folder")
    if source.format in FILE_FORMATS and not path.is_file():
        raise CorpusFormatError(path, None, f"source {name!r}: expected a file, not a folder ({source.format})")
    if source.format in FOLDER_FORMATS and not path.is_dir():
        raise CorpusFormatError(path, None, f"source {name!r}: expected a folder, not a file ({source.format})")


def convert_source(source: Source, nlp: spacy.Language, report: ConversionReport) -> list[Doc]:
    """Read one source into Docs with entities (or missing annotation) under the schema; documents
    left out by source.keep_documents_with are counted in the report, and a source that gives no
    document is noted there as empty."""
    check_source(source)
    docs = []
    for doc in READERS[source.format](source, nlp, report):
        if doc.user_data.pop("left_out", False):
            report.left_out[stratum(doc)] += 1
            continue
        if not doc.has_annotation("SENT_START"):
            doc = _sentences_around_entities(nlp.get_pipe("sentencizer")(doc))
        report.count_document(stratum(doc), sentences=sum(1 for _ in doc.sents))
        docs.append(doc)
    source.check_unknown_labels()
    report.check_balanced()
    if not docs:
        report.count_empty_source(source.name)
    return docs


def convert_manifest(
    manifest: Path, output_dir: Path, overrides: dict | None = None, fail_on_empty: bool = False
) -> ConversionReport:
    """Convert every source of a manifest to output_dir/sources/<name>.spacy, with the report
    output_dir/reports/convert.json, and return the report.

    The manifest, and each source's format, options and input, are checked before anything is
    converted. The outputs are written under temporary names in their folders and moved into place
    (os.replace) once every source has converted; on any failure the temporary files, the previous
    outputs of the manifest's sources and the previous report are removed, so that nothing stale
    looks current. fail_on_empty: a source that gives no document is an error, not only a warning.
    """
    report_path = output_dir / "reports" / "convert.json"
    outputs = [report_path]
    temporary: dict[Path, Path] = {}
    try:
        sources = load_manifest(manifest, overrides)
        outputs += [output_dir / "sources" / f"{source.name}.spacy" for source in sources]
        for source in sources:
            check_source(source)
        nlp = make_nlp()
        report = ConversionReport()
        for source, output in zip(sources, outputs[1:]):
            temporary[output] = _temporary_path(output)
            write_docs(convert_source(source, nlp, report), temporary[output])
        if fail_on_empty and report.empty_sources:
            details = ", ".join(
                f"{name} ({len(report.bad_records.get(name, []))} bad records, {report.left_out[name]} left out)"
                for name in report.empty_sources
            )
            raise CorpusFormatError(manifest, None, f"no documents in source(s): {details}; nothing written")
        temporary[report_path] = _temporary_path(report_path)
        report.write(temporary[report_path])
        for output, path in temporary.items():
            os.replace(path, output)
    except BaseException:
        for path in [*temporary.values(), *outputs]:
            path.unlink(missing_ok=True)
        raise
    return report


def _temporary_path(path: Path) -> Path:
    """A name beside path to write to and then move onto it (created by the writer, so with the usual
    permissions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _sentences_around_entities(doc: Doc) -> Doc:
    """Undo sentence breaks that the rule-based sentencizer puts inside an entity ("Gen. Votel"). The
    boundaries are set as one array: the Token.is_sent_start setter scans the whole doc on each call."""
    sent_starts = doc.to_array(SENT_START).astype("int64")
    for ent in doc.ents:
        sent_starts[ent.start + 1 : ent.end] = -1
    doc.from_array([SENT_START], sent_starts.astype("uint64"))
    return doc
