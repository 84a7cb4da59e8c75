"""The defence knowledge base (corpus/knowledge_base/): real weapons, platforms, ships, organisations,
operations and places, one JSON object per line, each with its canonical name and the aliases a
mention may take. See corpus/knowledge_base/README.md for the record schema."""

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.util import registry

from defence_ner.errors import CorpusFormatError
from defence_ner.pipeline.consistency import SHIP_PREFIXES
from defence_ner.pipeline.knowledge import EXERCISE_WORDS
from defence_ner.pipeline.rules import designation_end

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


# A digit, a ship prefix or the word Operation/Exercise makes an alias sure out of context even where its
# record is ambiguous ("MIM-104 Patriot", "INS Vikrant", "Exercise Bright Star"); the record's flag speaks
# for its bare names ("Patriot", "Vikrant", "Bright Star").
SURE_PREFIXES = ("Operation", "Exercise", *SHIP_PREFIXES)
# A name and a designation joined to it by a hyphen, capitals or a Roman numeral ("Iskander-M", "Roadrunner-M",
# "Hatf-II"): a system's name, whatever the bare name may also be.
DESIGNATED_NAME = re.compile(r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*-[A-Z]{1,4}\+?")
EXERCISE_CLASS = "military exercise"


@registry.misc("defence_ner.knowledge_records.v1")
def knowledge_records(path: str) -> list[dict[str, Any]]:
    """The knowledge base's records at path (load_knowledge_base), for the linker's initialize block."""
    return load_knowledge_base(path)


@registry.misc("defence_ner.knowledge_base_names.v1")
def knowledge_base_names(path: Path, labels: list[str]) -> dict[str, list[str]]:
    """Entity-swap augmentation's names (defence_ner.pipeline.augment): {label: names} for each of
    labels, the written_names of the knowledge base's records of that label, in file order."""
    names: dict[str, list[str]] = {label: [] for label in labels}
    for record in load_knowledge_base(path):
        if record["label"] in names:
            names[record["label"]] += written_names(record)
    empty = [label for label, entries in names.items() if not entries]
    if empty:
        raise ValueError(f"the knowledge base at {path} has no records labelled {empty}")
    return {label: list(dict.fromkeys(entries)) for label, entries in names.items()}


@registry.misc("defence_ner.knowledge_patterns.v1")
def knowledge_patterns(
    path: str,
    ambiguous: bool,
    exercises_in_context: bool = False,
    exercise_years: list[int] | None = None,
    designation_labels: list[str] | None = None,
    spelling_labels: list[str] | None = None,
    plural_labels: list[str] | None = None,
) -> list[dict[str, Any]]:
    """span_ruler patterns from the knowledge base at path: its unambiguous aliases, and each exercise's names in
    context unless exercises_in_context is false (ambiguous false: exercise_patterns, with the years from
    exercise_years[0] to exercise_years[1], both included), or its ambiguous aliases (true); an alias of
    designation_labels that is a designation and generic words gives its designation, ambiguous; an alias of
    spelling_labels also gives its designation's other spellings (alias_patterns, designation_spellings), and a name
    of plural_labels of several words its plural (plural_names)."""
    years = None
    if exercises_in_context:
        if not exercise_years or len(exercise_years) != 2:
            raise ValueError(f"exercises in context need exercise_years [first, last], not {exercise_years}")
        years = range(exercise_years[0], exercise_years[1] + 1)
    sure, unsure = alias_patterns(
        load_knowledge_base(path), years, designation_labels or (), spelling_labels or (), plural_labels or ()
    )
    return unsure if ambiguous else sure


def written_names(record: dict[str, Any]) -> list[str]:
    """The record's distinct names and aliases as the project annotates a name: without those that
    have no capital letter or digit (a class word: the ner's business), and without those that are
    another of its aliases followed by lower-case words (the annotation convention keeps generic
    words out: "[Ada-class] corvette", "[Malabar] exercise")."""
    names = list(dict.fromkeys([record["name"], *record["aliases"]]))
    return [
        alias
        for alias in names
        if any(c.isupper() or c.isdigit() for c in alias)
        and not any(
            other != alias
            and alias.startswith(other + " ")
            and all(word.islower() for word in alias.split()[len(other.split()) :])
            for other in names
        )
    ]


def designation_name(alias: str) -> str:
    """The alias without the generic words after a name with a designation ("Type 12 surface-to-ship missile" ->
    "Type 12", "K1 tanks" -> "K1"), as the rules end the ner's entities (defence_ner.pipeline.rules.end_at_designation:
    the annotation convention); the alias itself where it has no such ending ("155mm shells": a calibre)."""
    words = alias.split()
    end = designation_end(words)
    return alias if end == len(words) else " ".join(words[:end])


def alias_patterns(
    records: list[dict[str, Any]],
    exercise_years: range | None,
    designation_labels: Sequence[str] = (),
    spelling_labels: Sequence[str] = (),
    plural_labels: Sequence[str] = (),
) -> tuple[list[dict], list[dict]]:
    """(sure patterns, ambiguous patterns) for spaCy's span_ruler, each with the record's label and id.

    Each record's written_names are its aliases here; one is left out when records of different
    labels share it. It is ambiguous when its record is and it has neither a digit, a ship prefix nor a designation
    joined to a name (DESIGNATED_NAME: "Iskander-M", unless another record writes it too: "Scud-B").
    An alias of designation_labels that is a designation and generic words ("Type 12 surface-to-ship missile",
    whose record does not list "Type 12") is not a pattern: a match would take in the generic words, which the
    annotation convention leaves out; its designation is an ambiguous alias instead, unless a record names it (the
    record's writer did not list the designation alone, so whether "Type 12" is a mention is the ner's call).
    An exercise's aliases, ambiguous or not, are also sure in context (exercise_patterns, with exercise_years),
    unless exercise_years is None; an exercise's one-word name in capitals is also an alias in title case
    (title_case_names), and its names in title case are also aliases in capitals, without the patterns in context
    (capitals_names: "COBRA GOLD"). An alias of spelling_labels also gives its designation's other spellings
    (designation_spellings: "Su 35" and "Su35" for "Su-35", "Leopard-2A7" for "Leopard 2A7"), each an alias of the
    record unless another record writes it, in any case, and a one-word name in capitals its title case as an
    ambiguous alias ("Himars"), and a name in title case its capitals (names_in_capitals: "HAMMER"), ambiguous too.
    A name of several words of plural_labels also gives its plural, as ambiguous as the name (plural_names: "Naval
    Strike Missiles", "Super Hornets")."""
    by_alias: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    designations: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    names_of = [(record, written_names(record)) for record in records]
    owners_by_name: dict[str, set[str]] = {}
    for record, names in names_of:
        for alias in names:
            owners_by_name.setdefault(normalise_alias(alias), set()).add(record["id"])
    exercises_in_capitals: set[str] = set()  # an exercise's names in capitals: aliases without the patterns in context
    for record, names in names_of:
        spelt = record["label"] in spelling_labels
        spellings = [
            spelling
            for alias in (names if spelt else [])
            for spelling in designation_spellings(alias)
            if owners_by_name.get(normalise_alias(spelling), {record["id"]}) == {record["id"]} and spelling not in names
        ]
        # An exercise's name in title case is its own; a weapon's or platform's may be a word ("HARM" -> "Harm"), so
        # it is an ambiguous alias whatever its record's flag.
        title_cased = title_case_names(record, names, owners_by_name)
        exercise_names = title_cased if record["class"] == EXERCISE_CLASS else []
        capitals = capitals_names(record, names, owners_by_name)
        exercises_in_capitals.update(capitals)
        in_capitals = [name for name in names_in_capitals(record, names, owners_by_name) if name not in spellings]
        unsure_names = title_cased + in_capitals if spelt else []
        plurals = plural_names(record, names, owners_by_name) if record["label"] in plural_labels else []
        for alias in names + exercise_names + list(dict.fromkeys(spellings)) + unsure_names + capitals + plurals:
            words = alias.split()
            is_ambiguous = (record["ambiguous"] or alias in unsure_names) and not (
                any(c.isdigit() for c in alias)
                or words[0] in SURE_PREFIXES
                or DESIGNATED_NAME.fullmatch(alias)
                and owners_by_name.get(normalise_alias(alias), set()) == {record["id"]}
            )
            designation = designation_name(alias) if record["label"] in designation_labels else alias
            if designation == alias:
                by_alias.setdefault(alias, []).append((record, is_ambiguous))
            else:
                designations.setdefault(designation, []).append((record, True))
    for designation, owners in designations.items():
        by_alias.setdefault(designation, owners)
    sure: list[dict] = []
    unsure: list[dict] = []
    for alias, owners in by_alias.items():
        if len({record["label"] for record, _ in owners}) > 1:
            continue
        record, _ = owners[0]
        is_ambiguous = any(flag for _, flag in owners)
        pattern = {"label": record["label"], "pattern": alias, "id": record["id"]}
        (unsure if is_ambiguous else sure).append(pattern)
        if exercise_years is not None and record["class"] == EXERCISE_CLASS and alias not in exercises_in_capitals:
            sure += exercise_patterns(alias, record, exercise_years)
    return sure, unsure


# A designation's joints that news writes in more than one way (designation_spellings), each with its spellings:
# - letters that start the name or a word (capitals, or a capitalised word, "MiG" too), then a hyphen, a space or
#   nothing, then the number: "Su-35", "Leopard 2A7", "K9", "Mk1A", "MiG-29";
# - a name word of three letters or more before a designation in capitals, over a hyphen or a space: "Buk-M3";
# - a number and a suffix of two capitals or more that ends the word, with a space or nothing: "Su-30MKI".
LETTERS_AND_NUMBER = re.compile(r"(?:^|(?<= ))([A-Z]+|[A-Z][a-z]+[A-Z]?)([- ]?)(\d+)")
NAME_AND_DESIGNATION = re.compile(r"(?<=[A-Za-z]{3})([- ])(?=[A-Z]+\d)")
NUMBER_AND_SUFFIX = re.compile(r"(?<=\d)( ?)(?=[A-Z]{2,}(?: |$))")
# A word with a capital inside ("BrahMos", "MiG", "HongQi"), which much of the press writes with one ("Brahmos", "Mig")
# or in capitals ("BRAHMOS").
INNER_CAPITAL = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+[A-Z][a-z]*(?![A-Za-z])")
# A designation's short letters in lower case after the first before its number ("Su-30", "Mk 41", "MiG-29"), which
# much of the press writes in capitals: "SU-30", "MK 41", "MIG-29".
SHORT_LETTERS = re.compile(r"(?<![A-Za-z])[A-Z][a-z][A-Za-z]?(?=[- ]?\d)")
# The most spellings one alias gives: each joint multiplies them.
MAX_SPELLINGS = 24
# Capitalised words that start a sentence's number ("A 29-year-old", "An 18-month"): a designation spaced after one of
# them ("A 29" for the A-29) would be matched there, so the base writes such designations hyphenated or joined only,
# and no spelling spaces them.
SENTENCE_WORDS = ("A", "An", "Be", "Do", "US")


def designation_spellings(alias: str) -> list[str]:
    """The alias's other spellings at its designation's joints: letters and number with a hyphen, a space or nothing
    ("Su-35", "Su 35", "Su35"; nothing only after three letters or fewer, as "Leopard2" is not written; a space only
    where the letters or the number have two characters or more, as "K 9" is not, and never after SENTENCE_WORDS),
    a name word and a designation with a hyphen or a space ("Buk-M3", "Buk M3"), a number and its suffix with a space
    or nothing ("Su-30MKI", "Su-30 MKI"); and each of these with a word's inner capital in lower case or every letter
    of the word in capitals ("MiG-29" -> "Mig-29", "BrahMos" -> "Brahmos", "BRAHMOS") and with a designation's short
    letters in capitals ("Su-30" -> "SU-30"); at most MAX_SPELLINGS, without the alias itself."""
    joints: list[tuple[int, int, tuple[str, ...]]] = []
    for found in LETTERS_AND_NUMBER.finditer(alias):
        letters, digits = found.group(1), found.group(3)
        if len(letters) == 1 and found.start(1) > 0:
            continue  # "M3" of "Buk M3" is one designation, not letters and a number
        separators = ["-"]
        if (len(letters) > 1 or len(digits) > 1) and letters not in SENTENCE_WORDS:
            separators.append(" ")
        if len(letters) <= 3:
            separators.append("")
        joints.append((found.start(2), found.end(2), tuple(separators)))
    joints += [(found.start(1), found.end(1), ("-", " ")) for found in NAME_AND_DESIGNATION.finditer(alias)]
    joints += [(found.start(1), found.end(1), ("", " ")) for found in NUMBER_AND_SUFFIX.finditer(alias)]
    spellings = [""]
    position = 0
    for start, end, separators in sorted(joints):
        spellings = [spelling + alias[position:start] + separator for spelling in spellings for separator in separators]
        position = end
    spellings = [spelling + alias[position:] for spelling in spellings]
    spellings = [
        cased
        for spelling in spellings
        for cased in (
            spelling,
            INNER_CAPITAL.sub(lambda word: word.group().capitalize(), spelling),
            INNER_CAPITAL.sub(lambda word: word.group().upper(), spelling),
            SHORT_LETTERS.sub(lambda letters: letters.group().upper(), spelling),
        )
    ]
    return [spelling for spelling in dict.fromkeys(spellings) if spelling != alias][:MAX_SPELLINGS]


# An exercise's name written in capitals ("RIMPAC", "BALTOPS", "EFES"), which news also writes in title case.
CAPITALS_NAME = re.compile(r"[A-Z]{4,}")


def title_case_names(record: dict[str, Any], names: list[str], owners_by_name: dict[str, set[str]]) -> list[str]:
    """The record's one-word names (names: its written_names) in capitals in title case ("RIMPAC" -> "Rimpac",
    "HIMARS" -> "Himars", as much of the press writes them), where no other record has the name in any case
    (owners_by_name: each normalise_alias form's record ids)."""
    return [
        name.title()
        for name in names
        if CAPITALS_NAME.fullmatch(name)
        and owners_by_name[normalise_alias(name)] == {record["id"]}
        and name.title() not in names
    ]


def capitals_names(record: dict[str, Any], names: list[str], owners_by_name: dict[str, set[str]]) -> list[str]:
    """An exercise's names (names: its written_names) that have a lower-case letter, in capitals ("Cobra Gold" ->
    "COBRA GOLD", as US military releases write them), without its word for an operation or an exercise, where no
    other record has the name in any case (owners_by_name: each normalise_alias form's record ids); [] for any other
    record."""
    if record["class"] != EXERCISE_CLASS:
        return []
    return [
        name.upper()
        for name in names
        if name != name.upper()
        and name.split()[0] not in SURE_PREFIXES
        and name.split()[-1].lower() not in EXERCISE_WORDS
        and owners_by_name[normalise_alias(name)] == {record["id"]}
        and name.upper() not in names
    ]


def names_in_capitals(record: dict[str, Any], names: list[str], owners_by_name: dict[str, set[str]]) -> list[str]:
    """The record's names (names: its written_names) that have a lower-case letter and no digit, in capitals
    ("Hammer" -> "HAMMER", "Javelin" -> "JAVELIN", as Indian and US military releases write them), where no other
    record has the name in any case (owners_by_name: each normalise_alias form's record ids). A named ship's bare
    names are left out: a dateline writes its city so ("KOLKATA, March 3" of a story on INS Kolkata)."""
    named_ship = _has_a_ship_prefix(names)
    return [
        name.upper()
        for name in names
        if name != name.upper()
        and not (named_ship and name.split()[0] not in SHIP_PREFIXES)
        and not any(c.isdigit() for c in name)
        and owners_by_name[normalise_alias(name)] == {record["id"]}
        and name.upper() not in names
    ]


def _has_a_ship_prefix(names: list[str]) -> bool:
    """Whether one of a record's names starts with a ship's prefix: a named ship's or boat's record ("INS Kolkata",
    "MV Baltic Leader")."""
    return any(name.split()[0] in SHIP_PREFIXES for name in names)


# The last word of a name whose plural news writes ("Naval Strike Missile", "Super Hornet", "Arleigh Burke"): a word in
# title case, not already a plural.
PLURAL_WORD = re.compile(r"[A-Z][a-z]*[a-rt-z]")
# A named ship's record (its id's prefix), whether or not a name of it has a prefix ("Admiral Gorshkov").
NAMED_SHIP = "ship:"


def plural_names(record: dict[str, Any], names: list[str], owners_by_name: dict[str, set[str]]) -> list[str]:
    """The plurals of the record's names (names: its written_names) of several words that end in a word in title case
    ("Naval Strike Missiles", "F/A-18E Super Hornets", "Arleigh Burkes"), as the training data annotates them, inside
    the entity; none for a named ship or boat (two of one name are never written as a plural: its record is a ship's,
    or a name of it has a ship's prefix, "MV Baltic Leader"), and none that another record writes (owners_by_name:
    each normalise_alias form's record ids) or that is one of the record's names already."""
    if record["id"].startswith(NAMED_SHIP) or _has_a_ship_prefix(names):
        return []
    plurals = []
    for name in names:
        words = name.split()
        if len(words) > 1 and PLURAL_WORD.fullmatch(words[-1]):
            plural = " ".join([*words[:-1], _plural(words[-1])])
            if owners_by_name.get(normalise_alias(plural), {record["id"]}) == {record["id"]} and plural not in names:
                plurals.append(plural)
    return plurals


def _plural(word: str) -> str:
    """An English noun's plural by the regular rules: "Missiles", "Searches", "Furies", "Vityazes" (an irregular one,
    "Wolfs" for "Wolves", is a pattern no text matches)."""
    if re.search(r"(?:x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def exercise_patterns(alias: str, record: dict[str, Any], years: range) -> list[dict]:
    """An exercise's alias followed by a year ("Zapad 2025", or one token: "Zapad-2025", "Anakonda-24") or by a word
    for an exercise in any case ("Malabar exercise", "Malabar Exercise"; the knowledge ruler drops the word): sure
    even where the alias alone is not. A two-digit year is a pattern only joined by a hyphen to an alias that ends
    in a name, as one token the knowledge merge cannot extend; spaced ("BALTOPS 25") the merge takes it in after a
    match (defence_ner.pipeline.knowledge).
    Phrase patterns, one per year and per word: spaCy's Matcher tries every token pattern at every token, so three
    token patterns per name made the ruler some 90 times slower, while the PhraseMatcher's time does not grow with
    its patterns (docs/experiments.md)."""
    words = [form for word in EXERCISE_WORDS for form in dict.fromkeys((word, word.title(), word.upper()))]
    phrases = [f"{alias}{separator}{year}" for year in years for separator in (" ", "-")]
    last = alias.split()[-1]
    if not any(c.isdigit() for c in last) and last.lower() not in EXERCISE_WORDS:
        phrases += [f"{alias}-{year % 100:02d}" for year in years]
    phrases += [f"{alias} {word}" for word in words]
    return [{"label": record["label"], "pattern": phrase, "id": record["id"]} for phrase in phrases]
