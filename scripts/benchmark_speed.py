"""Speed benchmark: words/s, peak memory and strict F for each pipeline, precision, batch size and process count.

Each measurement runs in a fresh process, so that peak memory is its own. Writes a Markdown table
and the JSON rows. Run it with nothing else busy on the machine.
"""

import json
import subprocess
import sys
from pathlib import Path

import spacy
import srsly
import typer
from wasabi import msg

from defence_ner.docbin import read_docs
from defence_ner.environment import environment
from defence_ner.experiments.speed import component_seconds, machine, measure, speed_table

app = typer.Typer()

# Batch size barely moves the transformer on the CPU (measured before), so it varies precision and processes.
TRANSFORMER_BATCH_SIZE = 64


@app.command()
def run(
    output: Path = typer.Argument(..., help="Markdown table to write (JSON rows beside it)"),
    test_path: Path = typer.Option(..., exists=True, dir_okay=False, help="Documents to repeat (.spacy)"),
    transformer: str = typer.Option(..., help="Transformer pipeline (path or package)"),
    cnn: str = typer.Option(..., help="CNN pipeline (path or package)"),
    min_words: int = typer.Option(200_000),
    precisions: str = typer.Option("fp32,bf16,int8", help="Encoder precisions to try for the transformer"),
    batch_sizes: str = typer.Option("32,128"),
    processes: str = typer.Option("1,2"),
    cost_of: list[str] = typer.Option(
        [],
        help="Components (comma list; repeat the option for more sets) whose cost to tabulate: their share of the "
        "transformer's time at --cost-precision, each component timed in turn in one process",
    ),
    cost_precision: str = typer.Option("auto", help="The wheel's encoder precision (package_precision)"),
) -> None:
    plans = [(transformer, p, TRANSFORMER_BATCH_SIZE, 1) for p in precisions.split(",")]
    plans += [(transformer, "fp32", TRANSFORMER_BATCH_SIZE, 2)]
    plans += [(cnn, "fp32", int(b), int(n)) for b in batch_sizes.split(",") for n in processes.split(",")]
    here = machine()
    quota = f", a cgroup quota of {here['cpu_quota']} cores" if here["cpu_quota"] is not None else ""
    msg.info(
        f"{here['usable_cpus']} usable CPU cores (of {here['cpu_count']} on the machine){quota}; "
        f"torch threads {here['torch_threads']}"
    )
    # The component timing runs first, so that a --cost-of name the pipeline lacks fails before the rows.
    sets = [[name for name in components.split(",") if name] for components in cost_of]
    stages = None
    if sets:
        stages = _in_fresh_process("stages", transformer, test_path, cost_precision, min_words, TRANSFORMER_BATCH_SIZE)
        msg.info(f"{transformer} {cost_precision}, seconds per component: {stages['seconds']}")
        unknown = sorted({name for names in sets for name in names} - set(stages["seconds"]))
        if unknown:
            msg.fail(f"--cost-of names components {transformer} does not have: {unknown}", exits=1)
    rows = []
    for model, precision, batch_size, n_process in plans:
        row = _in_fresh_process("measure", model, test_path, precision, min_words, batch_size, n_process)
        msg.info(
            f"{model} {precision} batch {batch_size} x{n_process} ({row['torch_threads']} torch threads): "
            f"{row['words_per_second']:,} words/s, {row['peak_memory_mb']} MB, F {row['strict_f']:.3f}"
        )
        rows.append(row)
    env = environment()
    srsly.write_json(output.with_suffix(".json"), {"environment": env, "rows": rows, "stages": stages})
    output.write_text(speed_table(rows, min_words, env, stages, sets), encoding="utf-8")
    msg.good(f"Wrote {output}")


def _in_fresh_process(command: str, *arguments: object) -> dict:
    """Run this script's measure or stages command in a new process and return the JSON it prints last."""
    run = subprocess.run(
        [sys.executable, __file__, command, *map(str, arguments)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1200,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


@app.command("measure")
def measure_one(model: str, test_path: Path, precision: str, min_words: int, batch_size: int, n_process: int) -> None:
    gold = read_docs(test_path, spacy.blank("en").vocab)
    print(json.dumps(measure(model, precision, gold, min_words, batch_size, n_process)))


@app.command("stages")
def stages_one(model: str, test_path: Path, precision: str, min_words: int, batch_size: int) -> None:
    gold = read_docs(test_path, spacy.blank("en").vocab)
    print(json.dumps(component_seconds(model, precision, gold, min_words, batch_size)))


if __name__ == "__main__":
    app()
