"""The defence knowledge base (corpus/knowledge_base/): schema, vocabulary, ids, aliases, gazetteer coverage."""

import re
from collections import Counter, defaultdict

import pytest
import srsly

from defence_ner.errors import CorpusFormatError
from defence_ner.knowledge_base import FIELDS, SENTENCE_WORDS, load_classes, load_knowledge_base, normalise_alias
from tests.helpers import PROJECT_DIR

KB_DIR = PROJECT_DIR / "corpus" / "knowledge_base"
GAZETTEERS = PROJECT_DIR / "corpus" / "gazetteers"
MIN_RECORDS = 1000

# Gazetteer names the knowledge base leaves out on purpose, each with why (the README lists them too).
DROPPED: dict[str, str] = {}


@pytest.fixture(scope="module")
def records():
    return load_knowledge_base(KB_DIR)


@pytest.fixture(scope="module")
def vocabulary():
    return load_classes(KB_DIR / "classes.json")


def names_of(record):
    return [record["name"], *record["aliases"]]


def test_every_line_parses_with_exactly_the_schema_fields(records):
    # load_knowledge_base checks each line; this pins the field set the README documents.
    assert records
    assert all(list(record) == list(FIELDS) for record in records)


def test_at_least_a_thousand_records(records):
    assert len(records) >= MIN_RECORDS


def test_ids_unique_and_prefixed_by_their_label(records, vocabulary):
    _, prefixes = vocabulary
    counts = Counter(record["id"] for record in records)
    assert [rid for rid, n in counts.items() if n > 1] == []
    wrong = [r["id"] for r in records if prefixes.get(r["id"].split(":")[0]) != r["label"]]
    assert wrong == []


def test_labels_are_schema_labels_and_classes_in_the_vocabulary(records, vocabulary):
    classes, prefixes = vocabulary
    schema = set(srsly.read_json(PROJECT_DIR / "configs" / "schema.json")["labels"])
    assert set(classes.values()) <= schema
    assert set(prefixes.values()) <= schema
    assert sorted({r["label"] for r in records} - schema) == []
    assert sorted({r["class"] for r in records} - set(classes)) == []
    mismatched = [r["id"] for r in records if classes[r["class"]] != r["label"]]
    assert mismatched == []


def test_no_alias_repeated_within_a_record(records):
    repeated = {}
    for record in records:
        counts = Counter(normalise_alias(name) for name in names_of(record))
        if any(n > 1 for n in counts.values()):
            repeated[record["id"]] = [name for name, n in counts.items() if n > 1]
    assert repeated == {}


def test_no_spaced_designation_starts_with_a_word_that_starts_sentences(records):
    offenders = [
        (record["id"], name)
        for record in records
        for name in names_of(record)
        if len(name.split()) == 2 and name.split()[0] in SENTENCE_WORDS and name.split()[1][:1].isdigit()
    ]
    assert offenders == []


def test_a_class_named_by_a_designation_has_the_bare_designation_as_an_alias(records):
    # "the FREMM frigate", "a Sa'ar 6 corvette": a designation is written bare as often as with "-class", and the
    # sure knowledge match then keeps the class noun out of the entity, as the annotation convention does.
    missing = []
    for record in records:
        designation = re.fullmatch(r"(.+?)[- ]class", record["name"])
        if designation and (designation[1].isupper() or any(c.isdigit() for c in designation[1])):
            names = {normalise_alias(name) for name in names_of(record)}
            if normalise_alias(designation[1]) not in names:
                missing.append(record["id"])
    assert missing == []


# Lower-case words that open a name rather than describe it: Arabic articles, Czech and Polish model abbreviations,
# Russian "izdeliye" (product), the article of a name written with it, and brands spelled in lower case.
NAME_OPENINGS = ("al-", "al ", "vz.", "wz.", "izdeliye ", "the ", "ideaForge", "nEUROn")


def test_no_name_opens_with_a_descriptive_lower_case_word(records):
    # "air-launched BrahMos", "cruiser Moskva": the annotation convention leaves such words out of a mention, and a
    # sure knowledge match, longest first, would take them in ("air-launched BrahMos" over "BrahMos-A").
    offenders = [
        (record["id"], name)
        for record in records
        for name in names_of(record)
        if name[:1].islower()
        and any(c.isupper() or c.isdigit() for c in name)  # a name without either is a class word: no pattern
        and not name.startswith(NAME_OPENINGS)
    ]
    assert offenders == []


def test_shared_aliases_only_between_records_one_of_which_is_ambiguous(records):
    owners = defaultdict(set)
    ambiguous = {r["id"]: r["ambiguous"] for r in records}
    for record in records:
        for name in names_of(record):
            owners[normalise_alias(name)].add(record["id"])
    offenders = {
        alias: sorted(ids) for alias, ids in owners.items() if len(ids) > 1 and not any(ambiguous[rid] for rid in ids)
    }
    assert offenders == {}


def test_every_gazetteer_name_is_covered_with_its_label(records):
    covered = defaultdict(set)
    for record in records:
        for name in names_of(record):
            covered[normalise_alias(name)].add(record["label"])
    missing = {}
    for file in sorted(GAZETTEERS.glob("*.txt")):
        label = file.stem
        for name in file.read_text(encoding="utf-8").splitlines():
            if name in DROPPED:
                continue
            if label not in covered.get(normalise_alias(name), set()):
                missing.setdefault(label, []).append(name)
    assert missing == {}


def test_dropped_names_are_gazetteer_names():
    gazetteer_names = {name for file in GAZETTEERS.glob("*.txt") for name in file.read_text().splitlines()}
    assert sorted(set(DROPPED) - gazetteer_names) == []


def test_loader_names_file_and_line_of_a_malformed_record(tmp_path):
    good = {
        "id": "weapon:test",
        "name": "Test",
        "aliases": [],
        "label": "WEAPON",
        "class": "cruise missile",
        "country": "US",
        "ambiguous": False,
    }
    file = tmp_path / "kb.jsonl"
    file.write_text(srsly.json_dumps(good) + "\n" + srsly.json_dumps({**good, "ambiguous": "no"}) + "\n")
    with pytest.raises(CorpusFormatError, match=r"kb\.jsonl:2: field 'ambiguous' should be bool"):
        load_knowledge_base(file)
    file.write_text(srsly.json_dumps({**good, "extra": 1}) + "\n")
    with pytest.raises(CorpusFormatError, match=r"kb\.jsonl:1: .*not in the schema: \['extra'\]"):
        load_knowledge_base(tmp_path)
    file.write_text("{not json\n")
    with pytest.raises(CorpusFormatError, match=r"kb\.jsonl:1: not JSON"):
        load_knowledge_base(file)
    file.write_text(srsly.json_dumps({**good, "id": "Weapon:Test"}) + "\n")
    with pytest.raises(CorpusFormatError, match="is not '<kind>:<lowercase-slug>'"):
        load_knowledge_base(file)
