"""Put the evaluation reports of several pipelines on the same test set side by side (Markdown)."""

from pathlib import Path

import srsly
import typer
from wasabi import msg

from defence_ner.evaluation.comparison import comparison_table


def main(
    output: Path = typer.Argument(..., help="Markdown file to write"),
    reports: list[Path] = typer.Argument(
        ...,
        exists=True,
        file_okay=False,
        help="Report folders written by evaluate; each folder name names its pipeline",
    ),
    title: str = typer.Option("Comparison"),
) -> None:
    runs = {folder.name: srsly.read_json(folder / "report.json") for folder in reports}
    documents = {run["documents"] for run in runs.values()}
    if len(documents) != 1:
        raise typer.BadParameter(f"the reports cover different test sets ({sorted(documents)} documents)")
    table = comparison_table(runs)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(f"## {title}\n\n{table}\n", encoding="utf-8")
    print(table)
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
