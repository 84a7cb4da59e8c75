"""Seeded splits of whole documents into train/dev/test, stratified by source and balanced by label."""

import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc

from defence_ner.corpora.manifest import Source, stratum


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


def _label_imbalance(
    items: list[SplitItem], assignment: dict[str, str], fractions: dict[str, float], min_mentions: int
) -> float:
    """The largest relative gap, over labels and splits, between a split's share of a label and its fraction."""
    totals: Counter = Counter()
    per_split: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        totals.update(item.labels)
        per_split[assignment[item.doc_id]].update(item.labels)
    return max(
        (
            abs(per_split[name][label] / total - fraction) / fraction
            for label, total in totals.items()
            if total >= min_mentions
            for name, fraction in fractions.items()
        ),
        default=0.0,
    )


def text_key(doc: Doc) -> str:
    """The text with case, spacing and punctuation folded, so that one text tokenized two ways matches."""
    return re.sub(r"\W+", "", doc.text.lower())


def build_splits(
    sources: list[Source], docs: dict[str, list[Doc]], dev: float, test: float, seed: int, candidates: int
) -> tuple[dict[str, list[Doc]], dict]:
    """Put each source's documents in train/dev/test by its split policy; report duplicates and overlaps.

    Documents with the same text (text_key) are one unit. A unit with a copy in a "documents"
    source is split under that policy (else under "train_dev" if it has a copy there), whatever the
    order of the sources and whatever copies fixed-split sources hold, so adding a fixed-split source
    never moves another source's documents; the copies of a unit in sources that are split go to
    one split. Copies in fixed-split sources go to their fixed split, except that a train or dev
    document whose text is also in test is removed from train/dev and listed: the test set is
    never changed.
    """
    policies = {
        "documents": {"train": 1.0 - dev - test, "dev": dev, "test": test},
        "train_dev": {"train": 1.0 - dev, "dev": dev},
    }
    units: dict[str, list[Doc]] = defaultdict(list)
    for source in sources:
        for doc in docs[source.name]:
            units[text_key(doc)].append(doc)
    policy_of = {s.name: s.split for s in sources}
    split_of: dict[str, str] = {}
    for policy, fractions in policies.items():
        items = []
        for key, members in units.items():
            if key in split_of:  # already split by an earlier policy (documents before train_dev)
                continue
            split_here = [d for d in members if policy_of[d.user_data["source"]] == policy]
            if split_here:
                labels = sum((Counter(e.label_ for e in d.ents) for d in split_here), Counter())
                items.append(SplitItem(key, stratum(split_here[0]), labels))
        if items:
            split_of.update(assign_splits(items, fractions, seed, candidates))
    fixed = {s.name: s.split for s in sources if s.split in ("train", "test")}
    splits: dict[str, list[Doc]] = {"train": [], "dev": [], "test": []}
    test_keys = {
        key
        for key, members in units.items()
        if any(fixed.get(d.user_data["source"]) == "test" for d in members) or split_of.get(key) == "test"
    }
    removed = []
    for key, members in units.items():
        for doc in members:
            name = fixed.get(doc.user_data["source"]) or split_of[key]
            if name != "test" and key in test_keys:
                removed.append(doc.user_data["doc_id"])
                continue
            splits[name].append(doc)
    duplicates = [
        [f"{stratum(d)}:{d.user_data['doc_id']}" for d in members] for members in units.values() if len(members) > 1
    ]
    return splits, {"duplicate_texts": duplicates, "removed_from_train_or_dev_because_in_test": removed}
