"""What produced a figure: the versions of the packages that decide it, Python and the machine. Every report
that quotes an accuracy figure records this beside it (constraints.txt pins the versions)."""

import os
import platform
from importlib import metadata

PINNED = ("spacy", "spacy-transformers", "transformers", "tokenizers", "torch", "thinc", "numpy")


def environment() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in PINNED}
    cpus = len(os.sched_getaffinity(0))
    return {**versions, "python": platform.python_version(), "machine": f"{platform.machine()}, {cpus} CPUs"}


def describe(env: dict[str, str]) -> str:
    """One line for a Markdown report: "spacy 3.8.18, ..., python 3.11.7, machine x86_64, 2 CPUs"."""
    return ", ".join(f"{name} {value}" for name, value in env.items())
