"""Train a pipeline with `spacy train`, resolving the encoder project variable for transformer configs.

Extra arguments are config overrides, as for `spacy train` (e.g. --paths.train corpus/doc/train.spacy).
"""

from pathlib import Path

import typer
from spacy.cli._util import parse_config_overrides
from spacy.cli.train import train

from defence_ner.pipeline.encoder import resolve_encoder

app = typer.Typer()


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def main(
    ctx: typer.Context,
    config: Path = typer.Argument(..., exists=True, dir_okay=False),
    output: Path = typer.Argument(..., help="Output folder (model-best, model-last)"),
    encoder: str = typer.Option(
        "",
        help="Installed package that ships a Hugging Face model, or a hub name/path; "
        "empty for configs without a transformer",
    ),
    gpu_id: int = typer.Option(-1, help="GPU id, or -1 for the CPU"),
) -> None:
    overrides = parse_config_overrides(ctx.args)
    if encoder:
        overrides["components.transformer.model.name"] = resolve_encoder(encoder)
    train(config, output, use_gpu=gpu_id, overrides=overrides)


if __name__ == "__main__":
    app()
