"""How the rule component's matches join the statistical NER's entities.

The rules (configs/patterns/rules.json, run by spaCy's span_ruler after the ner) cover types with a
written form (FREQUENCY, COORDINATE, URL, COMMS_IDENTIFIER), "Operation X" / "Exercise X" and ship
names after a ship prefix ("USS Carl Vinson", "MV Sea Harmony"). Neither side overwrites the other
blindly; which one gives way depends on which is surer:
- a match of a written form (written_forms: a frequency with its unit, a URL, an e-mail address...)
  replaces every NER entity it overlaps: its boundaries are surer than the model's, which reads
  "121.5 MHz and" as a QUANTITY;
- any other match ("Operation X", "HMS Prince of Wales") replaces the NER entities it overlaps unless
  one of them starts before it: then the model saw a longer mention the name is part of ("Combined
  Joint Task Force - Operation Inherent Resolve") and the match is dropped. An entity inside the match ("[Operation]
  Sindoor") or starting with it and running on past the name's capitalised words ("Operation
  Sindoor in") gives way: the pattern's end is surer than the model's there.
All matches stay in doc.spans["rules"].

This module is self-contained: `spacy package --code` ships it with the pipeline.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import partial

from spacy.tokens import Span
from spacy.util import registry

# The configs name these too; the default keeps pipelines saved before the setting existed loading.
WRITTEN_FORMS = ("FREQUENCY", "COORDINATE", "URL", "COMMS_IDENTIFIER")


@registry.misc("defence_ner.merge_rule_matches.v1")
def make_merge_rule_matches(
    written_forms: Sequence[str] = WRITTEN_FORMS,
) -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    return partial(merge_rule_matches, written_forms=tuple(written_forms))


def merge_rule_matches(
    entities: Iterable[Span], matches: Iterable[Span], written_forms: Sequence[str] = ()
) -> list[Span]:
    """Merge rule matches into the entities: longest match first; a match is kept if it overlaps no
    kept match and either its label is a written form or no entity it overlaps starts before it;
    the entities it overlaps are then removed."""
    entities = list(entities)
    taken: list[Span] = []
    for match in sorted(matches, key=lambda span: (span.start - span.end, span.start)):
        if any(_overlap(match, other) for other in taken):
            continue
        overlapping = [e for e in entities if _overlap(match, e)]
        if match.label_ in written_forms or all(match.start <= e.start for e in overlapping):
            entities = [e for e in entities if e not in overlapping]
            taken.append(match)
    return sorted(entities + taken)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
