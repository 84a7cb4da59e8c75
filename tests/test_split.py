from collections import Counter
from pathlib import Path

import pytest

from defence_ner.corpora.manifest import Source
from defence_ner.corpora.split import SplitItem, assign_splits, build_splits

FRACTIONS = {"train": 0.7, "dev": 0.15, "test": 0.15}


def items(sizes: dict[str, int]) -> list[SplitItem]:
    return [
        SplitItem(f"{group}-{i}", group, Counter({"WEAPON": i % 3, "PERSON": 1}))
        for group, n in sizes.items()
        for i in range(n)
    ]


def test_every_document_in_exactly_one_split_with_stratified_sizes():
    docs = items({"CENTCOM": 20, "BBC": 10})
    assignment = assign_splits(docs, FRACTIONS, seed=0, candidates=20)
    assert set(assignment) == {d.doc_id for d in docs}
    per_group = Counter((d.group, assignment[d.doc_id]) for d in docs)
    assert per_group == {
        ("CENTCOM", "train"): 14,
        ("CENTCOM", "dev"): 3,
        ("CENTCOM", "test"): 3,
        ("BBC", "train"): 6,
        ("BBC", "dev"): 2,
        ("BBC", "test"): 2,
    }


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

    def gap(a):
        return max(abs(weapon_share(a, s) - f) for s, f in FRACTIONS.items())

    assert gap(best) <= gap(one)
    assert weapon_share(best, "test") > 0 and weapon_share(best, "dev") > 0


def test_rejects_bad_fractions_and_duplicate_ids():
    with pytest.raises(ValueError, match="sum to 1"):
        assign_splits(items({"a": 3}), {"train": 0.5, "dev": 0.1}, seed=0)
    with pytest.raises(ValueError, match="unique"):
        assign_splits(items({"a": 2}) * 2, FRACTIONS, seed=0)


def make_doc(nlp, text, doc_id, source, part=None, label=None):
    doc = nlp.make_doc(text)
    doc.user_data.update({"doc_id": doc_id, "source": source} | ({"part": part} if part else {}))
    if label:
        doc.ents = [doc.char_span(0, len(text.split()[0]), label=label)]
    return doc


def source(name, split):
    return Source(name, "conll", Path(name), {}, split=split)


def test_build_splits_follows_each_source_policy_and_keeps_copies_together(nlp):
    docs = {
        "news": [make_doc(nlp, f"Story {i} about Mosul.", f"n{i}", "news", part="CENTCOM") for i in range(20)]
        + [make_doc(nlp, "Story 3 about  Mosul!", "copy-of-n3", "news", part="BBC")],
        "extra": [make_doc(nlp, f"Extra {i}.", f"e{i}", "extra") for i in range(3)],
    }
    sources = [source("news", "documents"), source("extra", "train")]
    splits, findings = build_splits(sources, docs, dev=0.15, test=0.15, seed=0, candidates=5)
    where = {d.user_data["doc_id"]: name for name, part in splits.items() for d in part}
    assert len(where) == 24 and {where[f"e{i}"] for i in range(3)} == {"train"}
    assert where["n3"] == where["copy-of-n3"]
    assert findings["duplicate_texts"] == [["news/CENTCOM:n3", "news/BBC:copy-of-n3"]]
    assert findings["removed_from_train_or_dev_because_in_test"] == []


def test_training_copy_of_a_test_text_is_removed_and_listed(nlp):
    docs = {
        "train_file": [
            make_doc(nlp, "Strike assessments are based on initial reports.", "t1", "train_file"),
            make_doc(nlp, "Daesh lost Raqqa.", "t2", "train_file"),
        ],
        "test_file": [make_doc(nlp, "Strike assessments are based on initial reports .", "x1", "test_file")],
    }
    splits, findings = build_splits(
        [source("train_file", "train"), source("test_file", "test")], docs, 0.15, 0.15, 0, 1
    )
    assert [d.user_data["doc_id"] for d in splits["train"]] == ["t2"]
    assert [d.user_data["doc_id"] for d in splits["test"]] == ["x1"]
    assert findings["removed_from_train_or_dev_because_in_test"] == ["t1"]


def test_fixed_split_source_listed_first_sharing_a_text_with_a_documents_source(nlp):
    """A text in both a fixed-split source and a documents source: the documents split does not depend on the order."""

    def docs():
        return {
            "team": [
                make_doc(nlp, "Story 3 about Mosul.", "team-copy-of-n3", "team"),
                make_doc(nlp, "Team note.", "t1", "team"),
            ],
            "news": [make_doc(nlp, f"Story {i} about Mosul.", f"n{i}", "news") for i in range(20)],
        }

    team_first, findings = build_splits(
        [source("team", "train"), source("news", "documents")], docs(), 0.15, 0.15, 0, 5
    )
    news_first, _ = build_splits([source("news", "documents"), source("team", "train")], docs(), 0.15, 0.15, 0, 5)
    news_alone, _ = build_splits([source("news", "documents")], {"news": docs()["news"]}, 0.15, 0.15, 0, 5)

    def where(splits):
        return {d.user_data["doc_id"]: name for name, part in splits.items() for d in part}

    assert where(team_first) == where(news_first)
    assert {k: v for k, v in where(team_first).items() if k.startswith("n")} == where(news_alone)
    assert {where(team_first)[f"n{i}"] for i in range(20)} == {"train", "dev", "test"}
    assert where(team_first)["t1"] == "train"
    assert findings["duplicate_texts"] == [["team:team-copy-of-n3", "news:n3"]]
