"""Conversion speed on synthetic long documents: one document of each size in an offset format
(Prodigy JSONL) and in CoNLL (one -DOCSTART- document), timed through convert_source as `convert`
runs it. Conversion should be linear in document length, so microseconds per character should not
grow with size."""

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.convert import convert_source, make_nlp
from defence_ner.corpora.manifest import Source

SIZES = (10_000, 100_000, 1_000_000)
FORMATS = ("prodigy", "conll")
MAPPING = {"ORG": "ORGANISATION", "LOC": "LOCATION", "TEMP": "TEMPORAL"}
# One sentence, its entities as (text, label); "Mosu" is one character short of its token, so every
# sentence also takes the expansion repair.
SENTENCE = "The Iraqi Army struck {n} targets near Mosul on Tuesday."
ENTITIES = (("The Iraqi Army", "ORG"), ("Mosu", "LOC"), ("Tuesday", "TEMP"))


@dataclass(frozen=True)
class Timing:
    format: str
    characters: int
    entities: int
    seconds: float

    @property
    def microseconds_per_character(self) -> float:
        return self.seconds * 1e6 / self.characters


def sentences(n_chars: int) -> list[str]:
    """Numbered sentences adding up to about n_chars characters, joined by single spaces."""
    result, length = [], 0
    while length < n_chars:
        result.append(SENTENCE.format(n=len(result)))
        length += len(result[-1]) + 1
    return result


def write_prodigy_document(path: Path, n_chars: int) -> None:
    text, spans = "", []
    for sentence in sentences(n_chars):
        offset = len(text) + (1 if text else 0)
        for value, label in ENTITIES:
            start = offset + sentence.index(value)
            spans.append({"start": start, "end": start + len(value), "label": label})
        text = f"{text} {sentence}" if text else sentence
    path.write_text(json.dumps({"text": text, "spans": spans, "meta": {"id": "long"}}) + "\n", encoding="utf-8")


def write_conll_document(path: Path, n_chars: int) -> None:
    lines = ["-DOCSTART-\tO", ""]
    for sentence in sentences(n_chars):
        words = sentence[:-1].split() + ["."]
        tags = ["O"] * len(words)
        for value, label in ENTITIES:
            first = words.index(value.split()[0]) if value != "Mosu" else words.index("Mosul")
            n = len(value.split())
            tags[first : first + n] = [f"B-{label}"] + [f"I-{label}"] * (n - 1)
        lines += [f"{word}\t{tag}" for word, tag in zip(words, tags)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


WRITERS = {"prodigy": write_prodigy_document, "conll": write_conll_document}


def time_conversion(fmt: str, n_chars: int) -> Timing:
    """Write one synthetic document of about n_chars characters in fmt and time its conversion."""
    nlp = make_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"long.{fmt}"
        WRITERS[fmt](path, n_chars)
        start = time.perf_counter()
        docs = convert_source(Source("benchmark", fmt, path, MAPPING), nlp, ConversionReport())
        seconds = time.perf_counter() - start
    (doc,) = docs
    return Timing(fmt, len(doc.text), len(doc.ents), seconds)


def benchmark(sizes=SIZES, formats=FORMATS) -> list[Timing]:
    return [time_conversion(fmt, size) for fmt in formats for size in sizes]


def markdown_table(timings: list[Timing]) -> str:
    rows = [
        f"| {t.format} | {t.characters:,} | {t.entities:,} | {t.seconds:.2f} | {t.microseconds_per_character:.2f} |"
        for t in timings
    ]
    return "\n".join(
        [
            "# Conversion speed",
            "",
            "One synthetic document per row, converted as `convert` does (tokenizer, sentencizer, span",
            "policy); written by `scripts/benchmark_convert.py`. Linear conversion keeps microseconds per",
            "character flat as documents grow.",
            "",
            "| format | characters | entities | seconds | µs per character |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )
