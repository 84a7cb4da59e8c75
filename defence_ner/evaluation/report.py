"""The evaluation report of one pipeline on one test set: scores, intervals, confusion, errors, speed."""

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.docbin import word_count
from defence_ner.environment import describe, environment
from defence_ner.evaluation.error_browser import write_error_browser
from defence_ner.evaluation.plots import plot_confusion, plot_f_with_intervals
from defence_ner.evaluation.scoring import bootstrap_f1, confusion, semeval_scores

SCHEME_NAMES = {"strict": "strict", "exact": "exact boundary", "partial": "partial boundary", "ent_type": "type"}


def predict(nlp: Language, gold_docs: list[Doc], batch_size: int) -> tuple[list[Doc], dict]:
    """Run the pipeline on the gold documents' tokens (as spaCy's own evaluation does, so that CoNLL
    tokenization is kept); return the predictions and the throughput (CPU, one process)."""
    inputs = (
        Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc]) for doc in gold_docs
    )
    start = time.perf_counter()
    predicted = list(nlp.pipe(inputs, batch_size=batch_size))
    seconds = time.perf_counter() - start
    words = sum(word_count(doc) for doc in gold_docs)
    return predicted, {
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds),
        "batch_size": batch_size,
        "n_process": 1,
    }


def drop_unannotated(gold_docs: list[Doc], predicted: list[Doc], labels: Sequence[str]) -> dict[str, int]:
    """Remove predictions of labels a source does not annotate (re3d has no OPERATION): they can be
    neither right nor wrong there. Of the labels given, a source does not annotate one when none of
    its gold documents in the set has it, so in a set that mixes re3d with the team's corpus (dev)
    OPERATION is dropped from re3d's documents only. A gold entity they overlapped still counts as
    missed. Returns how many were removed per label, for the report."""
    annotated = {(source_of(doc), e.label_) for doc in gold_docs for e in doc.ents}
    removed: Counter[str] = Counter()
    for gold, doc in zip(gold_docs, predicted, strict=True):
        dropped = {label for label in labels if (source_of(gold), label) not in annotated}
        removed.update(e.label_ for e in doc.ents if e.label_ in dropped)
        doc.ents = [e for e in doc.ents if e.label_ not in dropped]
    return {label: removed[label] for label in labels}


def source_of(doc: Doc) -> str | None:
    """The corpus source a gold document was converted from (None for documents made elsewhere)."""
    return doc.user_data.get("source")


def build_report(
    gold_docs: list[Doc],
    predicted: list[Doc],
    speed: dict,
    n_resamples: int,
    seed: int,
    training_seed: int,
    unannotated: dict[str, int] | None = None,
) -> dict:
    """Every number of the report, JSON-serialisable, with what produced it: the pipeline's training seed and
    this environment. seed: the bootstrap's. unannotated: what drop_unannotated removed."""
    pairs = list(zip(gold_docs, predicted))
    labels = sorted({e.label_ for doc in gold_docs + predicted for e in doc.ents})
    support = {label: sum(1 for doc in gold_docs for e in doc.ents if e.label_ == label) for label in labels}
    return {
        "documents": len(gold_docs),
        "labels": labels,
        "support": support,
        "schemes": semeval_scores(pairs, labels),
        "intervals": bootstrap_f1(pairs, labels, n_resamples=n_resamples, seed=seed),
        "confusion": confusion(pairs, labels),
        "speed": speed,
        "unannotated_predictions_removed": unannotated or {},
        "training_seed": training_seed,
        "environment": environment(),
    }


def write_report(report: dict, pairs: list[tuple[Doc, Doc]], output_dir: Path, title: str) -> None:
    """Write report.json, report.md, confusion.png, f_per_label.png and errors.html into output_dir."""
    output_dir.mkdir(parents=True, exist_ok=True)
    srsly.write_json(output_dir / "report.json", report)
    plot_confusion(
        report["confusion"], output_dir / "confusion.png", f"{title}\nlabel confusion over overlapping spans"
    )
    plot_f_with_intervals(
        report["intervals"]["per_label"],
        output_dir / "f_per_label.png",
        f"{title}\nstrict F per label, 95% interval",
        overall=report["intervals"]["overall"],
    )
    write_error_browser(pairs, output_dir / "errors.html", f"{title}: errors")
    (output_dir / "report.md").write_text(markdown_summary(report, title), encoding="utf-8")


def markdown_summary(report: dict, title: str) -> str:
    overall = report["schemes"]["overall"]
    interval = report["intervals"]["overall"]
    speed = report["speed"]
    lines = [
        f"## {title}",
        "",
        f"{report['documents']} documents. Strict micro F **{format_f(interval['f'])}** "
        f"(95% interval {format_f(interval['low'])}–{format_f(interval['high'])}, "
        f"bootstrap over documents, {report['intervals']['n_resamples']} resamples, "
        f"seed {report['intervals']['seed']}). "
        f"Throughput: {speed['words_per_second']:,} words/s "
        f"(CPU, batch size {speed['batch_size']}, {speed['n_process']} process).",
        "",
        f"Pipeline trained with seed {report['training_seed']}; evaluated with {describe(report['environment'])}.",
        "",
        "| scheme | precision | recall | F | correct | incorrect | partial | missed | spurious |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scheme, name in SCHEME_NAMES.items():
        s = overall[scheme]
        lines.append(
            f"| {name} | {format_f(s['precision'])} | {format_f(s['recall'])} | {format_f(s['f1'])} "
            f"| {s['correct']} | {s['incorrect']} | {s['partial']} | {s['missed']} | {s['spurious']} |"
        )
    if any(report.get("unannotated_predictions_removed", {}).values()):
        removed = ", ".join(f"{label} {n}" for label, n in report["unannotated_predictions_removed"].items())
        lines += ["", f"Predictions of labels this test set does not annotate were removed before scoring: {removed}."]
    lines += [
        "",
        "| label | gold mentions | strict P | strict R | strict F (95% interval) | partial-boundary F | type F |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label in report["labels"]:
        s = report["schemes"]["per_label"][label]
        ci = report["intervals"]["per_label"][label]
        lines.append(
            f"| {label} | {report['support'][label]} "
            f"| {format_f(s['strict']['precision'])} | {format_f(s['strict']['recall'])} | "
            f"{format_f(ci['f'])} ({format_f(ci['low'])}–{format_f(ci['high'])}) "
            f"| {format_f(s['partial']['f1'])} | {format_f(s['ent_type']['f1'])} |"
        )
    lines += [
        "",
        "Label confusion over overlapping spans (rows: gold, columns: predicted; picture: confusion.png):",
        "",
        *confusion_table(report["confusion"]),
    ]
    return "\n".join(lines) + "\n"


def confusion_table(matrix: dict) -> list[str]:
    """The confusion matrix as Markdown rows, with its "missed" column and "spurious" row."""
    lines = [
        "| gold \\ predicted | " + " | ".join(matrix["columns"]) + " |",
        "|---|" + "---:|" * len(matrix["columns"]),
    ]
    lines += [
        f"| {label} | " + " | ".join(str(n) for n in row) + " |"
        for label, row in zip(matrix["labels"], matrix["matrix"])
    ]
    return lines


def format_f(value: float | None) -> str:
    """A score as the reports print it (three decimals, n/a when undefined)."""
    return "n/a" if value is None else f"{value:.3f}"
