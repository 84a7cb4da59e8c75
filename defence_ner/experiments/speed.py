"""Throughput and peak memory of a pipeline over a corpus of at least N words, its strict F at that precision, and
the seconds each of its components takes."""

import os
import platform
import resource
import time
from collections.abc import Sequence
from pathlib import Path

import spacy
import torch
from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.annotation.stream import single_thread_torch
from defence_ner.docbin import word_count
from defence_ner.environment import describe
from defence_ner.evaluation.report import predict
from defence_ner.evaluation.scoring import semeval_scores
from defence_ner.pipeline.precision import resolved_precision, set_encoder_precision


def machine() -> dict:
    """What this process runs on: the machine's CPU cores, those it may use (its affinity), a cgroup
    CPU quota if there is one (cores' worth, or None) and torch's threads."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "cpu_quota": _cgroup_cpu_quota(),
        "torch_threads": torch.get_num_threads(),
    }


def _cgroup_cpu_quota(path: Path = Path("/sys/fs/cgroup/cpu.max")) -> float | None:
    """The cgroup v2 CPU limit in cores ("200000 100000" -> 2.0), None where there is none or no file."""
    try:
        quota, period = path.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    return None if quota == "max" else round(int(quota) / int(period), 2)


def repeated_texts(docs: list[Doc], min_words: int) -> tuple[list[str], int]:
    """The documents' texts repeated until they hold at least min_words words; return them and the word count."""
    words_per_pass = sum(word_count(doc) for doc in docs)
    passes = -(-min_words // words_per_pass)
    return [doc.text for doc in docs] * passes, words_per_pass * passes


def load(model: str, precision: str) -> Language:
    """The pipeline with its encoder at the precision; a packaged pipeline's encoder_precision component is set to it
    (it casts the encoder at the first document, so casting here would be undone: a bf16 package stayed bf16)."""
    nlp = spacy.load(model)
    if "encoder_precision" in nlp.pipe_names:
        nlp.get_pipe("encoder_precision").precision = precision
    elif "transformer" in nlp.pipe_names:
        set_encoder_precision(nlp, precision)
    return nlp


def described_precision(precision: str) -> str:
    """The precision as a row names it: auto with what it ran in on this CPU ("auto (fp32)")."""
    return f"auto ({resolved_precision(precision)})" if precision == "auto" else precision


def measure(
    model: str,
    precision: str,
    gold: list[Doc],
    min_words: int,
    batch_size: int,
    n_process: int,
) -> dict:
    """Seconds to load the pipeline, words per second over the repeated texts, peak resident memory (this
    process and its children), strict F on gold (its tokens), and the CPUs and torch threads the measurement had
    (machine())."""
    if n_process > 1:
        single_thread_torch()
    start = time.perf_counter()
    nlp = load(model, precision)
    load_seconds = time.perf_counter() - start
    # Scored on the gold's tokens, as the evaluation reports are (the tokenizer may read the text otherwise); warms up.
    predicted, _ = predict(nlp, gold, batch_size)
    labels = sorted({e.label_ for doc in gold + predicted for e in doc.ents})
    f = semeval_scores(list(zip(gold, predicted)), labels)["overall"]["strict"]["f1"]
    texts, words = repeated_texts(gold, min_words)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    seconds = time.perf_counter() - start
    peak_kb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    return {
        "model": model,
        "precision": described_precision(precision),
        "batch_size": batch_size,
        "n_process": n_process,
        **machine(),
        "load_seconds": round(load_seconds, 1),
        "words": words,
        "seconds": round(seconds, 1),
        "words_per_second": round(words / seconds),
        "peak_memory_mb": round(peak_kb / 1024),
        "strict_f": round(f, 4),
    }


def component_seconds(model: str, precision: str, gold: list[Doc], min_words: int, batch_size: int) -> dict:
    """Seconds the tokenizer and each component take over the repeated texts, each over all of them before the
    next, in this one process. A component's share of the total is the share of words/s it costs, measured
    under the same conditions as the rest of the pipeline: two rows measured in separate runs have read up to
    16% apart on the same machine, more than the costs to be told apart."""
    nlp = load(model, precision)
    list(nlp.pipe([doc.text for doc in gold], batch_size=batch_size))  # warm-up
    texts, words = repeated_texts(gold, min_words)
    start = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    seconds = {"tokenizer": time.perf_counter() - start}
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        seconds[name] = time.perf_counter() - start
    return {
        "model": model,
        "precision": described_precision(precision),
        "batch_size": batch_size,
        **machine(),
        "words": words,
        "seconds": {name: round(value, 2) for name, value in seconds.items()},
    }


def speed_table(
    rows: list[dict],
    min_words: int,
    env: dict[str, str],
    stages: dict | None = None,
    cost_of: Sequence[Sequence[str]] = (),
) -> str:
    """The Markdown table of the measurements, headed by the CPUs the measuring processes had and the package
    versions, then, from stages (component_seconds), where a pipeline's time goes and what each set of
    components in cost_of costs."""
    lines = [
        f"# Speed over the document-level test split repeated to at least {min_words:,} words",
        "",
        f"Measured with {_cores(rows)}; each measurement in a fresh process, with the torch threads of its row. "
        f"Environment: {describe(env)}.",
        "",
        "| pipeline | encoder precision | batch size | processes | torch threads | load (s) | words/s "
        "| peak memory (MB) | strict F on the test split |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['precision']} | {r['batch_size']} | {r['n_process']} | {r['torch_threads']} "
            f"| {r['load_seconds']:.1f} | {r['words_per_second']:,} | {r['peak_memory_mb']:,} | {r['strict_f']:.3f} |"
        )
    if stages:
        total = sum(stages["seconds"].values())
        lines += [
            "",
            f"Where the time goes: {stages['model']} ({stages['precision']}, batch size {stages['batch_size']}, "
            f"{stages['torch_threads']} torch threads) over {stages['words']:,} words, each component over all of "
            "them before the next, in one process. A component's share of the time is the share of words/s it "
            "costs.",
            "",
            "| component | seconds | share of the time |",
            "|---|---:|---:|",
        ]
        lines += [f"| {name} | {value:.1f} | {value / total:.1%} |" for name, value in stages["seconds"].items()]
        lines += ["", "| components | seconds | cost (share of words/s) |", "|---|---:|---:|"]
        for components in cost_of:
            seconds = sum(stages["seconds"][name] for name in components)
            lines.append(f"| {', '.join(components)} | {seconds:.1f} | {seconds / total:.1%} |")
    return "\n".join(lines) + "\n"


def _cores(rows: list[dict]) -> str:
    seen = []
    for r in rows:
        if "usable_cpus" not in r:
            described = "CPU cores not recorded"
        else:
            described = f"{r['usable_cpus']} usable CPU cores (of {r['cpu_count']} on the machine)"
            if r.get("cpu_quota") is not None:
                described += f", a cgroup quota of {r['cpu_quota']} cores"
            if r.get("cpu"):
                described += f", {r['cpu']}"
        if described not in seen:
            seen.append(described)
    return "; ".join(seen)
