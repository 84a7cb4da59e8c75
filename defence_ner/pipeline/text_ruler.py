"""spaCy's span_ruler for patterns that match on the text alone: the factory the rule and knowledge rulers use.

spaCy's span_ruler makes each phrase pattern's Doc by running the components before it (nlp.pipe), since a
pattern may match on an attribute one of them sets, a part of speech or a lemma (explosion/spaCy#4119). These
rulers match on the text, which the tokenizer alone sets, and they come after the transformer: with spaCy's
factory, adding the knowledge base's thousands of aliases ran the encoder over every one of them each time the
pipeline was initialised or loaded (about a minute on two CPU cores). `text_span_ruler` takes the same settings
and tokenizes its phrase patterns only, so it refuses a phrase_matcher_attr that a component could set.

Where `variant_suffix` is set (a regular expression), a phrase pattern whose last word ends in a digit also matches
that word followed by such a suffix, as one token: with the knowledge base's "Su-35", "AIM-120" and "F-16", the
configured suffix (capital letters, an optional digit or a hyphen and a digit, an optional plural s) finds
"Su-35S", "AIM-120D3", "AIM-120C-8" and "F-16s", which no alias lists. The tokenizer splits some suffixes off as
units ("T-90M" is "T-90" and "M", as "5M" is), so a suffix that is the next token, with no space before it, counts
too. Patterns whose id starts with one of `variant_free_ids` take no variants: a ship class's "Type 052D" is another
class than "Type 052". A variant gives way to a pattern matching the same tokens.

This module is self-contained (with its sibling registration.py): `spacy package --code` ships it with the pipeline.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

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
        # No variants: pipelines saved before the settings existed match as they did.
        "variant_suffix": None,
        "variant_free_ids": [],
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
    variant_suffix: str | None,
    variant_free_ids: Sequence[str],
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
        variant_suffix=variant_suffix,
        variant_free_ids=variant_free_ids,
    )


class TextSpanRuler(SpanRuler):
    """A SpanRuler whose phrase patterns are made by the tokenizer alone."""

    def __init__(
        self,
        nlp: Language,
        name: str = "text_span_ruler",
        *,
        phrase_matcher_attr: str | None = None,
        variant_suffix: str | None = None,
        variant_free_ids: Sequence[str] = (),
        **settings: Any,
    ) -> None:
        # The PhraseMatcher upper-cases the name itself ("lower" is LOWER); an attribute id (an int) is refused.
        attribute = phrase_matcher_attr.upper() if isinstance(phrase_matcher_attr, str) else phrase_matcher_attr
        if attribute not in TEXT_ATTRIBUTES:
            raise ValueError(
                f"text_span_ruler {name!r}: phrase_matcher_attr must name one the tokenizer sets "
                f"({', '.join(str(a) for a in TEXT_ATTRIBUTES)}), not {phrase_matcher_attr!r}; use spaCy's span_ruler"
            )
        super().__init__(nlp, name, phrase_matcher_attr=attribute, **settings)
        self.lowercase = attribute == "LOWER"
        # A word that is a designation and a suffix: the designation (ending in a digit), then the suffix. Words are
        # compared as the phrase matcher compares them (lower-cased where the attribute is LOWER), suffix included.
        self.variant = re.compile(rf"(.*\d)(?:{variant_suffix})") if variant_suffix else None
        self.suffix = re.compile(rf"(?:{variant_suffix})") if variant_suffix else None
        self.variant_free_ids = tuple(variant_free_ids)
        # {last word: [(the words before it, label, id)]}, built from the patterns when first needed.
        self._variant_index: dict[str, list[tuple[tuple[str, ...], str, str]]] | None = None

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        # Every pipe off, so that nlp.pipe inside spaCy's add_patterns only tokenizes; select_pipes leaves the pipes
        # that were already off as they were.
        with self.nlp.select_pipes(disable=self.nlp.pipe_names):
            super().add_patterns(patterns)
        self._variant_index = None

    # Every change of the patterns (loading from disk or bytes clears them first) drops the variants' index.
    def clear(self) -> None:
        super().clear()
        self._variant_index = None

    def remove(self, label: str) -> None:
        super().remove(label)
        self._variant_index = None

    def remove_by_id(self, pattern_id: str) -> None:
        super().remove_by_id(pattern_id)
        self._variant_index = None

    def match(self, doc: Doc) -> list[Span]:
        matches = super().match(doc)
        if self.variant is None:
            return matches
        found = {(match.start, match.end) for match in matches}
        variants = [span for span in self.variants(doc) if (span.start, span.end) not in found]
        return sorted(matches + variants)

    def variants(self, doc: Doc) -> list[Span]:
        """The phrase patterns' variants in doc: each word that is a pattern's last word and a suffix, or a pattern's
        last word and a suffix split off as the next token, after the pattern's other words."""
        index = self.variant_index()
        words = [token.lower_ if self.lowercase else token.text for token in doc]
        spans = []
        for i, word in enumerate(words):
            end = i + 1
            found = self.variant.fullmatch(word) if any(c.isdigit() for c in word) else None
            last = found.group(1) if found else None
            joined = end < len(doc) and not doc[i].whitespace_
            if last is None and word in index and joined and self.suffix.fullmatch(words[end]):
                last, end = word, end + 1
            for before, label, span_id in index.get(last, ()) if last else ():
                start = i - len(before)
                if start >= 0 and tuple(words[start:i]) == before:
                    spans.append(Span(doc, start, end, label=label, span_id=span_id))
        return spans

    def variant_index(self) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
        if self._variant_index is None:
            self._variant_index = {}
            phrases = [
                p
                for p in self._patterns
                if isinstance(p["pattern"], str) and not p.get("id", "").startswith(self.variant_free_ids)
            ]
            for pattern, tokens in zip(phrases, self.nlp.tokenizer.pipe(p["pattern"] for p in phrases)):
                words = tuple(token.lower_ if self.lowercase else token.text for token in tokens)
                if words and words[-1][-1:].isdigit():
                    self._variant_index.setdefault(words[-1], []).append(
                        (words[:-1], pattern["label"], pattern.get("id", ""))
                    )
        return self._variant_index
