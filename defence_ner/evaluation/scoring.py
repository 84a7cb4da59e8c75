"""Score predicted entities against gold ones for the evaluation report.

Every function takes (gold, pred) Doc pairs over the same tokens (pred is the pipeline's output on
gold's text); spans are compared by token offsets.

Missing gold annotation: gold tokens with ``token.ent_iob == 0`` carry no NER annotation. As in
spaCy's NER scorer (``spacy.scorer.get_ner_prf``), a predicted span that covers any such token is
neither right nor wrong and is left out of every score here. So is a predicted span over a gold doc
with no NER annotation at all. Gold spans are always scored.

Only spans whose label is in ``labels`` are scored.

``semeval_scores`` uses nervaluate, which scores each label on its own: per label, only gold and
predicted spans of that label are compared. So a span predicted with the wrong label counts as
*missed* for the gold label and *spurious* (or *incorrect*, when it overlaps a gold span of its own
label) for the predicted label. The overall numbers compare all labels together.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np
from nervaluate import Evaluator
from nervaluate.entities import EvaluationResult
from spacy.tokens import Doc, Span

# The labels a defence user installs the model for: every results table gives them apart.
FOCUS_LABELS = ("WEAPON", "MILITARY_PLATFORM", "OPERATION")

Pairs = Sequence[tuple[Doc, Doc]]
SCHEMES = ("strict", "exact", "partial", "ent_type")


def semeval_scores(pairs: Pairs, labels: Sequence[str]) -> dict:
    """SemEval-2013 counts and P/R/F for each nervaluate scheme, overall and per label.

    Schemes: "strict" (same span, same label), "exact" (same span, any label), "partial" (overlap
    counts, a partial match as half), "ent_type" (overlap, same label). Each scheme's dict holds
    precision, recall, f1, correct, incorrect, partial, missed, spurious, possible and actual.
    Returns {"overall": {scheme: {...}}, "per_label": {label: {scheme: {...}}}}.
    """
    true, pred = [], []
    for gold_doc, pred_doc in pairs:
        gold_spans, pred_spans = _scored_spans(gold_doc, pred_doc, labels)
        true.append([_entity(span) for span in gold_spans])
        pred.append([_entity(span) for span in pred_spans])
    results = Evaluator(true, pred, tags=list(labels), loader="dict").evaluate()
    return {
        "overall": _by_scheme(results["overall"]),
        "per_label": {label: _by_scheme(results["entities"].get(label, {})) for label in labels},
    }


def bootstrap_f1(pairs: Pairs, labels: Sequence[str], n_resamples: int, seed: int, confidence: float = 0.95) -> dict:
    """Percentile bootstrap intervals for the strict micro F1, overall and per label, resampling documents.

    Resamples without any gold or predicted span of a label (F undefined) are left out of that
    label's interval; a value that cannot be computed at all is None.
    Returns {"overall": {"f", "low", "high"}, "per_label": {label: {"f", "low", "high"}},
    "n_resamples", "seed"}.
    """
    if not pairs or n_resamples < 1 or not 0 < confidence < 1:
        raise ValueError("bootstrap_f1 needs documents, n_resamples >= 1 and 0 < confidence < 1")
    counts = _strict_counts(pairs, labels)
    rng = np.random.RandomState(seed)
    docs = np.arange(len(pairs))
    # Imported here: scikit-learn takes about two seconds to import, which the scripts that only read FOCUS_LABELS
    # (compare, seeds, the README's tables) need not pay.
    from sklearn.utils import resample

    weights = np.stack([np.bincount(resample(docs, random_state=rng), minlength=len(docs)) for _ in range(n_resamples)])
    sampled = np.einsum("rd,dlk->rlk", weights, counts)
    point = counts.sum(axis=0)
    label_f, sampled_label_f = _f1(point), _f1(sampled)
    return {
        "overall": _interval(_f1(point.sum(axis=0)), _f1(sampled.sum(axis=1)), confidence),
        "per_label": {
            label: _interval(label_f[i], sampled_label_f[:, i], confidence) for i, label in enumerate(labels)
        },
        "n_resamples": n_resamples,
        "seed": seed,
    }


def confusion(pairs: Pairs, labels: Sequence[str]) -> dict:
    """Gold label (rows) against predicted label (columns) over overlapping spans.

    Each gold span is matched to the predicted span it overlaps most (ties: the earlier one), or to
    the column "missed" when no predicted span overlaps it; a predicted span that overlaps no gold
    span counts in the row "spurious". Each row of a gold label sums to its number of gold spans.
    Returns {"labels": [*labels, "spurious"], "columns": [*labels, "missed"], "matrix": [[int]]}.
    """
    rows, columns = [*labels, "spurious"], [*labels, "missed"]
    matrix = np.zeros((len(rows), len(columns)), dtype=int)
    for gold_doc, pred_doc in pairs:
        gold_spans, pred_spans = _scored_spans(gold_doc, pred_doc, labels)
        for gold in gold_spans:
            best = max(pred_spans, key=lambda pred: _overlap(gold, pred), default=None)
            column = columns.index(best.label_) if best is not None and _overlap(gold, best) else -1
            matrix[rows.index(gold.label_), column] += 1
        for pred in pred_spans:
            if not any(_overlap(gold, pred) for gold in gold_spans):
                matrix[-1, columns.index(pred.label_)] += 1
    return {"labels": rows, "columns": columns, "matrix": matrix.tolist()}


def errors(gold: Doc, pred: Doc) -> dict:
    """One document's strict errors for an error browser.

    Returns {"false_positives": [span], "false_negatives": [span], "near_misses": [{"gold": span,
    "pred": span, "kind"}]}, each span {"start_char", "end_char", "text", "label"}. A near miss is
    a false negative and a false positive that overlap; kind is "label" (same boundaries),
    "boundary" (same label) or "boundary_and_label".
    """
    gold_spans, pred_spans = _scored_spans(gold, pred)
    _, false_positives, false_negatives = _strict_split(gold_spans, pred_spans)
    return {
        "false_positives": [_describe(span) for span in false_positives],
        "false_negatives": [_describe(span) for span in false_negatives],
        "near_misses": [
            {"gold": _describe(g), "pred": _describe(p), "kind": _near_miss_kind(g, p)}
            for g in false_negatives
            for p in false_positives
            if _overlap(g, p)
        ],
    }


def _scored_spans(gold: Doc, pred: Doc, labels: Sequence[str] | None = None) -> tuple[list[Span], list[Span]]:
    """Gold and predicted entities to score: labels in `labels` (all if None), predictions off missing gold tokens."""
    if [token.text for token in gold] != [token.text for token in pred]:
        raise ValueError("gold and predicted docs must have the same tokens")
    gold_spans = [span for span in gold.ents if labels is None or span.label_ in labels]
    pred_spans = [
        span
        for span in pred.ents
        if (labels is None or span.label_ in labels)
        and all(token.ent_iob != 0 for token in gold[span.start : span.end])
    ]
    return gold_spans, pred_spans


def _entity(span: Span) -> dict:
    """A span in nervaluate's dict format (inclusive end token)."""
    return {"label": span.label_, "start": span.start, "end": span.end - 1}


def _by_scheme(results: dict[str, EvaluationResult]) -> dict:
    """Plain dicts for each scheme; zeros where nervaluate had nothing to score."""
    return {scheme: _plain(results.get(scheme, EvaluationResult())) for scheme in SCHEMES}


def _plain(result: EvaluationResult) -> dict:
    scores = asdict(result)
    return scores | {key: float(scores[key]) for key in ("precision", "recall", "f1")}


def _key(span: Span) -> tuple[str, int, int]:
    return span.label_, span.start, span.end


def _strict_split(gold_spans: list[Span], pred_spans: list[Span]) -> tuple[list[Span], list[Span], list[Span]]:
    """(true positives, false positives, false negatives) under strict matching."""
    gold_keys, pred_keys = {_key(span) for span in gold_spans}, {_key(span) for span in pred_spans}
    return (
        [span for span in pred_spans if _key(span) in gold_keys],
        [span for span in pred_spans if _key(span) not in gold_keys],
        [span for span in gold_spans if _key(span) not in pred_keys],
    )


def _strict_counts(pairs: Pairs, labels: Sequence[str]) -> np.ndarray:
    """Strict (tp, fp, fn) per document and label: shape (documents, labels, 3)."""
    counts = np.zeros((len(pairs), len(labels), 3), dtype=np.int64)
    for doc, (gold_doc, pred_doc) in enumerate(pairs):
        per_kind = [
            Counter(span.label_ for span in spans)
            for spans in _strict_split(*_scored_spans(gold_doc, pred_doc, labels))
        ]
        counts[doc] = [[kind[label] for kind in per_kind] for label in labels]
    return counts


def _f1(counts: np.ndarray) -> np.ndarray:
    """F1 from (..., 3) arrays of (tp, fp, fn); NaN where there is no span at all."""
    tp, fp, fn = np.moveaxis(counts, -1, 0)
    spans = 2 * tp + fp + fn
    return np.divide(2 * tp, spans, out=np.full(spans.shape, np.nan), where=spans > 0)


def _interval(point: float, samples: np.ndarray, confidence: float) -> dict:
    tail = 100 * (1 - confidence) / 2
    defined = samples[~np.isnan(samples)]
    low, high = np.percentile(defined, [tail, 100 - tail]) if defined.size else (np.nan, np.nan)
    return {
        key: None if np.isnan(value) else float(value) for key, value in {"f": point, "low": low, "high": high}.items()
    }


def _overlap(a: Span, b: Span) -> int:
    """Tokens shared by two spans."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _near_miss_kind(gold: Span, pred: Span) -> str:
    if (gold.start, gold.end) == (pred.start, pred.end):
        return "label"
    return "boundary" if gold.label_ == pred.label_ else "boundary_and_label"


def _describe(span: Span) -> dict:
    return {"start_char": span.start_char, "end_char": span.end_char, "text": span.text, "label": span.label_}
