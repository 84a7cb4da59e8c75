"""The project's label schema and the per-source label mappings, both kept as data in configs/."""

import json
from pathlib import Path

from defence_ner.errors import CorpusFormatError

DROP = "drop"  # not an entity of the schema: its tokens are outside any entity
MISSING = "missing"  # unknown: its tokens are left unannotated, teaching nothing


def load_schema(path: Path) -> dict[str, str]:
    """Return {label: definition} from the schema file."""
    schema = _read_json(path, "schema file")
    labels = schema.get("labels") if isinstance(schema, dict) else None
    if not _is_str_to_str(labels):
        raise CorpusFormatError(path, None, 'must be a JSON object with "labels": {label: definition}')
    return dict(labels)


def load_label_mapping(path: Path, schema_labels: set[str]) -> dict[str, str]:
    """Return {source label: schema label, "drop" or "missing"}, refusing targets outside the schema."""
    mapping = _read_json(path, "label mapping")
    if not _is_str_to_str(mapping):
        raise CorpusFormatError(path, None, "must be a JSON object of source label -> schema label (all strings)")
    unknown = sorted({target for target in mapping.values() if target not in schema_labels | {DROP, MISSING}})
    if unknown:
        raise CorpusFormatError(path, None, f"maps to labels outside the schema: {', '.join(unknown)}")
    return dict(mapping)


def _read_json(path: Path, what: str) -> object:
    """The JSON content of a file, or an error located at the file (and at the line of a syntax error)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CorpusFormatError(path, None, f"no such file (the {what})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusFormatError(path, None, f"cannot read the {what}: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CorpusFormatError(path, error.lineno, f"invalid JSON: {error.msg} (column {error.colno})") from None


def _is_str_to_str(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
