"""spaCy's tokenizer, reading typographic spaces and no-break hyphens as the ASCII ones.

Web text writes "Type\u00a0055", "USS\u00a0Nimitz" and "$1.2\u00a0billion" with a no-break space, numbers with a
narrow or thin space, and designations with a no-break hyphen ("S\u2011400"). spaCy's tokenizer splits on the ASCII
space alone, so a no-break space becomes a token of its own inside the name, where the ner (trained on text with
ASCII spaces) breaks the entity ("Type" and "055"), and the phrase matchers, which compare token texts, miss it.
`defence_ner.typographic_tokenizer.v1` replaces each such character with its ASCII form, one character for one,
before tokenizing: the Doc's text has a space where the input had a no-break space and a hyphen where it had
U+2010 or U+2011, and every character offset is the input's. Other characters, newlines and dashes among them,
are kept.

The converters keep the annotated text as it is, and evaluation scores on the gold's own tokens; training reads the
text through this tokenizer (spaCy's corpus reader tokenizes each example and aligns the gold to it), so a model
never meets a no-break space as a token (docs/experiments.md, 2026-12-04).

spaCy's English suffixes split a final period after a digit, a lower-case letter or two capitals, but not after a
digit and one capital, so a designation ending a sentence kept the period in its token ("F-35B.", "Type 052D."), where
the phrase matchers miss it and an entity takes it in (or runs on into the next sentence). The tokenizer splits that
period off too (DESIGNATION_PERIOD); the converters tokenize with the same suffixes (tokenizer_suffixes), so the gold
and the pipelines agree.

This module is self-contained: `spacy package --code` ships it with the pipeline.
"""

import unicodedata
from collections.abc import Callable

from spacy.language import Language, create_tokenizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex, registry

# What the tokenizer does, in the model card's words.
READS = (
    'reads a no-break, narrow or other typographic space as a space and the hyphens U+2010 and U+2011 as "-", one '
    'character for one, so that a name written with them ("Type 055" with a no-break space) is found whole; the '
    "Doc's text has the ASCII characters, and every character offset is the input's; it splits the period off a "
    'designation that ends a sentence ("F-35B." is "F-35B" and "."), which spaCy\'s English tokenizer keeps'
)

# Every space separator (Unicode category Zs, U+00A0 to U+3000) but the ASCII space, and the two hyphens drawn as "-".
TYPOGRAPHIC_TO_ASCII = str.maketrans(
    {
        **{chr(c): " " for c in range(0x80, 0x3001) if unicodedata.category(chr(c)) == "Zs"},
        "\u2010": "-",
        "\u2011": "-",
    }
)


# A period after a digit and one capital letter: "F-35B." -> "F-35B" "."; "U.S." and "No." keep theirs.
DESIGNATION_PERIOD = r"(?<=[0-9][A-Z])\."


def tokenizer_suffixes(nlp: Language) -> list[str]:
    """The language's suffixes and DESIGNATION_PERIOD, for compile_suffix_regex."""
    return [*nlp.Defaults.suffixes, DESIGNATION_PERIOD]


class TypographicTokenizer(Tokenizer):
    """A Tokenizer that reads the text with TYPOGRAPHIC_TO_ASCII applied."""

    def __call__(self, text: str) -> Doc:
        return super().__call__(text.translate(TYPOGRAPHIC_TO_ASCII))


@registry.tokenizers("defence_ner.typographic_tokenizer.v1")
def create_typographic_tokenizer() -> Callable[[Language], Tokenizer]:
    """spacy.Tokenizer.v1, the language's default tokenizer, made a TypographicTokenizer with tokenizer_suffixes."""

    def make_tokenizer(nlp: Language) -> Tokenizer:
        default = create_tokenizer()(nlp)
        return TypographicTokenizer(
            nlp.vocab,
            rules=default.rules,
            prefix_search=default.prefix_search,
            suffix_search=compile_suffix_regex(tokenizer_suffixes(nlp)).search,
            infix_finditer=default.infix_finditer,
            token_match=default.token_match,
            url_match=default.url_match,
        )

    return make_tokenizer
