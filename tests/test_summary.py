"""The annotation summary (defence_ner/annotation/summary.py): counts per linked record, class and country,
unlinked mentions by normalised text, as CSV files and PNG charts, on a small annotation file."""

import csv
import json

from typer.testing import CliRunner

from defence_ner.annotation.summary import summarise, summarise_entities
from defence_ner.annotation.summary_cli import app

RECORDS = [
    {"id": "weapon:s-400", "name": "S-400", "aliases": ["SA-21 Growler"], "label": "WEAPON",
     "class": "surface-to-air missile system", "country": "RU", "ambiguous": False},
    {"id": "weapon:brahmos", "name": "BrahMos", "aliases": [], "label": "WEAPON",
     "class": "cruise missile", "country": "IN", "ambiguous": False},
    {"id": "org:indian-navy", "name": "Indian Navy", "aliases": [], "label": "ORGANISATION",
     "class": "navy", "country": "IN", "ambiguous": True},
]  # fmt: skip


def entity(text, label, kb_id="", kb_name=None):
    return {"start": 0, "end": len(text), "label": label, "text": text, "kb_id": kb_id, "kb_name": kb_name}


DOCUMENTS = [
    {
        "id": "a",
        "entities": [
            entity("SA-21 Growler", "WEAPON", "weapon:s-400", "S-400"),
            entity("S-400", "WEAPON", "weapon:s-400", "S-400"),
            entity("Indian Navy", "ORGANISATION", "org:indian-navy", "Indian Navy"),
            entity("Zircon  X9", "WEAPON"),
            entity("Jane Doe", "PERSON"),
        ],
    },
    {
        "id": "b",
        "entities": [
            entity("BrahMos", "WEAPON", "weapon:brahmos", "BrahMos"),
            entity("zircon x9", "WEAPON"),
            entity("Zircon X9", "ORGANISATION"),
            entity("Kalibr", "WEAPON"),
            entity("Old", "WEAPON", "weapon:retired", "Old Missile"),
        ],
    },
    {"id": "c", "entities": []},
]


def write_annotations(path):
    path.write_text("".join(json.dumps(document) + "\n" for document in DOCUMENTS), encoding="utf-8")
    return path


def rows(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_counts_per_record_class_and_country_and_unlinked_by_normalised_text(tmp_path):
    totals = summarise(write_annotations(tmp_path / "entities.jsonl"), RECORDS, tmp_path / "summary")
    out = tmp_path / "summary"
    assert rows(out / "records.csv") == [
        {"id": "weapon:s-400", "name": "S-400", "label": "WEAPON", "class": "surface-to-air missile system",
         "country": "RU", "mentions": "2"},
        {"id": "org:indian-navy", "name": "Indian Navy", "label": "ORGANISATION", "class": "navy", "country": "IN",
         "mentions": "1"},
        {"id": "weapon:brahmos", "name": "BrahMos", "label": "WEAPON", "class": "cruise missile", "country": "IN",
         "mentions": "1"},
        # An id the knowledge base does not have keeps the annotation's name, its class and country unknown.
        {"id": "weapon:retired", "name": "Old Missile", "label": "WEAPON", "class": "unknown", "country": "unknown",
         "mentions": "1"},
    ]  # fmt: skip
    assert rows(out / "classes.csv") == [
        {"class": "surface-to-air missile system", "label": "WEAPON", "mentions": "2"},
        {"class": "cruise missile", "label": "WEAPON", "mentions": "1"},
        {"class": "navy", "label": "ORGANISATION", "mentions": "1"},
        {"class": "unknown", "label": "WEAPON", "mentions": "1"},
    ]
    assert rows(out / "countries.csv") == [
        {"country": "IN", "mentions": "2"},
        {"country": "RU", "mentions": "2"},
        {"country": "unknown", "mentions": "1"},
    ]
    # Case-folded and whitespace collapsed; PERSON has no records, so Jane Doe is no gap of the base.
    assert rows(out / "unlinked.csv") == [
        {"text": "zircon x9", "mentions": "3", "labels": "ORGANISATION 1; WEAPON 2", "first": "Zircon  X9"},
        {"text": "kalibr", "mentions": "1", "labels": "WEAPON 1", "first": "Kalibr"},
    ]
    for name in ("records", "classes", "countries", "unlinked"):
        assert (out / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert {k: totals[k] for k in ("linked", "unlinked", "linked_share", "records")} == {
        "linked": 5,
        "unlinked": 4,
        "linked_share": round(5 / 9, 4),
        "records": 4,
    }


def test_an_output_without_links_lists_every_mention_as_unlinked():
    plain = [{"start": 0, "end": 5, "label": "WEAPON", "text": "S-400"}]
    tables = summarise_entities(plain, RECORDS)
    assert tables["records"] == [] and tables["unlinked"][0]["text"] == "s-400"


def test_the_command_reads_the_knowledge_base_folder(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    annotations = write_annotations(tmp_path / "entities.jsonl")
    args = [str(annotations), "--output", str(tmp_path / "out"), "--knowledge-base", str(kb), "--top", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert rows(tmp_path / "out" / "countries.csv")[0] == {"country": "IN", "mentions": "2"}
    assert (tmp_path / "out" / "unlinked.png").is_file()
