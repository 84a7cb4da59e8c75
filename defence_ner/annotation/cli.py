"""defence-ner-annotate: stream documents through a packaged pipeline into a resumable JSONL of entities.

Rerunning the same command after an interruption skips the documents already in the output.
"""

from collections.abc import Iterable
from enum import Enum
from pathlib import Path

import spacy
import typer
from spacy.tokens import DocBin
from wasabi import msg

from defence_ner.annotation.stream import (
    AnnotationWriter,
    Record,
    annotate,
    read_records,
    single_thread_torch,
)
from defence_ner.errors import CorpusFormatError

app = typer.Typer(add_completion=False)


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command(name="annotate")
def main(
    inputs: list[Path] = typer.Argument(
        ...,
        exists=True,
        help="Files (.txt, .jsonl/.json/.ndjson, .csv/.tsv, .parquet, .arrow) and folders of .txt files",
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        dir_okay=False,
        help="JSONL, one {id, entities} record per document; appended to, and resumed from",
    ),
    errors: Path | None = typer.Option(
        None,
        dir_okay=False,
        help="JSONL of bad records {id, where, error}; by default the output with the suffix .errors.jsonl",
    ),
    model: str = typer.Option("en_defence_ner", help="Installed pipeline package or pipeline folder"),
    text_field: str = typer.Option("text", help="Field or column of the text"),
    id_field: str = typer.Option("id", help="Field or column of the document id; without it, <file>:<line or row>"),
    batch_size: int = typer.Option(64, min=1),
    n_process: int = typer.Option(1, min=1),
    docbin: Path | None = typer.Option(
        None,
        dir_okay=False,
        help=(
            "Also write this run's Docs (.spacy, id in user_data['doc_id']) at its end; kept in memory, and not resumed"
        ),
    ),
    max_chars: int = typer.Option(5_000_000, min=1, help="Longer texts are bad records"),
    engine: Engine = typer.Option(Engine.local, help="local: nlp.pipe here; ray: defence_ner.ray_engine"),
    ray_address: str | None = typer.Option(None, help="Ray cluster to join; by default a local one"),
    ray_workers: int = typer.Option(2, min=1),
) -> None:
    """Annotate the documents of INPUTS with the pipeline's entities."""
    errors = errors or output.with_suffix(".errors.jsonl")
    if engine == Engine.ray and docbin is not None:
        raise typer.BadParameter("--docbin needs --engine local", param_hint="--docbin")
    try:
        writer = AnnotationWriter(output, errors)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--errors") from error
    try:
        records = read_records(inputs, text_field, id_field, max_chars)
        with writer:
            if engine == Engine.ray:
                summary = _annotate_with_ray(model, records, writer, batch_size, ray_address, ray_workers)
            else:
                summary = _annotate_locally(model, records, writer, batch_size, n_process, docbin)
    except CorpusFormatError as error:
        msg.fail(str(error), exits=1)
    msg.good(f"Annotated {summary['documents']} documents into {output}")
    if summary["errors"]:
        msg.warn(f"{summary['errors']} bad records, listed in {errors}")
    msg.table(summary)


def _annotate_locally(
    model: str,
    records: Iterable[Record],
    writer: AnnotationWriter,
    batch_size: int,
    n_process: int,
    docbin: Path | None,
) -> dict:
    if n_process > 1:
        single_thread_torch()
    nlp = spacy.load(model)
    if docbin is None:
        return annotate(nlp, records, writer, batch_size, n_process)
    docs = DocBin(store_user_data=True)
    summary = annotate(nlp, records, writer, batch_size, n_process, docbin=docs)
    docbin.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(docbin)
    return summary


def _annotate_with_ray(
    model: str, records: Iterable[Record], writer: AnnotationWriter, batch_size: int, address: str | None, workers: int
) -> dict:
    from defence_ner.annotation.ray_engine import (
        annotate_with_ray,  # ray is optional: the local engine must work without it
    )

    return annotate_with_ray(model, records, writer, batch_size, address, workers)


if __name__ == "__main__":
    app()
