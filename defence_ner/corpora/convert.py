"""Convert the sources of a corpus manifest into Docs, counting everything in one report."""

import spacy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats import READERS
from defence_ner.corpora.manifest import Source, stratum
from defence_ner.errors import CorpusFormatError

# The converter runs only the tokenizer and the sentencizer, whose memory grows linearly with the text
# (about 0.1 GB per 1,000,000 characters, measured), so it accepts documents ten times longer than
# spaCy's default limit, which guards the parser and NER. A longer document in an offset format is
# a bad record (formats/limits.py).
MAX_DOCUMENT_CHARS = 10_000_000


def make_nlp() -> spacy.Language:
    """The tokenizer the pipelines use, plus a sentencizer for sources that carry no sentence boundaries."""
    nlp = spacy.blank("en")
    nlp.max_length = MAX_DOCUMENT_CHARS
    nlp.add_pipe("sentencizer")
    return nlp


def convert_source(source: Source, nlp: spacy.Language, report: ConversionReport) -> list[Doc]:
    """Read one source into Docs with entities (or missing annotation) under the schema; documents
    left out by source.keep_documents_with are counted in the report."""
    if source.format not in READERS:
        raise CorpusFormatError(
            source.path, None, f"source {source.name!r}: unknown format {source.format!r}; known: {', '.join(READERS)}"
        )
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
    return docs


def _sentences_around_entities(doc: Doc) -> Doc:
    """Undo sentence breaks that the rule-based sentencizer puts inside an entity ("Gen. Votel"). The
    boundaries are set as one array: the Token.is_sent_start setter scans the whole doc on each call."""
    sent_starts = doc.to_array(SENT_START).astype("int64")
    for ent in doc.ents:
        sent_starts[ent.start + 1 : ent.end] = -1
    doc.from_array([SENT_START], sent_starts.astype("uint64"))
    return doc
