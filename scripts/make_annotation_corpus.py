"""Write a JSONL corpus of at least N words for annotation runs: the test documents repeated, each copy
with its own id."""

from pathlib import Path

import spacy
import srsly
import typer
from wasabi import msg

from defence_ner.docbin import read_docs
from defence_ner.experiments.speed import repeated_texts


def main(
    test_path: Path = typer.Argument(..., exists=True, dir_okay=False),
    output: Path = typer.Argument(...),
    min_words: int = typer.Option(200_000),
) -> None:
    texts, words = repeated_texts(read_docs(test_path, spacy.blank("en").vocab), min_words)
    output.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_jsonl(output, ({"id": f"doc{i:06d}", "text": text} for i, text in enumerate(texts)))
    msg.good(f"Wrote {len(texts)} documents, {words:,} words, to {output}")


if __name__ == "__main__":
    typer.run(main)
