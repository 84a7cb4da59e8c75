"""Helpers the tests share (fixtures live in conftest.py)."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]
