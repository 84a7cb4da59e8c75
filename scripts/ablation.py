"""The accuracy ablation (configs/ablation.json): train each row's recipe, then score every row on
dev, test and the probe and write the table (metrics/ablation.md, metrics/ablation.json)."""

import time
from pathlib import Path

import srsly
import typer
from spacy.cli.train import train as spacy_train
from wasabi import msg

from defence_ner.environment import describe, environment
from defence_ner.experiments.ablation import Ablation, Row, load_ablation, markdown_table, score_row, training_inputs
from defence_ner.pipeline.encoder import resolve_encoder

app = typer.Typer(no_args_is_help=True)
SPEC = typer.Argument(..., exists=True, dir_okay=False, help="configs/ablation.json")
CORPUS_DIR = typer.Option("corpus", help="Replaces {corpus_dir} in the spec's paths")


@app.command()
def train(
    spec: Path = SPEC,
    row_name: str = typer.Option("", "--row", help="Train only this row (default: every row, in order)"),
    training_dir: Path = typer.Argument(..., help="Each row's pipeline goes to <training_dir>/<row>"),
    encoder: str = typer.Option(..., help="Installed package that ships a Hugging Face model, or a hub name/path"),
    corpus_dir: str = CORPUS_DIR,
) -> None:
    """Train each row, unless an earlier row has the same training or its pipeline is already there,
    trained from the same config, overrides, encoder and input files."""
    ablation = load_ablation(spec, corpus_dir)
    for row in [ablation.row(row_name)] if row_name else ablation.rows:
        _train_row(ablation, row, training_dir, encoder)


def _train_row(ablation: Ablation, row: Row, training_dir: Path, encoder: str) -> None:
    if ablation.model_row(row) != row:
        msg.info(f"{row.name}: same training as {ablation.model_row(row).name}; nothing to train")
        return
    output = training_dir / row.name
    key = {"training": row.training_key(), "inputs": training_inputs(row, ablation.sets["dev"]), "encoder": encoder}
    if (
        (output / "model-best").exists()
        and (output / "ablation.json").exists()
        and srsly.read_json(output / "ablation.json")["key"] == key
    ):
        msg.info(f"{row.name}: already trained in {output}")
        return
    overrides = {
        **row.overrides,
        "paths.train": row.train,
        "paths.dev": ablation.sets["dev"],
        "components.transformer.model.name": resolve_encoder(encoder),
    }
    start = time.perf_counter()
    spacy_train(Path(row.config), output, use_gpu=-1, overrides=overrides)
    srsly.write_json(output / "ablation.json", {"key": key, "training_seconds": round(time.perf_counter() - start, 1)})


@app.command()
def report(
    spec: Path = SPEC,
    training_dir: Path = typer.Argument(..., help="Where `train` put each row's pipeline"),
    output: Path = typer.Argument(..., help="Writes <output>.md and <output>.json"),
    corpus_dir: str = CORPUS_DIR,
) -> None:
    """Score every row on every set and write the table."""
    ablation = load_ablation(spec, corpus_dir)
    results = {}
    for row in ablation.rows:
        model_row = ablation.model_row(row)
        folder = training_dir / model_row.name
        results[row.name] = {
            "lever": row.lever,
            "kept": row.kept,
            "model_row": model_row.name,
            "training_seconds": srsly.read_json(folder / "ablation.json")["training_seconds"],
            "scores": score_row(folder / "model-best", ablation, row),
        }
        msg.info(f"{row.name}: " + ", ".join(f"{s} F {v['f']:.3f}" for s, v in results[row.name]["scores"].items()))
    table = markdown_table(ablation, results)
    env = environment()
    srsly.write_json(
        output.with_suffix(".json"),
        {"sets": ablation.sets, "rows": results, "environment": env},
    )
    intro = (
        f"# Accuracy ablation\n\nWritten by `python scripts/ablation.py report` from {spec}: "
        "each row adds one lever "
        'to the last kept row ("kept": whether later rows build on it, decided on dev only). Strict micro F; '
        f"sets: {', '.join(f'{name} = {path}' for name, path in ablation.sets.items())}. Predictions of labels a set "
        "does not annotate are removed before scoring "
        f"({', '.join(f'{s}: {ls}' for s, ls in ablation.unannotated.items())}). "
        f"Each row's seed is the config's unless its lever says otherwise. Environment: {describe(env)}.\n\n"
    )
    output.with_suffix(".md").write_text(intro + table, encoding="utf-8")
    print(table)
    msg.good(f"Wrote {output.with_suffix('.md')}")


if __name__ == "__main__":
    app()
