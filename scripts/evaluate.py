"""Evaluate a pipeline on a test set: the report (JSON, Markdown, pictures, error browser) in one folder."""

from pathlib import Path

import spacy
import typer
from wasabi import msg

from defence_ner.docbin import read_docs
from defence_ner.evaluation.report import build_report, drop_unannotated, markdown_summary, predict, write_report


def main(
    model: str = typer.Argument(..., help="Pipeline folder or installed package"),
    test_path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Test set (.spacy)"),
    output_dir: Path = typer.Argument(
        ..., help="Writes report.json, report.md, confusion.png, f_per_label.png, errors.html"
    ),
    title: str = typer.Option(..., help="Names the pipeline and test set in the report"),
    n_resamples: int = typer.Option(1000, min=1, help="Bootstrap resamples of the test documents"),
    seed: int = typer.Option(0),
    batch_size: int = typer.Option(64, min=1),
    unannotated_label: list[str] = typer.Option(
        [],
        help=(
            "A label the test set does not annotate (re3d: OPERATION); "
            "its predictions are removed before scoring and counted"
        ),
    ),
) -> None:
    nlp = spacy.load(model)
    gold_docs = read_docs(test_path, nlp.vocab)
    predicted, speed = predict(nlp, gold_docs, batch_size)
    removed = drop_unannotated(gold_docs, predicted, unannotated_label)
    training_seed = nlp.config.interpolate()["training"]["seed"]
    report = build_report(gold_docs, predicted, speed, n_resamples, seed, training_seed, removed)
    write_report(report, list(zip(gold_docs, predicted)), output_dir, title)
    print(markdown_summary(report, title))
    msg.good(f"Wrote the report to {output_dir}")


if __name__ == "__main__":
    typer.run(main)
