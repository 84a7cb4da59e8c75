"""Readers (and writers, for round trips and export) of the annotation formats the manifest accepts.

A reader takes a Source, a Language (for its tokenizer and vocab) and the ConversionReport, and yields
Docs with doc.user_data "doc_id" and "source", their entities set by spans.set_entities.
"""

from collections.abc import Callable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.brat import read_brat
from defence_ner.corpora.formats.conll import read_conll
from defence_ner.corpora.formats.hf_datasets import read_hf_dataset
from defence_ner.corpora.formats.markup import read_markup
from defence_ner.corpora.formats.re3d import read_re3d
from defence_ner.corpora.formats.span_json import read_doccano, read_label_studio, read_prodigy
from defence_ner.corpora.manifest import Source

Reader = Callable[[Source, Language, ConversionReport], Iterator[Doc]]

READERS: dict[str, Reader] = {
    "re3d": read_re3d,
    "conll": read_conll,
    "brat": read_brat,
    "prodigy": read_prodigy,
    "doccano": read_doccano,
    "label_studio": read_label_studio,
    "hf_datasets": read_hf_dataset,
    "markup": read_markup,
}
