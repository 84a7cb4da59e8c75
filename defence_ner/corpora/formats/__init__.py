"""Readers (and writers, for round trips and export) of the annotation formats the manifest accepts.

A reader takes a Source, a Language (for its tokenizer and vocab) and the ConversionReport, and yields
Docs with doc.user_data "doc_id" and "source", their entities set by spans.set_entities. A reader that
takes options declares them (a ReaderOptions subclass, in OPTIONS); any other option is refused.
"""

from collections.abc import Callable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.brat import read_brat
from defence_ner.corpora.formats.conll import ConllOptions, read_conll
from defence_ner.corpora.formats.hf_datasets import HfDatasetsOptions, read_hf_dataset
from defence_ner.corpora.formats.markup import read_markup
from defence_ner.corpora.formats.re3d import read_re3d
from defence_ner.corpora.formats.span_json import LabelStudioOptions, read_doccano, read_label_studio, read_prodigy
from defence_ner.corpora.manifest import ReaderOptions, Source, validate_block

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

OPTIONS: dict[str, type[ReaderOptions]] = {
    "conll": ConllOptions,
    "label_studio": LabelStudioOptions,
    "hf_datasets": HfDatasetsOptions,
}


def reader_problems(format: str, options: dict, where: str) -> list[str]:
    """What is wrong with a source's format name or reader options, each as "<where> <what>"; empty if nothing.
    where names the source's block, e.g. "[sources.re3d]"."""
    if format not in READERS:
        return [f"{where} format: unknown format {format!r}; known: {', '.join(READERS)}"]
    problems: list[str] = []
    validate_block(OPTIONS.get(format, ReaderOptions), options, f"{where.removesuffix(']')}.options]", problems)
    return problems
