"""Convert every source of a corpus manifest to .spacy files, with one conversion report.

Extra arguments override the manifest (e.g. --paths.re3d ../shared/corpora/re3d).
"""

from pathlib import Path

import typer
from spacy.cli._util import parse_config_overrides

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.convert import convert_source, make_nlp
from defence_ner.corpora.manifest import load_manifest
from defence_ner.docbin import write_docs

app = typer.Typer()


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def main(
    ctx: typer.Context,
    manifest: Path = typer.Argument(..., exists=True, dir_okay=False, help="Corpus manifest (.cfg)"),
    output_dir: Path = typer.Argument(..., help="Writes sources/<name>.spacy and reports/convert.json here"),
) -> None:
    nlp = make_nlp()
    report = ConversionReport()
    for source in load_manifest(manifest, parse_config_overrides(ctx.args)):
        write_docs(convert_source(source, nlp, report), output_dir / "sources" / f"{source.name}.spacy")
    report.write(output_dir / "reports" / "convert.json")
    report.print_table(f"Conversion of {manifest} -> {output_dir}")


if __name__ == "__main__":
    app()
