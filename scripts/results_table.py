"""Write the README's results table from metrics/ (between its results markers): the spread over seeds that the
seeds command wrote and the shipped pipeline's evaluation reports, so the figures a user reads are the ones measured."""

from pathlib import Path

import typer
from wasabi import msg

from defence_ner.evaluation.comparison import readme_results, replace_block


def main(
    metrics: Path = typer.Argument(..., exists=True, file_okay=False, help="The metrics folder evaluate writes"),
    readme: Path = typer.Argument(..., exists=True, dir_okay=False, help="README.md with the results markers"),
) -> None:
    readme.write_text(replace_block(readme.read_text(encoding="utf-8"), readme_results(metrics)))
    msg.good(f"Results table in {readme} written from {metrics}")


if __name__ == "__main__":
    typer.run(main)
