"""The defence knowledge base (corpus/knowledge_base/): real weapons, platforms, ships, organisations,
operations and places, one JSON object per line, each with its canonical name and the aliases a
mention may take. See corpus/knowledge_base/README.md for the record schema."""

import json
import re
from pathlib import Path
from typing import Any

from defence_ner.errors import CorpusFormatError

# Every record has exactly these fields, of these types.
FIELDS: dict[str, type] = {
    "id": str,
    "name": str,
    "aliases": list,
    "label": str,
    "class": str,
    "country": str,
    "ambiguous": bool,
}
ID_PATTERN = re.compile(r"^([a-z]+):([a-z0-9]+(?:-[a-z0-9]+)*)$")
COUNTRY_PATTERN = re.compile(r"^(?:[A-Z]{2}|multinational)$")


def check_record(record: Any) -> str | None:
    """Return why record breaks the schema's field rules (fields, types, id and country form), or None."""
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    missing = [field for field in FIELDS if field not in record]
    extra = [field for field in record if field not in FIELDS]
    if missing or extra:
        return f"fields missing: {missing or 'none'}; fields not in the schema: {extra or 'none'}"
    for field, kind in FIELDS.items():
        value = record[field]
        # bool is a subclass of int but never of str or list, so isinstance is exact here.
        if not isinstance(value, kind):
            return f"field {field!r} should be {kind.__name__}, got {type(value).__name__}"
        if kind is str and not value.strip():
            return f"field {field!r} is empty"
    if not all(isinstance(alias, str) and alias.strip() for alias in record["aliases"]):
        return "every alias should be a non-empty string"
    if not ID_PATTERN.match(record["id"]):
        return f"id {record['id']!r} is not '<kind>:<lowercase-slug>'"
    if not COUNTRY_PATTERN.match(record["country"]):
        return f"country {record['country']!r} is not an ISO 3166-1 alpha-2 code or 'multinational'"
    return None


def load_knowledge_base(path: Path | str) -> list[dict[str, Any]]:
    """Read the knowledge base: one JSONL file, or every *.jsonl file of a folder in name order.

    Each line is parsed and checked against the record schema (FIELDS, the id and country forms);
    blank lines are refused too. Raises CorpusFormatError naming the file and line of the first
    malformed record. Cross-record rules (unique ids, labels, classes, shared aliases) are the
    tests' to check, since they need the whole base and the class vocabulary.
    """
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise CorpusFormatError(path, None, "no *.jsonl files")
    records: list[dict[str, Any]] = []
    for file in files:
        with file.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise CorpusFormatError(file, number, f"not JSON: {error.msg}") from error
                reason = check_record(record)
                if reason:
                    raise CorpusFormatError(file, number, reason)
                records.append(record)
    return records


def load_classes(path: Path | str) -> tuple[dict[str, str], dict[str, str]]:
    """Return ({class: label}, {id prefix: label}) from the class vocabulary file (classes.json)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return dict(data["classes"]), dict(data["id_prefixes"])


def normalise_alias(text: str) -> str:
    """The form under which two names count as the same: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())
