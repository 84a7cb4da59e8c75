"""Convert a token-per-line CoNLL/IOB file to a .spacy file (one Doc per sentence) and a conversion report."""

from pathlib import Path

import spacy
import typer

from defence_ner.conll import read_conll
from defence_ner.docbin import write_docs
from defence_ner.report import ConversionReport
from defence_ner.schema import load_label_mapping, load_schema


def main(
    conll_file: Path = typer.Argument(..., exists=True, dir_okay=False),
    output: Path = typer.Argument(..., help="Output .spacy file"),
    report_path: Path = typer.Argument(..., help="Output conversion report (JSON)"),
    mapping: Path = typer.Option(..., exists=True, help="Label mapping of this source"),
    source: str = typer.Option(..., help="Source name used in the report and in doc.user_data"),
    schema: Path = typer.Option(Path("configs/schema.json"), exists=True),
    tag_column: int = typer.Option(-1, help="Index of the tag column (negative counts from the end)"),
) -> None:
    labels = load_label_mapping(mapping, set(load_schema(schema)))
    report = ConversionReport()
    docs = read_conll(conll_file, spacy.blank("en").vocab, labels, report, source, tag_column)
    n_docs = write_docs(docs, output)
    report.check_balanced()
    report.write(report_path)
    report.print_table(f"{source}: {n_docs} sentences -> {output}")


if __name__ == "__main__":
    typer.run(main)
