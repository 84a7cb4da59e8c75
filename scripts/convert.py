"""Convert every source of a corpus manifest to .spacy files, with one conversion report.

Extra arguments override the manifest (e.g. --paths.re3d ../shared/corpora/re3d). A mistake in the
manifest or the input prints one message naming the file (and line) and exits with status 1.
"""

from pathlib import Path

import typer
from spacy.cli._util import parse_config_overrides

from defence_ner.corpora.convert import convert_manifest
from defence_ner.errors import exits_on_user_error

app = typer.Typer()


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
@exits_on_user_error
def main(
    ctx: typer.Context,
    manifest: Path = typer.Argument(..., exists=True, dir_okay=False, help="Corpus manifest (.cfg)"),
    output_dir: Path = typer.Argument(..., help="Writes sources/<name>.spacy and reports/convert.json here"),
    fail_on_empty: bool = typer.Option(
        False, "--fail-on-empty", help="A source that gives no document is an error (and nothing is written)"
    ),
) -> None:
    report = convert_manifest(manifest, output_dir, parse_config_overrides(ctx.args), fail_on_empty=fail_on_empty)
    report.print_table(f"Conversion of {manifest} -> {output_dir}")


if __name__ == "__main__":
    app()
