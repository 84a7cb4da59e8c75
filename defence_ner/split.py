"""Seeded splits of whole documents into train/dev/test, stratified by source and balanced by label."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class SplitItem:
    doc_id: str
    group: str  # stratum, e.g. the source
    labels: Counter  # entity label -> mentions in this document


def assign_splits(
    items: list[SplitItem], fractions: dict[str, float], seed: int, candidates: int = 1, min_mentions: int = 20
) -> dict[str, str]:
    """Map each doc_id to a split name.

    Within each group the documents are shuffled and each split except the first gets
    round(fraction * n) of them; the first split (train) takes the rest, so a small group stays in
    train rather than giving its only documents to evaluation. Of `candidates` such shuffles (drawn
    from one seeded generator), the one whose worst label share is nearest to its split's fraction
    is kept (labels with at least `min_mentions` mentions), so that rare labels such as WEAPON are
    not left out of dev or test by chance.
    """
    if abs(sum(fractions.values()) - 1.0) > 1e-6:
        raise ValueError(f"split fractions must sum to 1, got {fractions}")
    if len({item.doc_id for item in items}) != len(items):
        raise ValueError("document ids must be unique to be split")
    rng = random.Random(seed)
    draws = [_stratified_shuffle(items, fractions, rng) for _ in range(candidates)]
    return min(draws, key=lambda assignment: _label_imbalance(items, assignment, fractions, min_mentions))


def _stratified_shuffle(items: list[SplitItem], fractions: dict[str, float], rng: random.Random) -> dict[str, str]:
    by_group: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_group[item.group].append(item.doc_id)
    first, *others = fractions
    assignment: dict[str, str] = {}
    for group in sorted(by_group):
        members = sorted(by_group[group])
        rng.shuffle(members)
        position = 0
        for name in others:
            size = max(0, min(round(fractions[name] * len(members)), len(members) - position - 1))
            assignment.update(dict.fromkeys(members[position : position + size], name))
            position += size
        assignment.update(dict.fromkeys(members[position:], first))
    return assignment


def _label_imbalance(items: list[SplitItem], assignment: dict[str, str], fractions: dict[str, float], min_mentions: int) -> float:
    """The largest relative gap, over labels and splits, between a split's share of a label and its fraction."""
    totals: Counter = Counter()
    per_split: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        totals.update(item.labels)
        per_split[assignment[item.doc_id]].update(item.labels)
    return max(
        (abs(per_split[name][label] / total - fraction) / fraction for label, total in totals.items() if total >= min_mentions for name, fraction in fractions.items()),
        default=0.0,
    )
