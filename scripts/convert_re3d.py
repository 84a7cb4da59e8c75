"""Convert re3d's raw MongoDB export (one folder per source) to a .spacy file and a conversion report."""

from pathlib import Path

import spacy
import typer

from defence_ner.docbin import write_docs
from defence_ner.re3d import read_re3d
from defence_ner.report import ConversionReport
from defence_ner.schema import load_label_mapping, load_schema


def main(
    re3d_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="re3d root: one folder per source"),
    output: Path = typer.Argument(..., help="Output .spacy file"),
    report_path: Path = typer.Argument(..., help="Output conversion report (JSON)"),
    schema: Path = typer.Option(Path("configs/schema.json"), exists=True),
    mapping: Path = typer.Option(Path("configs/mappings/re3d.json"), exists=True),
    min_confidence: float = typer.Option(0.5, min=0.0, max=1.0, help="Keep annotations at or above this confidence"),
) -> None:
    labels = load_label_mapping(mapping, set(load_schema(schema)))
    report = ConversionReport()
    n_docs = write_docs(read_re3d(re3d_dir, spacy.blank("en"), labels, min_confidence, report), output)
    report.check_balanced()
    report.write(report_path)
    report.print_table(f"re3d: {n_docs} documents -> {output}")


if __name__ == "__main__":
    typer.run(main)
