"""Run commands at once, each with its output in its own log, printed when all are done; fail, naming the command and
its log, when any fails.

Each command is one string, split (spacy.util.split_command) and run without a shell as `spacy project run` runs a
script line, and `python` means this interpreter.
"""

import shlex
import sys
from pathlib import Path

import typer
from spacy.util import split_command
from wasabi import msg

from defence_ner.side_by_side import run_side_by_side

app = typer.Typer()


@app.command()
def main(
    commands: list[str] = typer.Argument(..., help="The commands, each one quoted string"),
    logs: list[Path] = typer.Option(..., "--log", help="A log file per command, in the commands' order"),
) -> None:
    argvs = [split_command(command) for command in commands]
    for argv in argvs:
        if argv[0] in ("python", "python3"):
            argv[0] = sys.executable
    for log in logs:
        msg.info(f"Running, log in {log}")
    finished = run_side_by_side(argvs, logs)
    for done in finished:
        if done.exit_code:
            msg.fail(
                f"Exit code {done.exit_code} after {done.seconds:.0f} s: {shlex.join(done.command)} (log: {done.log})"
            )
        else:
            msg.good(f"Done in {done.seconds:.0f} s: {shlex.join(done.command)} (log: {done.log})")
        print(done.log.read_text(encoding="utf-8"))
    if any(done.exit_code for done in finished):
        sys.exit(1)


if __name__ == "__main__":
    app()
