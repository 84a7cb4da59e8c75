"""Choose transformer training settings on dev: `train` trains one pipeline per setting of a grid
(configs/sweep.json), several at a time where the machine allows (a GPU, or many cores), each with
its console log beside it; `report` reads the logs and writes the table. Only dev is scored."""

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import srsly
import typer
from wasabi import msg

from defence_ner.experiments.sweep import Setting, dev_curve, sweep_table
from defence_ner.side_by_side import run_logged

app = typer.Typer(no_args_is_help=True)
SPEC = typer.Argument(..., exists=True, dir_okay=False, help="configs/sweep.json")
OUTPUT_DIR = typer.Argument(..., help="Each setting's pipeline and log (<name>.log)")


def load_settings(spec: Path) -> list[Setting]:
    return [Setting(s["name"], s["config"], s.get("overrides", {})) for s in srsly.read_json(spec)["settings"]]


def train_setting(setting: Setting, output_dir: Path, common: list[str]) -> None:
    command = [sys.executable, "scripts/train.py", setting.config, str(output_dir / setting.name), *common]
    for key, value in setting.overrides.items():
        command += [f"--{key}", str(value)]
    done = run_logged(command, output_dir / f"{setting.name}.log")
    srsly.write_json(
        output_dir / f"{setting.name}.json", {"exit_code": done.exit_code, "minutes": round(done.seconds / 60, 2)}
    )


@app.command()
def train(
    spec: Path = SPEC,
    output_dir: Path = OUTPUT_DIR,
    train_path: Path = typer.Option(..., "--train", exists=True, help="Training .spacy file"),
    dev: Path = typer.Option(..., exists=True, help="Dev .spacy file: the only set scored"),
    encoder: str = typer.Option(..., help="Installed package that ships a Hugging Face model, or a hub name/path"),
    gpu_id: int = typer.Option(-1, help="GPU id, or -1 for the CPU"),
    parallel: int = typer.Option(1, help="Settings trained at once"),
) -> None:
    """Train every setting; a setting's log is written as it trains, so a cut-off sweep still reports."""
    output_dir.mkdir(parents=True, exist_ok=True)
    common = ["--encoder", encoder, "--gpu-id", str(gpu_id), "--paths.train", str(train_path), "--paths.dev", str(dev)]
    if gpu_id >= 0:
        common += ["--system.gpu_allocator", "pytorch"]
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda setting: train_setting(setting, output_dir, common), load_settings(spec)))


@app.command()
def report(
    spec: Path = SPEC,
    output_dir: Path = OUTPUT_DIR,
    output: Path = typer.Argument(..., help="The table (.md)"),
    note: str = typer.Option("", help="Where and how the sweep ran, for the table's heading"),
) -> None:
    """Tabulate dev F from the settings' logs."""
    settings = load_settings(spec)
    curves = {s.name: dev_curve((output_dir / f"{s.name}.log").read_text(encoding="utf-8")) for s in settings}
    minutes = {
        s.name: srsly.read_json(output_dir / f"{s.name}.json")["minutes"]
        for s in settings
        if (output_dir / f"{s.name}.json").exists()
    }
    table = (
        "# Transformer training settings on dev\n\nWritten by `python scripts/sweep.py report` from the logs of "
        f"`python scripts/sweep.py train` (configs/sweep.json). {note}\n\n" + sweep_table(settings, curves, minutes)
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(table, encoding="utf-8")
    print(table)
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    app()
