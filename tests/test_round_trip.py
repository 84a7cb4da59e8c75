"""Property: for random documents with random non-overlapping spans, writing each supported format
and reading it back through the converter gives the same entities."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.convert import convert_source, make_nlp
from defence_ner.corpora.formats.brat import write_brat
from defence_ner.corpora.formats.conll import write_conll
from defence_ner.corpora.formats.hf_datasets import write_hf_dataset
from defence_ner.corpora.formats.span_json import (
    write_doccano,
    write_label_studio,
    write_prodigy,
)
from defence_ner.corpora.manifest import Source

LABELS = ["WEAPON", "PERSON", "LOCATION", "MILITARY_PLATFORM"]
NLP = make_nlp()

# (format, writer, whether the writer takes a folder rather than a file)
FORMATS = [
    ("conll", write_conll, False),
    ("brat", write_brat, True),
    ("prodigy", write_prodigy, False),
    ("doccano", write_doccano, False),
    ("label_studio", write_label_studio, False),
    ("hf_datasets", write_hf_dataset, True),
]

# Words the tokenizer keeps whole, so that token-based formats (CoNLL, datasets) see the same tokens.
words = st.sampled_from(
    "the brigade fired Hellfire missiles at Raqqa near Mosul General Smith frigate HMS Defender Kyiv tanks Leopard drone".split()
)
segments = st.lists(
    st.tuples(st.lists(words, min_size=1, max_size=3), st.one_of(st.none(), st.sampled_from(LABELS))),
    min_size=1,
    max_size=12,
)


def build_doc(doc_segments, index):
    tokens, spans = [], []
    for segment_words, label in doc_segments:
        if label:
            spans.append((len(tokens), len(tokens) + len(segment_words), label))
        tokens += segment_words
    doc = NLP.make_doc(" ".join(tokens))
    assert len(doc) == len(tokens)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in spans]
    doc.user_data.update({"doc_id": f"doc{index}", "source": "generated"})
    return doc


def entities(docs):
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(segments, min_size=1, max_size=4))
def test_every_format_round_trips_entities(documents):
    docs = [build_doc(doc_segments, i) for i, doc_segments in enumerate(documents)]
    identity = {label: label for label in LABELS}
    for fmt, write, to_folder in FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / ("out" if to_folder else "out.data")
            write(docs, path)
            again = convert_source(Source("generated", fmt, path, identity), NLP, ConversionReport())
            assert [d.text for d in again] == [d.text for d in docs], fmt
            assert entities(again) == entities(docs), fmt
