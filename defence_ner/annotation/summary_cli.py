"""defence-ner-summarise: counts of an annotation output's linked mentions per knowledge-base record, class
and country, and of its unlinked mentions by text, as CSV files and PNG bar charts
(defence_ner/annotation/summary.py)."""

from pathlib import Path

import typer
from wasabi import msg

from defence_ner.annotation.summary import TOP, summarise
from defence_ner.errors import CorpusFormatError
from defence_ner.knowledge_base import load_knowledge_base

app = typer.Typer(add_completion=False)


@app.command(name="summarise")
def main(
    annotations: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="JSONL that defence-ner-annotate wrote with a linking pipeline"
    ),
    output: Path = typer.Option(..., "--output", "-o", file_okay=False, help="Folder for the CSV files and charts"),
    knowledge_base: Path = typer.Option(
        Path("corpus/knowledge_base"), exists=True, help="The knowledge base: each id's class and country"
    ),
    top: int = typer.Option(TOP, min=1, help="Bars per chart"),
) -> None:
    """Summarise the linked and unlinked mentions of ANNOTATIONS."""
    try:
        totals = summarise(annotations, load_knowledge_base(knowledge_base), output, top=top)
    except CorpusFormatError as error:
        msg.fail(str(error), exits=1)
    msg.good(f"Wrote {len(totals['files'])} files to {output}")
    msg.table({key: value for key, value in totals.items() if key != "files"})


if __name__ == "__main__":
    app()
