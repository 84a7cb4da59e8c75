"""Write the meta.json for `spacy package`: test scores, data sources and licences, encoder."""

from pathlib import Path

import srsly
import typer
from wasabi import msg

from defence_ner.packaging import build_meta


def main(
    model_meta: Path = typer.Argument(..., exists=True, dir_okay=False, help="meta.json of the trained pipeline"),
    output: Path = typer.Argument(...),
    name: str = typer.Option(...),
    version: str = typer.Option(...),
    encoder: str = typer.Option(...),
    doc_metrics: Path = typer.Option(..., exists=True, help="`spacy evaluate` output on the document-level test split"),
    published_metrics: Path = typer.Option(..., exists=True, help="`spacy evaluate` output on the published test file"),
    sources: Path = typer.Option(Path("configs/sources.json"), exists=True),
) -> None:
    meta = build_meta(srsly.read_json(model_meta), name, version, encoder, doc_metrics, published_metrics, srsly.read_json(sources))
    output.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_json(output, meta)
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
