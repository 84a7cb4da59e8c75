"""Throughput and peak memory of a pipeline over a corpus of at least N words, and its strict F at that precision."""

import resource
import time

import spacy
import torch
from spacy.language import Language
from spacy.tokens import Doc

from defence_ner.annotation.stream import single_thread_torch
from defence_ner.docbin import word_count
from defence_ner.evaluation.scoring import semeval_scores
from defence_ner.pipeline.precision import set_encoder_precision


def repeated_texts(docs: list[Doc], min_words: int) -> tuple[list[str], int]:
    """The documents' texts repeated until they hold at least min_words words; return them and the word count."""
    words_per_pass = sum(word_count(doc) for doc in docs)
    passes = -(-min_words // words_per_pass)
    return [doc.text for doc in docs] * passes, words_per_pass * passes


def load(model: str, precision: str) -> Language:
    nlp = spacy.load(model)
    if "transformer" in nlp.pipe_names:
        set_encoder_precision(nlp, precision)
    return nlp


def measure(model: str, precision: str, gold: list[Doc], min_words: int, batch_size: int, n_process: int) -> dict:
    """Words per second over the repeated texts, peak resident memory (this process and its children) and strict F on gold."""
    if n_process > 1:
        single_thread_torch()
    nlp = load(model, precision)
    predicted = list(nlp.pipe([doc.text for doc in gold], batch_size=batch_size))  # also warms up
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
        "precision": precision,
        "batch_size": batch_size,
        "n_process": n_process,
        "torch_threads": torch.get_num_threads(),
        "words": words,
        "seconds": round(seconds, 1),
        "words_per_second": round(words / seconds),
        "peak_memory_mb": round(peak_kb / 1024),
        "strict_f": round(f, 4),
    }
