"""The project's label schema and the per-source label mappings, both kept as data in configs/."""

from pathlib import Path

import srsly

from defence_ner.errors import CorpusFormatError

DROP = "drop"  # not an entity of the schema: its tokens are outside any entity
MISSING = "missing"  # unknown: its tokens are left unannotated, teaching nothing


def load_schema(path: Path) -> dict[str, str]:
    """Return {label: definition} from the schema file."""
    return dict(srsly.read_json(path)["labels"])


def load_label_mapping(path: Path, schema_labels: set[str]) -> dict[str, str]:
    """Return {source label: schema label, "drop" or "missing"}, refusing targets outside the schema."""
    mapping = dict(srsly.read_json(path))
    unknown = sorted({target for target in mapping.values() if target not in schema_labels | {DROP, MISSING}})
    if unknown:
        raise CorpusFormatError(path, None, f"maps to labels outside the schema: {', '.join(unknown)}")
    return mapping
