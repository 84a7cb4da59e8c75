from collections import Counter

import pytest

from defence_ner.split import SplitItem, assign_splits

FRACTIONS = {"train": 0.7, "dev": 0.15, "test": 0.15}


def items(sizes: dict[str, int]) -> list[SplitItem]:
    return [SplitItem(f"{group}-{i}", group, Counter({"WEAPON": i % 3, "PERSON": 1})) for group, n in sizes.items() for i in range(n)]


def test_every_document_in_exactly_one_split_with_stratified_sizes():
    docs = items({"CENTCOM": 20, "BBC": 10})
    assignment = assign_splits(docs, FRACTIONS, seed=0, candidates=20)
    assert set(assignment) == {d.doc_id for d in docs}
    per_group = Counter((d.group, assignment[d.doc_id]) for d in docs)
    assert per_group == {("CENTCOM", "train"): 14, ("CENTCOM", "dev"): 3, ("CENTCOM", "test"): 3,
                         ("BBC", "train"): 6, ("BBC", "dev"): 2, ("BBC", "test"): 2}


def test_same_seed_same_split_other_seed_other_split():
    docs = items({"CENTCOM": 30})
    assert assign_splits(docs, FRACTIONS, seed=1, candidates=5) == assign_splits(docs, FRACTIONS, seed=1, candidates=5)
    assert assign_splits(docs, FRACTIONS, seed=1, candidates=5) != assign_splits(docs, FRACTIONS, seed=2, candidates=5)


def test_small_group_stays_in_train():
    assignment = assign_splits(items({"EU": 2, "CENTCOM": 20}), FRACTIONS, seed=0)
    assert assignment["EU-0"] == assignment["EU-1"] == "train"


def test_more_candidates_balance_a_rare_label():
    docs = [SplitItem(f"d{i}", "all", Counter({"WEAPON": 5 if i < 6 else 0, "PERSON": 1})) for i in range(40)]

    def weapon_share(assignment, split):
        return sum(d.labels["WEAPON"] for d in docs if assignment[d.doc_id] == split) / 30

    one = assign_splits(docs, FRACTIONS, seed=0, candidates=1)
    best = assign_splits(docs, FRACTIONS, seed=0, candidates=200)
    gap = lambda a: max(abs(weapon_share(a, s) - f) for s, f in FRACTIONS.items())
    assert gap(best) <= gap(one)
    assert weapon_share(best, "test") > 0 and weapon_share(best, "dev") > 0


def test_rejects_bad_fractions_and_duplicate_ids():
    with pytest.raises(ValueError, match="sum to 1"):
        assign_splits(items({"a": 3}), {"train": 0.5, "dev": 0.1}, seed=0)
    with pytest.raises(ValueError, match="unique"):
        assign_splits(items({"a": 2}) * 2, FRACTIONS, seed=0)
