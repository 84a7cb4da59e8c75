"""Property: for random documents with random non-overlapping spans, writing each supported format
and reading it back through the converter gives the same text and entities."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.convert import convert_source, make_nlp
from defence_ner.corpora.formats.brat import write_brat
from defence_ner.corpora.formats.conll import write_conll
from defence_ner.corpora.formats.hf_datasets import write_hf_dataset
from defence_ner.corpora.formats.markup import write_markup
from defence_ner.corpora.formats.re3d import write_re3d
from defence_ner.corpora.formats.span_json import (
    write_doccano,
    write_label_studio,
    write_prodigy,
)
from defence_ner.corpora.manifest import Source

LABELS = ["WEAPON", "PERSON", "LOCATION", "MILITARY_PLATFORM"]
NLP = make_nlp()

# (format, writer, whether the writer takes a folder rather than a file)
TOKEN_FORMATS = [  # they write tokens, so the text reads back with one space between tokens
    ("conll", write_conll, False),
    ("hf_datasets", write_hf_dataset, True),
]
TEXT_FORMATS = [  # they write the text itself
    ("brat", write_brat, True),
    ("prodigy", write_prodigy, False),
    ("doccano", write_doccano, False),
    ("label_studio", write_label_studio, False),
    ("markup", write_markup, False),
    ("re3d", write_re3d, True),
]

# Words the tokenizer keeps whole, so that token-based formats (CoNLL, datasets) see the same tokens.
WORDS = (
    "the brigade fired Hellfire missiles at Raqqa near Mosul General Smith frigate HMS Defender Kyiv tanks"
    " Leopard drone"
).split()
# Words with what markup escapes (brackets, backslashes, a leading "##") or could misread (a link's
# shape, a hashtag); the tokenizer splits some of them, so only formats that keep the text get them.
MARKED_WORDS = ["London", "[UK]", "[fully]", "\\", "C:\\ops", "\\[", "#Navy75", "##", "(UK)", "[x](y)"]


def random_documents(words):
    segments = st.lists(
        st.tuples(
            st.lists(st.sampled_from(words), min_size=1, max_size=3), st.one_of(st.none(), st.sampled_from(LABELS))
        ),
        min_size=1,
        max_size=12,
    )
    return st.lists(segments, min_size=1, max_size=4)


def build_doc(doc_segments, index):
    """A doc of the segments' words joined by spaces, each labelled segment an entity."""
    parts, spans, offset = [], [], 0
    for segment_words, label in doc_segments:
        part = " ".join(segment_words)
        if label:
            spans.append((offset, offset + len(part), label))
        parts.append(part)
        offset += len(part) + 1
    doc = NLP.make_doc(" ".join(parts))
    ents = [doc.char_span(start, end, label=label) for start, end, label in spans]
    assert None not in ents  # words are whole tokens, or start and end at spaces
    doc.ents = ents
    doc.user_data.update({"doc_id": f"doc{index}", "source": "generated"})
    return doc


def entities(docs):
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def assert_round_trips(docs, formats):
    identity = {label: label for label in LABELS}
    for fmt, write, to_folder in formats:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / ("out" if to_folder else "out.data")
            write(docs, path)
            report = ConversionReport()
            again = convert_source(Source("generated", fmt, path, identity), NLP, report)
            assert report.bad_records == {}, fmt
            assert [d.text for d in again] == [d.text for d in docs], fmt
            assert entities(again) == entities(docs), fmt


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_documents(WORDS))
def test_every_format_round_trips_entities(documents):
    assert_round_trips(
        [build_doc(doc_segments, i) for i, doc_segments in enumerate(documents)], TOKEN_FORMATS + TEXT_FORMATS
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_documents(WORDS + MARKED_WORDS))
def test_formats_that_keep_the_text_round_trip_brackets_backslashes_and_hashes(documents):
    assert_round_trips([build_doc(doc_segments, i) for i, doc_segments in enumerate(documents)], TEXT_FORMATS)
