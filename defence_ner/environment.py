"""What produced a figure: the versions of the packages that decide it, Python and the machine. Every report
that quotes an accuracy figure records this beside it (constraints.txt pins the versions)."""

import os
import platform
from importlib import metadata

import torch

PINNED = ("spacy", "spacy-transformers", "transformers", "tokenizers", "torch", "thinc", "numpy")


def environment() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in PINNED}
    cpus = len(os.sched_getaffinity(0))
    return {
        **versions,
        "python": platform.python_version(),
        # torch picks its CPU kernels by the instruction set (AVX2, AVX512...): the same pinned versions and seed can
        # train a different model on a machine whose instruction set differs.
        "torch CPU kernels": torch.backends.cpu.get_cpu_capability(),
        "machine": f"{platform.machine()}, {cpus} CPUs",
    }


def describe(env: dict[str, str]) -> str:
    """One line for a Markdown report: "spacy 3.8.18, ..., torch CPU kernels AVX512, machine x86_64, 2 CPUs"."""
    return ", ".join(f"{name} {value}" for name, value in env.items())
