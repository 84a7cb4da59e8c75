"""The trained components' entities on a set, kept so that the components after them can be scored again without the
trained pipeline (defence_ner/experiments/components.py).

One JSON Lines file per trained run and set: one line per document of the set, in its order, with a fingerprint of the
document's words (so that entities are never laid on another tokenization or another version of the set) and the
entities as token offsets and labels:
    {"words": "3f2a...", "ents": [[4, 6, "WEAPON"], [10, 11, "LOCATION"]]}
"""

import hashlib
import json
from pathlib import Path

from spacy.tokens import Doc, Span

from defence_ner.errors import CorpusFormatError


def fingerprint(doc: Doc) -> str:
    """A short hash of the document's words and spaces."""
    text = "".join(token.text_with_ws for token in doc)
    return hashlib.sha256(f"{len(doc)}\n{text}".encode()).hexdigest()[:16]


def write_predictions(path: Path, predicted: list[Doc]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (
        json.dumps({"words": fingerprint(doc), "ents": [[e.start, e.end, e.label_] for e in doc.ents]}) + "\n"
        for doc in predicted
    )
    path.write_text("".join(lines), encoding="utf-8")


def read_predictions(path: Path, gold_docs: list[Doc]) -> list[Doc]:
    """New documents with the gold documents' words and the kept entities. Raises CorpusFormatError naming the file
    and line where the file does not match the set (another tokenization or version of it, or a malformed line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(gold_docs):
        raise CorpusFormatError(path, None, f"{len(lines)} documents, but the set has {len(gold_docs)}")
    predicted = []
    for number, (line, gold) in enumerate(zip(lines, gold_docs), 1):
        try:
            record = json.loads(line)
            words, ents = record["words"], record["ents"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise CorpusFormatError(path, number, f"not a predictions line: {error}") from error
        if words != fingerprint(gold):
            raise CorpusFormatError(path, number, "the document's words differ from the set's: predict again")
        doc = Doc(gold.vocab, words=[t.text for t in gold], spaces=[bool(t.whitespace_) for t in gold])
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
        predicted.append(doc)
    return predicted
