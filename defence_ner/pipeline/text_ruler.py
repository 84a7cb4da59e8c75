"""spaCy's span_ruler for patterns that match on the text alone: the factory the rule and knowledge rulers use.

spaCy's span_ruler makes each phrase pattern's Doc by running the components before it (nlp.pipe), since a
pattern may match on an attribute one of them sets, a part of speech or a lemma (explosion/spaCy#4119). These
rulers match on the text, which the tokenizer alone sets, and they come after the transformer: with spaCy's
factory, adding the knowledge base's thousands of aliases ran the encoder over every one of them each time the
pipeline was initialised or loaded (about a minute on two CPU cores). `text_span_ruler` takes the same settings
and tokenizes its phrase patterns only, so it refuses a phrase_matcher_attr that a component could set.

This module is self-contained (with its sibling registration.py): `spacy package --code` ships it with the pipeline.
"""

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Span

try:
    from .registration import factory
except ImportError:  # `spacy package` imports each --code file on its own, outside any package
    factory = Language.factory

# The token attributes the tokenizer alone decides (None is the PhraseMatcher's default, ORTH).
TEXT_ATTRIBUTES = (None, "ORTH", "TEXT", "LOWER")

SPANS_KEY = "ruler"


# spaCy's span_ruler defaults (spacy/pipeline/factories.py); the project's configs set their own.
@factory(
    "text_span_ruler",
    assigns=["doc.spans"],
    default_config={
        "spans_key": SPANS_KEY,
        "spans_filter": None,
        "annotate_ents": False,
        "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
        "phrase_matcher_attr": None,
        "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"},
        "validate": False,
        "overwrite": True,
        "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1", "spans_key": SPANS_KEY},
    },
    default_score_weights={
        f"spans_{SPANS_KEY}_f": 1.0,
        f"spans_{SPANS_KEY}_p": 0.0,
        f"spans_{SPANS_KEY}_r": 0.0,
        f"spans_{SPANS_KEY}_per_type": None,
    },
)
def make_text_span_ruler(
    nlp: Language,
    name: str,
    spans_key: str | None,
    spans_filter: Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]] | None,
    annotate_ents: bool,
    ents_filter: Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]],
    phrase_matcher_attr: str | None,
    matcher_fuzzy_compare: Callable,
    validate: bool,
    overwrite: bool,
    scorer: Callable | None,
) -> "TextSpanRuler":
    return TextSpanRuler(
        nlp,
        name,
        spans_key=spans_key,
        spans_filter=spans_filter,
        annotate_ents=annotate_ents,
        ents_filter=ents_filter,
        phrase_matcher_attr=phrase_matcher_attr,
        matcher_fuzzy_compare=matcher_fuzzy_compare,
        validate=validate,
        overwrite=overwrite,
        scorer=scorer,
    )


class TextSpanRuler(SpanRuler):
    """A SpanRuler whose phrase patterns are made by the tokenizer alone."""

    def __init__(
        self, nlp: Language, name: str = "text_span_ruler", *, phrase_matcher_attr: str | None = None, **settings: Any
    ) -> None:
        # The PhraseMatcher upper-cases the name itself ("lower" is LOWER); an attribute id (an int) is refused.
        attribute = phrase_matcher_attr.upper() if isinstance(phrase_matcher_attr, str) else phrase_matcher_attr
        if attribute not in TEXT_ATTRIBUTES:
            raise ValueError(
                f"text_span_ruler {name!r}: phrase_matcher_attr must name one the tokenizer sets "
                f"({', '.join(str(a) for a in TEXT_ATTRIBUTES)}), not {phrase_matcher_attr!r}; use spaCy's span_ruler"
            )
        super().__init__(nlp, name, phrase_matcher_attr=attribute, **settings)

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        # Every pipe off, so that nlp.pipe inside spaCy's add_patterns only tokenizes; select_pipes leaves the pipes
        # that were already off as they were.
        with self.nlp.select_pipes(disable=self.nlp.pipe_names):
            super().add_patterns(patterns)
