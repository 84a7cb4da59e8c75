"""Entity-swap augmentation: copies of training examples in which named mentions of some types are
replaced by other real names of the same type, so that the model learns the context a weapon or
platform name stands in, not a list of names. The names come from a registered source: the team's
gazetteers (corpus/gazetteers/) or the knowledge base's names and aliases (corpus/knowledge_base/),
whose designation variants, NATO and export names, transliterations and plurals the short lists lack
(defence_ner.knowledge_base.knowledge_base_names).

A mention is swapped only if it reads as a name: it has a digit, or a capital letter that is not
just the sentence's first letter ("BrahMos", "the SDF", "Type 055"; not "missiles", not "We" at the
start of a sentence). A leading "the"/"The" is kept. Tokens with missing annotation stay missing.
"""

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

DETERMINERS = ("the", "The")


@registry.augmenters("defence_ner.entity_swap.v1")
def create_entity_swap_augmenter(
    names: dict[str, list[str]], level: float
) -> Callable[[Language, Example], Iterator[Example]]:
    """names: {label: names} to swap in (defence_ner.gazetteer_names.v1 below, or the knowledge base's
    defence_ner.knowledge_base_names.v1). level: the probability that an
    example (with a swappable mention) also yields a swapped copy; the original is always yielded."""

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        if level > 0 and random.random() < level:
            swapped = swap_entities(nlp, example.reference, names)
            if swapped is not None:
                yield Example(nlp.make_doc(swapped.text), swapped)

    return augment


@registry.misc("defence_ner.gazetteer_names.v1")
def gazetteer_names(path: Path, labels: list[str]) -> dict[str, list[str]]:
    """{label: names} for each of labels, from the gazetteers folder at path (load_gazetteers)."""
    names = load_gazetteers(Path(path))
    missing = [label for label in labels if label not in names]
    if missing:
        raise FileNotFoundError(f"no gazetteer for {missing} in {path}")
    return {label: names[label] for label in labels}


def load_gazetteers(folder: Path) -> dict[str, list[str]]:
    """{label: names} from folder/LABEL.txt files (blank lines ignored)."""
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no LABEL.txt gazetteers in {folder}")
    return {
        path.stem: [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in files
    }


def is_name(span: Span) -> bool:
    """Whether the mention reads as a name rather than a class noun or a pronoun."""
    text = span.text
    first_is_sentence_start = span[0].is_sent_start or span.start == 0
    body = text[1:] if first_is_sentence_start else text
    return any(c.isdigit() for c in text) or any(c.isupper() for c in body)


def swap_entities(nlp: Language, reference: Doc, names: dict[str, list[str]]) -> Doc | None:
    """A copy of reference with every named mention of a gazetteer label replaced by a random name
    of that label, entities and missing annotation carried over; None if nothing was swapped."""
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str | None] = []
    sent_starts: list[bool | None] = []
    swapped = False
    i = 0
    by_start = {ent.start: ent for ent in reference.ents}
    while i < len(reference):
        ent = by_start.get(i)
        if ent is not None and ent.label_ in names and is_name(ent):
            kept = 1 if ent[0].text in DETERMINERS and len(ent) > 1 else 0
            new = [t.text for t in ent[:kept]]
            new_spaces = [bool(t.whitespace_) for t in ent[:kept]]
            replacement = nlp.make_doc(random.choice(names[ent.label_]))
            new += [t.text for t in replacement]
            new_spaces += [bool(t.whitespace_) for t in replacement]
            new_spaces[-1] = bool(ent[-1].whitespace_)
            words += new
            spaces += new_spaces
            tags += [f"B-{ent.label_}"] + [f"I-{ent.label_}"] * (len(new) - 1)
            sent_starts += [ent[0].is_sent_start] + [False] * (len(new) - 1)
            swapped = True
            i = ent.end
            continue
        token = reference[i]
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
        tags.append(
            f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else ("O" if token.ent_iob_ == "O" else None)
        )
        sent_starts.append(token.is_sent_start)
        i += 1
    if not swapped:
        return None
    return Doc(reference.vocab, words=words, spaces=spaces, ents=tags, sent_starts=sent_starts)
