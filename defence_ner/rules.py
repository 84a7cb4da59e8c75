"""How the rule component's matches join the statistical NER's entities.

The rules (configs/patterns/rules.json, run by spaCy's span_ruler after the ner) cover types with a
written form (FREQUENCY, COORDINATE, URL, COMMS_IDENTIFIER) and "Operation X" / "Exercise X". Neither
side overwrites the other blindly: a rule match replaces the NER entities it overlaps only if it
contains all of them (the rule found the whole mention, as in "[Operation] Sindoor" or "[121.5] MHz"),
and is dropped if an NER entity extends past it (the model saw a longer mention, as in
"Combined Joint Task Force - Operation Inherent Resolve"). All matches stay in doc.spans["rules"].

This module is self-contained: `spacy package --code` ships it with the pipeline.
"""

from collections.abc import Iterable

from spacy.tokens import Span
from spacy.util import registry


@registry.misc("defence_ner.rules_over_contained_ents.v1")
def make_rules_over_contained_ents():
    return rules_over_contained_ents


def rules_over_contained_ents(entities: Iterable[Span], matches: Iterable[Span]) -> list[Span]:
    """Merge rule matches into the entities: longest match first; a match is kept if it overlaps no
    kept match and contains every entity it overlaps, which it then replaces."""
    entities = list(entities)
    taken: list[Span] = []
    for match in sorted(matches, key=lambda span: (span.start - span.end, span.start)):
        if any(_overlap(match, other) for other in taken):
            continue
        overlapping = [e for e in entities if _overlap(match, e)]
        if all(match.start <= e.start and e.end <= match.end for e in overlapping):
            entities = [e for e in entities if e not in overlapping]
            taken.append(match)
    return sorted(entities + taken)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
