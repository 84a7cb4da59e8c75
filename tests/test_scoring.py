import json

import pytest
import spacy
from spacy.scorer import Scorer, get_ner_prf
from spacy.tokens import Doc
from spacy.training import Example

from defence_ner.evaluation.scoring import bootstrap_f1, confusion, errors, semeval_scores

VOCAB = spacy.blank("en").vocab
LABELS = ["WEAPON", "PERSON", "LOCATION"]
WORDS = "Patriot missiles hit Smith in North Mosul , Jones saw drones".split()
# One exact match, one wrong label on the same span, one boundary overlap with the same label, one missed, one spurious.
GOLD = ["B-WEAPON", "I-WEAPON", "O", "B-PERSON", "O", "B-LOCATION", "I-LOCATION", "O", "B-PERSON", "O", "O"]
PRED = ["B-WEAPON", "I-WEAPON", "O", "B-LOCATION", "O", "O", "B-LOCATION", "O", "O", "O", "B-WEAPON"]


def doc(words, tags):
    """A Doc with BIO tags; None marks a token with missing NER annotation."""
    return Doc(VOCAB, words=words, ents=tags)


def pair(words, gold, pred):
    return doc(words, gold), doc(words, pred)


def mixed():
    return [pair(WORDS, GOLD, PRED)]


def scores(result, *keys):
    return tuple(result[key] for key in keys)


def multi_document():
    words = "Smith fired a Javelin at Kyiv".split()
    return mixed() + [
        pair(
            words,
            ["B-PERSON", "O", "O", "B-WEAPON", "O", "B-LOCATION"],
            ["B-PERSON", "O", "O", "B-WEAPON", "O", "B-LOCATION"],
        ),
        pair(
            words,
            ["B-PERSON", "O", "O", "B-WEAPON", "O", "B-LOCATION"],
            ["B-LOCATION", "O", "B-WEAPON", "I-WEAPON", "O", "B-LOCATION"],
        ),
        pair(words, ["O"] * 6, ["O", "O", "O", "B-PERSON", "O", "O"]),
        pair(words, ["B-PERSON", "O", "O", "B-WEAPON", "O", "B-LOCATION"], ["O"] * 6),
    ]


@pytest.mark.parametrize(
    "scheme, counts, prf",
    [
        ("strict", (1, 2, 0, 1, 1, 4, 4), 0.25),
        ("exact", (2, 1, 0, 1, 1, 4, 4), 0.5),
        ("partial", (2, 0, 1, 1, 1, 4, 4), 0.625),
        ("ent_type", (2, 1, 0, 1, 1, 4, 4), 0.5),
    ],
)
def test_each_scheme_counts_the_known_cases(scheme, counts, prf):
    result = semeval_scores(mixed(), LABELS)["overall"][scheme]
    assert scores(result, "correct", "incorrect", "partial", "missed", "spurious", "possible", "actual") == counts
    assert scores(result, "precision", "recall", "f1") == pytest.approx((prf, prf, prf))


def test_per_label_scores_compare_one_label_at_a_time():
    per_label = semeval_scores(mixed(), LABELS)["per_label"]
    weapon, person, location = (per_label[label] for label in LABELS)
    assert scores(weapon["strict"], "correct", "spurious", "missed") == (1, 1, 0)
    assert scores(weapon["strict"], "precision", "recall", "f1") == pytest.approx((0.5, 1.0, 2 / 3))
    # Smith predicted as LOCATION: missed for PERSON, spurious for LOCATION.
    assert scores(person["exact"], "correct", "missed", "spurious", "f1") == (0, 2, 0, 0.0)
    assert scores(location["strict"], "correct", "incorrect", "spurious", "missed") == (0, 1, 1, 0)
    assert scores(location["partial"], "partial", "precision", "recall", "f1") == pytest.approx((1, 0.25, 0.5, 1 / 3))
    assert scores(location["ent_type"], "correct", "spurious", "f1") == pytest.approx((1, 1, 2 / 3))


def test_labels_without_spans_get_zeros_and_the_result_is_plain_json():
    result = semeval_scores(mixed(), [*LABELS, "ORGANISATION"])
    assert result["per_label"]["ORGANISATION"]["strict"] == {
        "correct": 0,
        "incorrect": 0,
        "partial": 0,
        "missed": 0,
        "spurious": 0,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "actual": 0,
        "possible": 0,
    }
    assert json.loads(json.dumps(result)) == result
    assert semeval_scores([], LABELS)["overall"]["strict"]["f1"] == 0.0


def test_strict_scores_equal_spacy_scorer():
    pairs = multi_document()
    examples = [Example(pred, gold) for gold, pred in pairs]
    result = semeval_scores(pairs, LABELS)
    ours = scores(result["overall"]["strict"], "precision", "recall", "f1")
    for spacy_scores in (get_ner_prf(examples), Scorer.score_spans(examples, "ents")):
        assert ours == pytest.approx(scores(spacy_scores, "ents_p", "ents_r", "ents_f"))
        for label, prf in spacy_scores["ents_per_type"].items():
            assert scores(result["per_label"][label]["strict"], "precision", "recall", "f1") == pytest.approx(
                scores(prf, "p", "r", "f")
            )


def test_predictions_on_missing_gold_tokens_are_ignored_as_spacy_does():
    words = "Smith fired a Javelin at Kyiv today".split()
    gold = ["B-PERSON", "O", None, None, "O", None, "O"]
    # Javelin lies on missing tokens only, "at Kyiv" partly; both are neither right nor wrong.
    pred = ["B-PERSON", "O", "O", "B-WEAPON", "B-LOCATION", "I-LOCATION", "B-WEAPON"]
    pairs = [pair(words, gold, pred)]
    strict = semeval_scores(pairs, LABELS)["overall"]["strict"]
    assert scores(strict, "correct", "spurious", "missed", "actual") == (1, 1, 0, 2)
    assert strict["precision"] == pytest.approx(get_ner_prf([Example(pairs[0][1], pairs[0][0])])["ents_p"]) == 0.5
    assert [e["text"] for e in errors(*pairs[0])["false_positives"]] == ["today"]
    assert confusion(pairs, LABELS)["matrix"][-1] == [1, 0, 0, 0]
    assert bootstrap_f1(pairs, LABELS, n_resamples=10, seed=0)["overall"]["f"] == pytest.approx(2 / 3)


def test_bootstrap_interval_contains_point_and_is_reproducible():
    pairs = multi_document() * 3
    result = bootstrap_f1(pairs, LABELS, n_resamples=300, seed=7)
    assert result["overall"]["f"] == pytest.approx(semeval_scores(pairs, LABELS)["overall"]["strict"]["f1"])
    for interval in [result["overall"], *result["per_label"].values()]:
        assert interval["low"] <= interval["f"] <= interval["high"]
        assert interval["low"] < interval["high"]
    assert (result["n_resamples"], result["seed"]) == (300, 7)
    assert bootstrap_f1(pairs, LABELS, n_resamples=300, seed=7) == result
    assert bootstrap_f1(pairs, LABELS, n_resamples=300, seed=8) != result
    assert json.loads(json.dumps(result)) == result


def test_bootstrap_of_a_perfect_prediction_is_one_and_undefined_labels_are_none():
    words = "Smith fired a Javelin".split()
    tags = [["B-PERSON", "O", "O", "B-WEAPON"], ["B-PERSON", "O", "O", "O"], ["O"] * 4]
    pairs = [pair(words, t, t) for t in tags]
    result = bootstrap_f1(pairs, [*LABELS, "ORGANISATION"], n_resamples=100, seed=0, confidence=0.9)
    for label in ["PERSON", "WEAPON"]:
        assert result["per_label"][label] == {"f": 1.0, "low": 1.0, "high": 1.0}
    assert result["overall"] == {"f": 1.0, "low": 1.0, "high": 1.0}
    assert result["per_label"]["ORGANISATION"] == {"f": None, "low": None, "high": None}
    with pytest.raises(ValueError):
        bootstrap_f1([], LABELS, n_resamples=10, seed=0)


def test_confusion_matrix_with_spurious_row_and_missed_column():
    words = "a b c d e".split()
    pairs = mixed() + [
        # A tie between two predictions goes to the earlier one; the other is not spurious.
        pair(
            words,
            ["B-LOCATION", "I-LOCATION", "I-LOCATION", "I-LOCATION", "O"],
            ["B-PERSON", "I-PERSON", "B-WEAPON", "I-WEAPON", "O"],
        ),
        # The larger overlap wins.
        pair(
            words,
            ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O"],
            ["B-WEAPON", "B-LOCATION", "I-LOCATION", "I-LOCATION", "O"],
        ),
    ]
    result = confusion(pairs, LABELS)
    assert result["labels"] == ["WEAPON", "PERSON", "LOCATION", "spurious"]
    assert result["columns"] == ["WEAPON", "PERSON", "LOCATION", "missed"]
    assert result["matrix"] == [
        [1, 0, 0, 0],
        [0, 0, 2, 1],
        [0, 1, 1, 0],
        [1, 0, 0, 0],
    ]


def test_errors_lists_false_positives_negatives_and_near_misses():
    gold, pred = pair(WORDS, GOLD, PRED)
    result = errors(gold, pred)

    def span(text, label):
        return {
            "start_char": gold.text.index(text),
            "end_char": gold.text.index(text) + len(text),
            "text": text,
            "label": label,
        }

    assert result["false_positives"] == [span("Smith", "LOCATION"), span("Mosul", "LOCATION"), span("drones", "WEAPON")]
    assert result["false_negatives"] == [
        span("Smith", "PERSON"),
        span("North Mosul", "LOCATION"),
        span("Jones", "PERSON"),
    ]
    assert result["near_misses"] == [
        {"gold": span("Smith", "PERSON"), "pred": span("Smith", "LOCATION"), "kind": "label"},
        {"gold": span("North Mosul", "LOCATION"), "pred": span("Mosul", "LOCATION"), "kind": "boundary"},
    ]
    both = errors(*pair(["North", "Mosul"], ["B-LOCATION", "I-LOCATION"], ["O", "B-PERSON"]))
    assert [m["kind"] for m in both["near_misses"]] == ["boundary_and_label"]
    assert errors(gold, gold) == {"false_positives": [], "false_negatives": [], "near_misses": []}


def test_docs_must_share_tokens():
    with pytest.raises(ValueError, match="same tokens"):
        errors(doc(["a", "b"], ["O", "O"]), doc(["a", "c"], ["O", "O"]))
