"""spaCy's limit on the length of a text it tokenizes (nlp.max_length), checked by the readers of
offset formats so that a document over it is a bad record located by file and line, rather than
spaCy's E088 naming neither. make_nlp sets the converter's limit (MAX_DOCUMENT_CHARS)."""

from pathlib import Path

from spacy.language import Language

from defence_ner.errors import CorpusFormatError


def check_length(nlp: Language, text: str, path: Path, line: int | None) -> None:
    if len(text) > nlp.max_length:
        raise CorpusFormatError(
            path, line, f"document of {len(text):,} characters, over the limit of {nlp.max_length:,} (nlp.max_length)"
        )
