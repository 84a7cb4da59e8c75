"""Entity-linking evaluation, apart from recognition: each test mention is given as its gold span (the
sentence, the character offsets and the schema label), made the only entity of a Doc, and only the
linker runs on it. The test set is JSONL, one mention a line:
    {"text": sentence, "mention": surface string, "start": char, "end": char, "label": schema label,
     "gold": knowledge-base record id, or "none" for a mention the knowledge base does not have}

Scores, over the mentions:
- accuracy@1: the share the linker gets right: the gold id, or no link where the gold is "none";
- linked precision: of the mentions it links, the share linked to the gold id (None when it links none);
- linked recall: of the mentions whose gold is an id, the share linked to that id;
- and the same per label, with the counts.
The threshold is chosen on a dev part: the one with the best accuracy@1 among those whose linked
precision is at least `min_precision` (linking nothing counts as precise), ties to the higher threshold.
"""

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from defence_ner.environment import describe, environment
from defence_ner.errors import CorpusFormatError

NONE = "none"
FIELDS = {"text": str, "mention": str, "start": int, "end": int, "label": str, "gold": str}
MIN_PRECISION = 0.95


def read_linking_set(path: Path) -> list[dict[str, Any]]:
    """The mentions of a linking test file, each checked: its fields and types, and that text[start:end]
    is the mention."""
    mentions = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                mention = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorpusFormatError(path, number, f"not JSON: {error.msg}") from error
            for field, kind in FIELDS.items():
                if not isinstance(mention.get(field), kind) or isinstance(mention.get(field), bool):
                    raise CorpusFormatError(path, number, f"field {field!r} should be {kind.__name__}")
            if mention["text"][mention["start"] : mention["end"]] != mention["mention"]:
                raise CorpusFormatError(path, number, f"text[{mention['start']}:{mention['end']}] is not the mention")
            mentions.append(mention)
    return mentions


def linker_of(nlp: Language, name: str | None = None) -> Any:
    """The pipeline's linker: the component called name, or the first made by the kb_linker factory."""
    if name is not None:
        return nlp.get_pipe(name)
    for pipe_name in nlp.pipe_names:
        if nlp.get_pipe_meta(pipe_name).factory == "kb_linker":
            return nlp.get_pipe(pipe_name)
    raise ValueError(f"the pipeline has no kb_linker component: {nlp.pipe_names}")


def score_mentions(nlp: Language, mentions: list[dict[str, Any]], linker_name: str | None = None) -> list[dict]:
    """Each mention with the linker's best candidate (`predicted`: an id or None) and its score, found by
    running the linker alone, with no threshold, on a Doc whose only entity is the gold span.
    A span that does not fall on token boundaries is widened to them (`aligned` False)."""
    linker = linker_of(nlp, linker_name)
    threshold = linker.threshold
    linker.threshold = 0.0
    scored = []
    try:
        for mention in mentions:
            doc = nlp.make_doc(mention["text"])
            span = doc.char_span(mention["start"], mention["end"], label=mention["label"])
            aligned = span is not None
            if span is None:
                span = doc.char_span(mention["start"], mention["end"], label=mention["label"], alignment_mode="expand")
            doc.ents = [span]
            doc = linker(doc)
            entity = doc.ents[0]
            predicted = entity.kb_id_ or None
            score = entity._.kb_score if predicted else 0.0
            scored.append({**mention, "predicted": predicted, "score": score, "aligned": aligned})
    finally:
        linker.threshold = threshold
    return scored


def at_threshold(scored: Iterable[dict], threshold: float) -> list[str | None]:
    """The linker's answer for each scored mention at a threshold: its best candidate if the score passes."""
    return [m["predicted"] if m["predicted"] and m["score"] >= threshold else None for m in scored]


def linking_scores(scored: list[dict], threshold: float) -> dict[str, Any]:
    """accuracy@1, linked precision and recall (module docstring) at threshold, overall and per label."""
    predictions = at_threshold(scored, threshold)
    by_label: dict[str, list[int]] = {}
    for i, mention in enumerate(scored):
        by_label.setdefault(mention["label"], []).append(i)
    return {
        "threshold": threshold,
        **_scores([scored[i] for i in range(len(scored))], predictions),
        "per_label": {
            label: _scores([scored[i] for i in rows], [predictions[i] for i in rows])
            for label, rows in sorted(by_label.items())
        },
    }


def _scores(mentions: list[dict], predictions: list[str | None]) -> dict[str, Any]:
    gold = [None if m["gold"] == NONE else m["gold"] for m in mentions]
    right = sum(p == g for p, g in zip(predictions, gold))
    linked = [(p, g) for p, g in zip(predictions, gold) if p is not None]
    with_id = [(p, g) for p, g in zip(predictions, gold) if g is not None]
    return {
        "mentions": len(mentions),
        "gold_linked": len(with_id),
        "predicted_linked": len(linked),
        "accuracy": right / len(mentions) if mentions else None,
        "linked_precision": sum(p == g for p, g in linked) / len(linked) if linked else None,
        "linked_recall": sum(p == g for p, g in with_id) / len(with_id) if with_id else None,
    }


def choose_threshold(scored: list[dict], min_precision: float = MIN_PRECISION) -> dict[str, Any]:
    """The threshold with the best accuracy@1 on the scored (dev) mentions among those whose linked
    precision is at least min_precision, ties to the higher threshold; with its scores. The thresholds
    tried are the mentions' scores and one above them all (linking nothing, which is always allowed)."""
    candidates = sorted({round(m["score"], 6) for m in scored if m["predicted"]} | {0.0})
    candidates.append(round(max(candidates) + 1e-6, 6) if candidates else 1.0)
    best = None
    for threshold in candidates:
        scores = _scores(scored, at_threshold(scored, threshold))
        precision = scores["linked_precision"]
        if precision is not None and precision < min_precision:
            continue
        key = (scores["accuracy"] or 0.0, threshold)
        if best is None or key >= best[0]:
            best = (key, threshold)
    return linking_scores(scored, best[1])


def split_dev(mentions: list[dict], dev_fraction: float, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """(dev, test): the mentions split by sentence (all mentions of one text go to the same part), each
    text assigned by a hash of the seed and the text, so the split is stable whatever the file's order."""
    dev, test = [], []
    for mention in mentions:
        digest = hashlib.sha256(f"{seed}\0{mention['text']}".encode()).digest()
        (dev if int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction else test).append(mention)
    return dev, test


def linking_report(
    dev: list[dict], test: list[dict], configured: float, min_precision: float = MIN_PRECISION, errors: int = 30
) -> dict[str, Any]:
    """The threshold chosen on the scored dev mentions, and the test scores at it and at the configured one."""
    chosen = choose_threshold(dev, min_precision) if dev else None
    threshold = chosen["threshold"] if chosen else configured
    wrong = [
        {k: m[k] for k in ("text", "mention", "label", "gold", "score")} | {"predicted": p}
        for m, p in zip(test, at_threshold(test, threshold))
        if p != (None if m["gold"] == NONE else m["gold"])
    ]
    return {
        "min_precision": min_precision,
        "configured_threshold": configured,
        "chosen_threshold": threshold,
        "dev": chosen,
        "test": linking_scores(test, threshold),
        "test_at_configured_threshold": linking_scores(test, configured),
        "misaligned_spans": sum(not m["aligned"] for m in dev + test),
        "errors": wrong[:errors],
        "error_count": len(wrong),
        "environment": environment(),
    }


def score_cell(value: float | None) -> str:
    """A linking score in a table; a dash where it is undefined (linked precision when nothing is linked)."""
    return "–" if value is None else f"{value:.3f}"


def linking_markdown(report: dict[str, Any], title: str) -> str:
    """The report as Markdown: the chosen threshold, the scores table and the first errors."""
    lines = [
        f"# {title}",
        "",
        "Each mention is its gold span, alone in its sentence's Doc; only the linker runs (no recognition).",
        f"Threshold chosen on the dev mentions: {report['chosen_threshold']:.6g} (best accuracy@1 with linked "
        f"precision >= {report['min_precision']}); the pipeline's configured threshold: "
        f"{report['configured_threshold']:.6g}. Environment: {describe(report['environment'])}.",
        *(
            [f"Dev mentions: {report['dev_path']}; test mentions: {report['test_path']}."]
            if "dev_path" in report
            else []
        ),
        "",
        "| part | threshold | mentions | gold linked | linked | accuracy@1 | linked precision | linked recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [("dev", report["dev"]), ("test", report["test"])]
    rows.append(("test, configured threshold", report["test_at_configured_threshold"]))
    for part, scores in rows:
        if scores is None:
            continue
        lines.append(
            f"| {part} | {scores['threshold']:.6g} | {scores['mentions']} | {scores['gold_linked']} | "
            f"{scores['predicted_linked']} | {score_cell(scores['accuracy'])} | "
            f"{score_cell(scores['linked_precision'])} | {score_cell(scores['linked_recall'])} |"
        )
    lines += ["", "## Test, per label", "", "| label | mentions | accuracy@1 | linked precision | linked recall |"]
    lines.append("|---|---:|---:|---:|---:|")
    for label, scores in report["test"]["per_label"].items():
        lines.append(
            f"| {label} | {scores['mentions']} | {score_cell(scores['accuracy'])} | "
            f"{score_cell(scores['linked_precision'])} | {score_cell(scores['linked_recall'])} |"
        )
    lines += ["", f"## Test errors ({report['error_count']}; the first {len(report['errors'])})", ""]
    lines += ["| mention | label | gold | predicted | score |", "|---|---|---|---|---:|"]
    for error in report["errors"]:
        mention, predicted = error["mention"].replace("|", "\\|"), error["predicted"] or NONE
        lines.append(f"| {mention} | {error['label']} | {error['gold']} | {predicted} | {error['score']:.3f} |")
    return "\n".join(lines) + "\n"
