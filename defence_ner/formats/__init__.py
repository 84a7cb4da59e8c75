"""Readers (and writers, for round trips and export) of the annotation formats the manifest accepts.

A reader takes a Source, a Language (for its tokenizer and vocab) and the ConversionReport, and yields
Docs with doc.user_data "doc_id" and "source", their entities set by spans.set_entities.
"""

from collections.abc import Callable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..report import ConversionReport
from ..sources import Source
from .brat import read_brat
from .conll import read_conll
from .hf_datasets import read_hf_dataset
from .markup import read_markup
from .re3d import read_re3d
from .span_json import read_doccano, read_label_studio, read_prodigy

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
