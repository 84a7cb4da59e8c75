"""Run commands at once, each with its console output in a log file. The `all` workflow trains its two CNNs so: each
training uses one core (thinc's CPU kernels are single-threaded), so two cores train both in the time of the longer one,
with the same weights as one after the other."""

import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finished:
    command: list[str]
    log: Path
    exit_code: int
    seconds: float


def run_logged(command: list[str], log: Path) -> Finished:
    """Run a command with its stdout and stderr written to the log as it runs."""
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        completed = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT)
    return Finished(command, log, completed.returncode, time.perf_counter() - start)


def run_side_by_side(commands: Sequence[list[str]], logs: Sequence[Path]) -> list[Finished]:
    """Run every command at once, one log each; their results in the commands' order, failed or not."""
    if len(commands) != len(logs):
        raise ValueError(f"{len(commands)} commands but {len(logs)} logs: give one log per command")
    with ThreadPoolExecutor(max(len(commands), 1)) as pool:
        return list(pool.map(run_logged, commands, logs))
