import sys
from pathlib import Path

import pytest
import spacy

from defence_ner.schema import load_label_mapping, load_schema

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="session")
def re3d_mapping():
    schema = set(load_schema(PROJECT_DIR / "configs" / "schema.json"))
    return load_label_mapping(PROJECT_DIR / "configs" / "mappings" / "re3d.json", schema)
