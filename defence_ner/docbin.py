from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab


def write_docs(docs: Iterable[Doc], path: Path) -> int:
    """Write docs (with their user_data: doc_id, source, part) to a .spacy file; return how many."""
    doc_bin = DocBin(attrs=["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE"], store_user_data=True, docs=docs)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc_bin.to_disk(path)
    return len(doc_bin)


def read_docs(path: Path, vocab: Vocab) -> list[Doc]:
    return list(DocBin().from_disk(path).get_docs(vocab))


def word_count(doc: Doc) -> int:
    """Words as every throughput figure of the project counts them: tokens that are not whitespace."""
    return sum(1 for token in doc if not token.is_space)
