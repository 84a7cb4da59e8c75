"""Evaluate a pipeline on one or more test sets: each set's report (JSON, Markdown, pictures, errors) in a folder."""

from pathlib import Path

import spacy
import typer
from wasabi import msg

from defence_ner.docbin import read_docs
from defence_ner.evaluation.report import build_report, drop_unannotated, markdown_summary, predict, write_report


def main(
    model: str = typer.Argument(..., help="Pipeline folder or installed package"),
    test_path: list[Path] = typer.Option(
        ...,
        "--test",
        exists=True,
        dir_okay=False,
        help="A test set (.spacy); repeat for more, the pipeline loads once",
    ),
    output_dir: list[Path] = typer.Option(
        ...,
        "--output",
        help="Folder for the --test at the same position (report.json, report.md, two pictures, errors.html)",
    ),
    title: list[str] = typer.Option(
        ..., "--title", help="Names the pipeline and the --test at the same position in its report"
    ),
    n_resamples: int = typer.Option(1000, min=1, help="Bootstrap resamples of the test documents"),
    seed: int = typer.Option(0),
    batch_size: int = typer.Option(64, min=1),
    unannotated_label: list[str] = typer.Option(
        [],
        help=(
            "A label a test set's source does not annotate (re3d: OPERATION); "
            "its predictions in that source's documents are removed before scoring and counted"
        ),
    ),
) -> None:
    if not len(test_path) == len(output_dir) == len(title):
        raise typer.BadParameter(
            f"give one --output and one --title per --test: {len(test_path)} --test, "
            f"{len(output_dir)} --output, {len(title)} --title"
        )
    nlp = spacy.load(model)
    training_seed = nlp.config.interpolate()["training"]["seed"]
    for path, folder, name in zip(test_path, output_dir, title):
        gold_docs = read_docs(path, nlp.vocab)
        predicted, speed = predict(nlp, gold_docs, batch_size)
        removed = drop_unannotated(gold_docs, predicted, unannotated_label)
        report = build_report(gold_docs, predicted, speed, n_resamples, seed, training_seed, removed)
        write_report(report, list(zip(gold_docs, predicted)), folder, name)
        print(markdown_summary(report, name))
        msg.good(f"Wrote the report to {folder}")


if __name__ == "__main__":
    typer.run(main)
