"""The knowledge-base rulers and merges and the document-consistency component, on small docs."""

import json

import pytest
import spacy
from spacy.tokens import Doc, Span

from defence_ner.knowledge_base import designation_name, designation_spellings, knowledge_patterns
from defence_ner.pipeline.consistency import is_designated
from defence_ner.pipeline.knowledge import merge_knowledge_matches, relabel_known_entities


def doc_with(text, ents):
    nlp = spacy.blank("en")
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(t), text.index(t) + len(t), label=label) for t, label in ents]
    return doc


def span(doc, text, label, record_id=""):
    start = doc.text.index(text)
    found = doc.char_span(start, start + len(text), label=label)
    return Span(doc, found.start, found.end, label=label, span_id=record_id)


def texts(spans):
    return [(s.text, s.label_) for s in spans]


def knowledge_base_at(folder, records):
    """The folder, holding records as a one-file knowledge base."""
    (folder / "kb.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return str(folder)


def kb_record(record_id, name, aliases, label, kind):
    """An unambiguous record (the country is no part of what these tests read)."""
    return {"id": record_id, "name": name, "aliases": aliases, "label": label, "class": kind,
            "country": "multinational", "ambiguous": False}  # fmt: skip


def test_a_known_alias_corrects_the_ners_type_and_trims_generic_words():
    doc = doc_with(
        "India bought S-400 and fired Kh-101 cruise missiles.",
        [("S-400", "LOCATION"), ("Kh-101 cruise missiles", "WEAPON")],
    )
    matches = [span(doc, "S-400", "WEAPON", "weapon:s-400"), span(doc, "Kh-101", "WEAPON", "weapon:kh-101")]
    merged = merge_knowledge_matches(doc.ents, matches)
    assert texts(merged) == [("S-400", "WEAPON"), ("Kh-101", "WEAPON")]
    assert merged[0].id_ == "weapon:s-400"


def test_a_known_alias_gives_way_to_a_longer_name_it_is_part_of_and_adds_what_the_ner_missed():
    doc = doc_with("BrahMos Aerospace will test BrahMos again.", [("BrahMos Aerospace", "ORGANISATION")])
    matches = [span(doc, "BrahMos", "WEAPON"), Span(doc, 4, 5, label="WEAPON")]
    assert texts(merge_knowledge_matches(doc.ents, matches)) == [
        ("BrahMos Aerospace", "ORGANISATION"),
        ("BrahMos", "WEAPON"),
    ]


def test_a_number_word_after_a_known_alias_is_no_longer_name_but_a_numbers_digits_are():
    doc = doc_with(
        "It ordered 48 KAAN fifth-generation fighters and the Patriot PAC-3 system.",
        [("KAAN fifth-generation", "MILITARY_PLATFORM"), ("Patriot PAC-3", "WEAPON")],
    )
    matches = [span(doc, "KAAN", "MILITARY_PLATFORM"), span(doc, "Patriot", "WEAPON")]
    assert texts(merge_knowledge_matches(doc.ents, matches)) == [
        ("KAAN", "MILITARY_PLATFORM"),
        ("Patriot PAC-3", "WEAPON"),
    ]


def test_an_entity_made_of_known_names_of_two_labels_gives_way_to_them_only_where_configured():
    doc = doc_with(
        "A US Army THAAD battery and a KC-135R Stratotanker landed.",
        [("US Army THAAD", "ORGANISATION"), ("KC-135R Stratotanker", "MILITARY_PLATFORM")],
    )
    matches = [
        span(doc, "US Army", "ORGANISATION"),
        span(doc, "THAAD", "WEAPON"),
        span(doc, "KC-135R", "MILITARY_PLATFORM"),
        span(doc, "Stratotanker", "MILITARY_PLATFORM"),
    ]
    assert texts(merge_knowledge_matches(doc.ents, matches, split_names_of_two_kinds=True)) == [
        ("US Army", "ORGANISATION"),
        ("THAAD", "WEAPON"),
        ("KC-135R Stratotanker", "MILITARY_PLATFORM"),  # one label: one name, its aliases give way
    ]
    assert texts(merge_knowledge_matches(doc.ents, matches)) == [
        ("US Army THAAD", "ORGANISATION"),
        ("KC-135R Stratotanker", "MILITARY_PLATFORM"),
    ]
    # Generic words after the last name go with the entity (the names are the mentions), and only after it.
    generic = doc_with(
        "US Army THAAD batteries and US Army air defence THAAD units deployed.",
        [("US Army THAAD batteries", "ORGANISATION"), ("US Army air defence THAAD units", "ORGANISATION")],
    )
    names = [span(generic, "US Army", "ORGANISATION"), span(generic, "THAAD", "WEAPON")]
    second = generic.text.rindex("US Army")
    names.append(generic.char_span(second, second + len("US Army"), label="ORGANISATION"))
    third = generic.text.rindex("THAAD")
    names.append(generic.char_span(third, third + len("THAAD"), label="WEAPON"))
    assert texts(merge_knowledge_matches(generic.ents, names, split_names_of_two_kinds=True)) == [
        ("US Army", "ORGANISATION"),
        ("THAAD", "WEAPON"),
        ("US Army air defence THAAD units", "ORGANISATION"),  # words between the names: one name, as the ner read it
    ]
    # The last name may run on past the entity, which the ner cut short.
    cut = doc_with("RAAF F-35A Lightning II jets flew.", [("RAAF F-35A Lightning", "ORGANISATION")])
    cut_names = [span(cut, "RAAF", "ORGANISATION"), span(cut, "F-35A Lightning II", "MILITARY_PLATFORM")]
    assert texts(merge_knowledge_matches(cut.ents, cut_names, split_names_of_two_kinds=True)) == [
        ("RAAF", "ORGANISATION"),
        ("F-35A Lightning II", "MILITARY_PLATFORM"),
    ]


def test_a_known_operations_edition_is_the_known_name_only_for_the_configured_labels():
    doc = doc_with(
        "UNITAS LXVI and BALTOPS 24 opened; Zapad Group trained and BALTOPS 24 ships sailed.",
        [("UNITAS LXVI", "ORGANISATION"), ("BALTOPS 24", "OPERATION"), ("Zapad Group", "ORGANISATION")],
    )
    matches = [
        span(doc, "UNITAS", "OPERATION", "op:exercise-unitas"),
        span(doc, "BALTOPS", "OPERATION", "op:baltops"),
        span(doc, "Zapad", "OPERATION", "op:zapad"),
    ]
    second = doc.text.rindex("BALTOPS")
    matches.append(doc.char_span(second, second + len("BALTOPS"), label="OPERATION"))
    merged = merge_knowledge_matches(doc.ents, matches, edition_labels=["OPERATION"])
    assert texts(merged) == [
        ("UNITAS LXVI", "OPERATION"),
        ("BALTOPS 24", "OPERATION"),
        ("Zapad Group", "ORGANISATION"),  # a capitalised word is no edition: a longer name
        ("BALTOPS", "OPERATION"),  # no entity with the number: the number is not taken on
    ]
    assert merged[0].id_ == "op:exercise-unitas"
    # A word for an exercise after the number says it is the edition, with or without the ner.
    drills = doc_with(
        "Han Kuang 41 exercise began; Keen Sword XVII drills ended.", [("Han Kuang", "MILITARY_PLATFORM")]
    )
    known = [span(drills, "Han Kuang", "OPERATION"), span(drills, "Keen Sword", "OPERATION")]
    assert texts(merge_knowledge_matches(drills.ents, known, edition_labels=["OPERATION"])) == [
        ("Han Kuang 41", "OPERATION"),
        ("Keen Sword XVII", "OPERATION"),
    ]
    assert texts(merge_knowledge_matches(drills.ents, known)) == [
        ("Han Kuang", "OPERATION"),
        ("Keen Sword", "OPERATION"),
    ]
    assert texts(merge_knowledge_matches(doc.ents, matches))[:2] == [
        ("UNITAS LXVI", "ORGANISATION"),
        ("BALTOPS 24", "OPERATION"),
    ]
    # So does punctuation, the text's end or a stop word after a known operation's number; a word that is counted
    # does not, and a weapon's or platform's number is taken only where the ner's entity has it.
    editions = doc_with(
        "Talisman Sabre 25, the largest, and Balikatan 25 in Luzon saw RIMPAC 24 nations and KAAN 24.", []
    )
    known = [
        span(editions, "Talisman Sabre", "OPERATION"),
        span(editions, "Balikatan", "OPERATION"),
        span(editions, "RIMPAC", "OPERATION"),
        span(editions, "KAAN", "MILITARY_PLATFORM"),
    ]
    assert texts(merge_knowledge_matches(editions.ents, known, edition_labels=["OPERATION", "MILITARY_PLATFORM"])) == [
        ("Talisman Sabre 25", "OPERATION"),
        ("Balikatan 25", "OPERATION"),
        ("RIMPAC", "OPERATION"),
        ("KAAN", "MILITARY_PLATFORM"),
    ]


def test_a_known_exercises_edition_takes_in_its_iteration():
    doc = doc_with(
        "Cope Thunder 25-1 ran, Juniper Oak 23.2 with Israel, Cope Thunder 25 - 2, Cope Thunder 25-12 and Cope "
        "Thunder 25-1 Squadron.",
        [("Cope Thunder 25", "OPERATION"), ("1 Squadron", "ORGANISATION")],
    )
    starts = [i for i in range(len(doc.text)) if doc.text.startswith("Cope", i)]
    known = [doc.char_span(i, i + len("Cope Thunder"), label="OPERATION") for i in starts]
    known.append(span(doc, "Juniper Oak", "OPERATION"))
    assert texts(merge_knowledge_matches(doc.ents, known, edition_labels=["OPERATION"])) == [
        ("Cope Thunder 25-1", "OPERATION"),  # the ner stopped at the year
        ("Juniper Oak 23.2", "OPERATION"),
        ("Cope Thunder 25", "OPERATION"),  # spaced: no iteration
        ("Cope Thunder 25", "OPERATION"),  # two digits after the hyphen: no iteration
        ("Cope Thunder 25", "OPERATION"),  # the ner's entity runs on past the iteration: the year alone
        ("1 Squadron", "ORGANISATION"),
    ]
    # an ambiguous exercise name with the ner's edition takes the iteration in too, with the ner's entity inside it
    ambiguous = doc_with("Red Flag 25-1, the Nevada counterpart.", [("Red Flag 25", "WEAPON"), ("1", "QUANTITY")])
    red_flag = [span(ambiguous, "Red Flag", "OPERATION", "op:red-flag")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(edition_labels=["OPERATION"])(ambiguous.ents, red_flag)) == [("Red Flag 25-1", "OPERATION")]
    point = doc_with("Juniper Oak 23.2 began.", [("Juniper Oak 23.2", "ORGANISATION")])
    juniper = [span(point, "Juniper Oak", "OPERATION", "op:juniper-oak")]
    assert texts(relabel(relabel=["OPERATION"], edition_labels=["OPERATION"])(point.ents, juniper)) == [
        ("Juniper Oak 23.2", "ORGANISATION")  # a point's iteration is no year: another type stays
    ]
    assert texts(relabel(relabel=None, edition_labels=["OPERATION"])(point.ents, juniper)) == [
        ("Juniper Oak 23.2", "OPERATION")
    ]


def test_a_known_weapons_or_platforms_version_is_taken_in_whatever_the_ner_found():
    doc = doc_with(
        "They ordered SM-2 Block IIIC missiles, a KSS-III Batch-II boat, PrSM Increment 2 and F-16 Block parties.",
        [("SM-2", "WEAPON"), ("KSS-III Batch", "MILITARY_PLATFORM")],
    )
    known = [
        span(doc, "SM-2", "WEAPON"),
        span(doc, "KSS-III", "MILITARY_PLATFORM"),
        span(doc, "PrSM", "WEAPON"),
        span(doc, "F-16", "MILITARY_PLATFORM"),
    ]
    assert texts(merge_knowledge_matches(doc.ents, known, edition_labels=["WEAPON", "MILITARY_PLATFORM"])) == [
        ("SM-2 Block IIIC", "WEAPON"),
        ("KSS-III Batch-II", "MILITARY_PLATFORM"),
        ("PrSM Increment 2", "WEAPON"),
        ("F-16", "MILITARY_PLATFORM"),  # "parties" is no version
    ]
    # Only for the configured labels, and never for an operation ("Block" after an exercise is no version of it).
    assert texts(merge_knowledge_matches(doc.ents, known))[:2] == [
        ("SM-2", "WEAPON"),
        ("KSS-III Batch", "MILITARY_PLATFORM"),  # the ner's longer name, as before
    ]
    exercise = doc_with("RIMPAC Block 2 drills", [])
    rimpac = [span(exercise, "RIMPAC", "OPERATION")]
    assert texts(merge_knowledge_matches(exercise.ents, rimpac, edition_labels=["OPERATION"])) == [
        ("RIMPAC", "OPERATION")
    ]


def test_an_ambiguous_exercise_name_and_its_edition_take_the_exercises_label_only_where_configured():
    doc = doc_with("KAMANDAG 9 began as KAMANDAG ships sailed.", [("KAMANDAG 9", "MILITARY_PLATFORM")])
    matches = [span(doc, "KAMANDAG", "OPERATION", "op:kamandag")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(edition_labels=["OPERATION"])(doc.ents, matches)) == [("KAMANDAG 9", "OPERATION")]
    assert texts(relabel()(doc.ents, matches)) == [("KAMANDAG 9", "MILITARY_PLATFORM")]
    # A sure match takes a one-digit edition in where the ner proposed it, and only there.
    assert texts(merge_knowledge_matches(doc.ents, matches, edition_labels=["OPERATION"])) == [
        ("KAMANDAG 9", "OPERATION")
    ]
    # An alias and its edition is the exercise even where the ner read a place, which the alias alone stays.
    place = doc_with(
        "Malabar 24 began off the Malabar coast.", [("Malabar 24", "LOCATION"), ("Malabar coast", "LOCATION")]
    )
    malabar = [place.char_span(i, i + len("Malabar"), label="OPERATION") for i in (0, place.text.rindex("Malabar"))]
    defence = ["WEAPON", "MILITARY_PLATFORM", "VEHICLE", "OPERATION"]
    assert texts(relabel(relabel=defence, edition_labels=["OPERATION"])(place.ents, malabar)) == [
        ("Malabar 24", "OPERATION"),
        ("Malabar coast", "LOCATION"),
    ]
    assert texts(relabel(relabel=defence)(place.ents, malabar))[0] == ("Malabar 24", "LOCATION")
    # only with a year: a place or body with a Roman numeral or one digit is not made an exercise
    numbered = doc_with(
        "Shaheen 3 and Thunderbolt II flew.", [("Shaheen 3", "ORGANISATION"), ("Thunderbolt II", "PERSON")]
    )
    operations = [span(numbered, "Shaheen", "OPERATION"), span(numbered, "Thunderbolt", "OPERATION")]
    assert texts(relabel(relabel=defence, edition_labels=["OPERATION"])(numbered.ents, operations)) == texts(
        numbered.ents
    )


def test_a_designation_and_its_records_name_are_one_mention_only_where_configured():
    doc = doc_with(
        "It buys AIM-120C AMRAAM, FIM-92K Stinger and F-16 Viper jets.",
        [("AIM-120C", "WEAPON"), ("AMRAAM", "WEAPON"), ("F-16 Viper", "MILITARY_PLATFORM")],
    )
    sure = [
        span(doc, "AIM-120C", "WEAPON", "weapon:aim-120"),
        span(doc, "AMRAAM", "WEAPON", "weapon:aim-120"),
        span(doc, "FIM-92K", "WEAPON", "weapon:stinger"),
        span(doc, "F-16", "MILITARY_PLATFORM", "platform:f-16"),
    ]
    merged = merge_knowledge_matches(doc.ents, sure, join_names_of_one_record=True)
    assert texts(merged) == [
        ("AIM-120C AMRAAM", "WEAPON"),
        ("FIM-92K", "WEAPON"),
        ("F-16 Viper", "MILITARY_PLATFORM"),  # no match of its record after it: the ner's, as before
    ]
    assert texts(merge_knowledge_matches(doc.ents, sure))[:2] == [("AIM-120C", "WEAPON"), ("AMRAAM", "WEAPON")]
    # The ambiguous ruler joins a sure entity with its record's name, whether the ner found the name or not, but not
    # another record's name or an entity without a record.
    merged_doc = doc_with("It buys AIM-120C AMRAAM, FIM-92K Stinger and F-16 Viper jets.", [])
    merged_doc.ents = [Span(merged_doc, e.start, e.end, label=e.label_, span_id=e.id_) for e in merged]
    ambiguous = [
        span(merged_doc, "Stinger", "WEAPON", "weapon:stinger"),
        span(merged_doc, "Viper", "MILITARY_PLATFORM", "platform:ah-1z-viper"),
    ]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(join_names_of_one_record=True)(merged_doc.ents, ambiguous)) == [
        ("AIM-120C AMRAAM", "WEAPON"),
        ("FIM-92K Stinger", "WEAPON"),
        ("F-16 Viper", "MILITARY_PLATFORM"),
    ]
    with_name = doc_with("It buys FIM-92K Stinger missiles.", [])
    with_name.ents = [span(with_name, "FIM-92K", "WEAPON", "weapon:stinger"), span(with_name, "Stinger", "WEAPON")]
    stinger = [span(with_name, "Stinger", "WEAPON", "weapon:stinger")]
    assert texts(relabel(join_names_of_one_record=True)(with_name.ents, stinger)) == [("FIM-92K Stinger", "WEAPON")]
    assert texts(relabel()(with_name.ents, stinger)) == [("FIM-92K", "WEAPON"), ("Stinger", "WEAPON")]
    # The version after the name is the name's too, with the ner's entity of the version alone; not where the ner
    # found an entity that runs on past the version.
    for text, version, joined in (
        ("It buys FIM-92K Stinger Block I missiles.", ("Block I", "WEAPON"), [("FIM-92K Stinger Block I", "WEAPON")]),
        (
            "It sold FIM-92K Stinger Block I Morocco.",
            ("I Morocco", "LOCATION"),
            [("FIM-92K Stinger", "WEAPON"), ("I Morocco", "LOCATION")],
        ),
    ):
        versioned = doc_with(text, [version])
        versioned.ents = [span(versioned, "FIM-92K", "WEAPON", "weapon:stinger"), *versioned.ents]
        name = [span(versioned, "Stinger", "WEAPON", "weapon:stinger")]
        assert texts(relabel(join_names_of_one_record=True)(versioned.ents, name)) == joined


def test_a_name_before_a_designation_of_its_record_is_one_mention_with_its_version():
    doc = doc_with("It fired an Exocet MM40 Block 3C missile and a Harpoon.", [("Exocet MM40 Block", "WEAPON")])
    sure = [
        span(doc, "Exocet", "WEAPON", "weapon:exocet"),
        span(doc, "MM40 Block 3C", "WEAPON", "weapon:exocet"),
        span(doc, "Harpoon", "WEAPON", "weapon:harpoon"),
    ]
    # the ner ran on into the designation with the name and stopped inside the version
    assert texts(merge_knowledge_matches(doc.ents, sure, join_names_of_one_record=True)) == [
        ("Exocet MM40 Block 3C", "WEAPON"),
        ("Harpoon", "WEAPON"),
    ]
    assert texts(merge_knowledge_matches(doc.ents, sure))[0] == ("Exocet MM40 Block", "WEAPON")
    # a name before another record's designation, or two names of one record without a digit, are not joined
    other = doc_with("It fired an Exocet MM40 missile and a Sea Skua Skua.", [])
    apart = [
        span(other, "Exocet", "WEAPON", "weapon:exocet"),
        span(other, "MM40", "WEAPON", "weapon:mm40"),
        span(other, "Sea Skua", "WEAPON", "weapon:sea-skua"),
        span(other, "Skua.", "WEAPON", "weapon:sea-skua"),
    ]
    apart[3] = Span(other, apart[3].start, apart[3].end - 1, label="WEAPON", span_id="weapon:sea-skua")
    assert texts(merge_knowledge_matches(other.ents, apart, join_names_of_one_record=True)) == [
        ("Exocet", "WEAPON"),
        ("MM40", "WEAPON"),
        ("Sea Skua", "WEAPON"),
        ("Skua", "WEAPON"),
    ]


def test_an_entity_that_ends_with_an_alias_of_its_label_takes_in_the_version_after_it():
    doc = doc_with("It buys FIM-92K Stinger Block I and FIM-92K Stinger Block II missiles.", [("Block I", "WEAPON")])
    first, second = (i for i in range(len(doc.text)) if doc.text.startswith("FIM-92K Stinger", i))
    doc.ents = [
        doc.char_span(first, first + len("FIM-92K Stinger"), label="WEAPON"),
        *doc.ents,
        doc.char_span(second, second + len("FIM-92K Stinger"), label="MILITARY_PLATFORM"),
    ]
    starts = [i for i in range(len(doc.text)) if doc.text.startswith("Stinger", i)]
    stingers = [doc.char_span(i, i + len("Stinger"), label="WEAPON", span_id="weapon:stinger") for i in starts]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(edition_labels=["WEAPON", "MILITARY_PLATFORM"])(doc.ents, stingers)) == [
        ("FIM-92K Stinger Block I", "WEAPON"),  # with the ner's entity of the version alone
        ("FIM-92K Stinger", "MILITARY_PLATFORM"),  # the alias is of another label: the ner's, as it was
    ]
    assert texts(relabel()(doc.ents, stingers))[0] == ("FIM-92K Stinger", "WEAPON")
    # the ner stopped inside the version after the alias; a version's letter may be lower case ("Block 3c")
    cut = doc_with("It buys RGM-84L-4 Harpoon Block II and Exocet MM40 Block 3c missiles.", [])
    cut.ents = [span(cut, "RGM-84L-4 Harpoon Block", "WEAPON"), span(cut, "Exocet MM40", "WEAPON")]
    names = [span(cut, "Harpoon", "WEAPON", "weapon:harpoon"), span(cut, "MM40", "WEAPON", "weapon:exocet")]
    assert texts(relabel(edition_labels=["WEAPON"])(cut.ents, names)) == [
        ("RGM-84L-4 Harpoon Block II", "WEAPON"),
        ("Exocet MM40 Block 3c", "WEAPON"),
    ]


def test_an_ambiguous_weapons_alias_takes_in_its_version_and_the_ners_entity_of_it_alone():
    doc = doc_with(
        "Tomahawk Block IV, Tomahawk Block V, Eurofighter Typhoon Tranche 4 and Tomahawk Block III missiles.",
        [("Tomahawk", "WEAPON"), ("Block V", "WEAPON"), ("Eurofighter Typhoon Tranche", "MILITARY_PLATFORM")],
    )
    starts = [i for i in range(len(doc.text)) if doc.text.startswith("Tomahawk", i)]
    tomahawks = [doc.char_span(i, i + len("Tomahawk"), label="WEAPON") for i in starts]
    last_block = doc.text.rindex("Block III")
    doc.ents = [
        *doc.ents,
        tomahawks[1],
        tomahawks[2],
        doc.char_span(last_block, last_block + len("Block III missiles"), label="WEAPON"),
    ]
    matches = [*tomahawks, span(doc, "Eurofighter Typhoon", "MILITARY_PLATFORM")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(edition_labels=["WEAPON", "MILITARY_PLATFORM"])(doc.ents, matches)) == [
        ("Tomahawk Block IV", "WEAPON"),
        ("Tomahawk Block V", "WEAPON"),  # the ner's "Block V" is the version: it joins the name
        ("Eurofighter Typhoon Tranche 4", "MILITARY_PLATFORM"),  # the ner stopped inside the version
        ("Tomahawk", "WEAPON"),  # the ner's entity runs on past the version: left as it is
        ("Block III missiles", "WEAPON"),
    ]
    assert texts(relabel()(doc.ents, matches))[:2] == [("Tomahawk", "WEAPON"), ("Tomahawk", "WEAPON")]


def test_an_ambiguous_exercise_name_before_words_for_an_exercise_is_that_exercise_only_where_configured():
    doc = doc_with(
        "The Malabar naval exercise, Varuna drills, the Zapad very big strategic exercise and the Malabar coast.",
        [("Malabar naval exercise", "ORGANISATION"), ("Varuna", "NATIONALITY"), ("Malabar coast", "LOCATION")],
    )
    starts = [i for i in range(len(doc.text)) if doc.text.startswith("Malabar", i)]
    matches = [doc.char_span(i, i + len("Malabar"), label="OPERATION") for i in starts]
    matches += [span(doc, "Varuna", "OPERATION"), span(doc, "Zapad", "OPERATION")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    defence = ["WEAPON", "MILITARY_PLATFORM", "VEHICLE", "OPERATION"]
    assert texts(relabel(relabel=defence, exercises_in_context=True)(doc.ents, matches)) == [
        ("Malabar", "OPERATION"),  # the ner's entity of the name and the words gives way
        ("Varuna", "OPERATION"),  # whatever label the ner gave
        ("Malabar coast", "LOCATION"),  # three words before "exercise" are too many for Zapad; a coast is no exercise
    ]
    assert texts(relabel(relabel=defence)(doc.ents, matches)) == texts(doc.ents)


def test_an_ambiguous_alias_the_ner_cut_short_is_whole_only_where_configured():
    doc = doc_with(
        "Iran fired Haj Qassem missiles, France sent AASM Hammer bombs, Russia sent Rostov-on-Don and Al Tariq kits.",
        [("Haj", "WEAPON"), ("AASM", "WEAPON"), ("Hammer", "WEAPON"), ("Rostov", "LOCATION"), ("Al", "PERSON")],
    )
    matches = [
        span(doc, "Haj Qassem", "WEAPON"),
        span(doc, "AASM Hammer", "WEAPON"),
        span(doc, "Rostov-on-Don", "MILITARY_PLATFORM"),
        span(doc, "Al Tariq", "WEAPON"),
    ]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(whole_aliases=True)(doc.ents, matches)) == [
        ("Haj Qassem", "WEAPON"),
        ("AASM Hammer", "WEAPON"),  # both of the ner's entities inside it are the name's parts
        ("Rostov", "LOCATION"),  # the ner's label is another: the city, not the submarine
        ("Al", "PERSON"),
    ]
    assert texts(relabel()(doc.ents, matches)) == texts(doc.ents)


def test_an_ambiguous_alias_in_a_list_takes_its_neighbours_label_only_where_configured():
    doc = doc_with(
        "Debris of Emad, Ghadr-110 and Kheibar Shekan missiles, Sejjil or Avangard. Patriot units near Patriot Hills.",
        [("Emad", "ORGANISATION"), ("Ghadr-110", "WEAPON"), ("Kheibar Shekan", "WEAPON"), ("Sejjil", "WEAPON"),
         ("Patriot Hills", "LOCATION")],
    )  # fmt: skip
    patriots = [i for i in range(len(doc.text)) if doc.text.startswith("Patriot", i)]
    matches = [span(doc, "Emad", "WEAPON"), span(doc, "Avangard", "WEAPON")]
    matches += [doc.char_span(i, i + len("Patriot"), label="WEAPON") for i in patriots]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    defence = ["WEAPON", "MILITARY_PLATFORM", "VEHICLE", "OPERATION"]
    found = texts(relabel(relabel=defence, coordinated_names=True)(doc.ents, matches))
    assert found == [
        ("Emad", "WEAPON"),  # ", " before a weapon: the ner's organisation gives way
        ("Ghadr-110", "WEAPON"),
        ("Kheibar Shekan", "WEAPON"),
        ("Sejjil", "WEAPON"),
        ("Avangard", "WEAPON"),  # " or " after a weapon: added where the ner found nothing
        ("Patriot Hills", "LOCATION"),  # no list holds the first Patriot, and the second is inside a place
    ]
    assert texts(relabel(relabel=defence)(doc.ents, matches)) == texts(doc.ents)


def test_an_ambiguous_alias_before_a_head_noun_of_its_label_is_a_mention_of_it_only_where_configured():
    doc = doc_with(
        "Tejas jets, AV-8B Harrier jets, Typhoon jets and FGM-148 Javelin missiles flew over Virginia. Virginia "
        "submarines, Neptune missiles and Tiger tanks followed.",
        [("Tejas", "LOCATION"), ("AV-8B", "MILITARY_PLATFORM"), ("Typhoon jets", "MILITARY_PLATFORM"),
         ("FGM-148 Javelin", "WEAPON"), ("Virginia", "LOCATION")],
    )  # fmt: skip
    virginias = [i for i in range(len(doc.text)) if doc.text.startswith("Virginia", i)]
    matches = [span(doc, name, "MILITARY_PLATFORM") for name in ("Tejas", "Harrier", "Typhoon", "Tiger")]
    matches += [doc.char_span(i, i + len("Virginia"), label="MILITARY_PLATFORM") for i in virginias]
    matches += [span(doc, "Javelin", "WEAPON"), span(doc, "Neptune", "WEAPON"), span(doc, "Neptune", "OPERATION")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    nouns = {"WEAPON": ["missiles"], "MILITARY_PLATFORM": ["Jets", "submarines"]}
    defence = ["WEAPON", "MILITARY_PLATFORM", "VEHICLE", "OPERATION"]
    assert texts(relabel(relabel=defence, head_nouns=nouns)(doc.ents, matches)) == [
        ("Tejas", "MILITARY_PLATFORM"),  # the ner's place takes the alias's label; the noun in any case
        ("AV-8B Harrier", "MILITARY_PLATFORM"),  # the alias joins the designation of its label right before it
        ("Typhoon", "MILITARY_PLATFORM"),  # the ner's entity of the alias and the head noun gives way to it
        ("FGM-148 Javelin", "WEAPON"),  # an entity that starts before the alias keeps it
        ("Virginia", "LOCATION"),  # no head noun after it
        ("Virginia", "MILITARY_PLATFORM"),  # added where the ner found nothing
    ]  # "Neptune" has matches of two labels, and "tanks" is no head noun of the config
    assert texts(relabel(relabel=defence)(doc.ents, matches)) == texts(doc.ents)


def test_an_ambiguous_alias_before_a_head_noun_leaves_a_sure_name_a_longer_alias_and_other_entities_their_place():
    doc = doc_with(
        "Dhanush missiles, Sea Harrier jets, fighter Harrier jets and Tejas Jets.",
        [("Dhanush missiles", "WEAPON"), ("fighter", "MILITARY_PLATFORM")],
    )
    doc.spans["knowledge"] = [span(doc, "Dhanush missiles", "WEAPON")]  # a sure alias's match
    harriers = [i for i in range(len(doc.text)) if doc.text.startswith("Harrier", i)]
    matches = [doc.char_span(i, i + len("Harrier"), label="MILITARY_PLATFORM") for i in harriers]
    matches += [span(doc, name, "MILITARY_PLATFORM") for name in ("Sea Harrier", "Tejas")]
    matches += [span(doc, "Dhanush", "WEAPON")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    configured = relabel(
        relabel=["WEAPON", "MILITARY_PLATFORM"],
        sure_spans_keys=["knowledge"],
        head_nouns={"WEAPON": ["missiles"], "MILITARY_PLATFORM": ["jets"]},
    )
    assert texts(configured(doc.ents, matches)) == [
        ("Dhanush missiles", "WEAPON"),  # a sure alias's entity keeps its place
        ("Sea Harrier", "MILITARY_PLATFORM"),  # the longer alias first: "Harrier" inside it does not fire
        ("fighter", "MILITARY_PLATFORM"),  # a class noun is no designation: "Harrier" is not joined to it
        ("Harrier", "MILITARY_PLATFORM"),
    ]  # "Jets" with a capital is a name's word, no head noun


def test_the_longest_ambiguous_alias_in_a_list_is_taken():
    doc = doc_with("It flies Black Hawk and Apache Longbow helicopters.", [("Black Hawk", "MILITARY_PLATFORM")])
    matches = [span(doc, "Apache", "MILITARY_PLATFORM"), span(doc, "Apache Longbow", "MILITARY_PLATFORM")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    assert texts(relabel(coordinated_names=True)(doc.ents, matches)) == [
        ("Black Hawk", "MILITARY_PLATFORM"),
        ("Apache Longbow", "MILITARY_PLATFORM"),
    ]


def test_an_ambiguous_alias_only_relabels_an_entity_with_its_exact_boundaries():
    doc = doc_with("The Patriot battery near Tiger Hill fired.", [("Patriot battery", "WEAPON"), ("Tiger", "PERSON")])
    matches = [span(doc, "Patriot", "WEAPON"), span(doc, "Tiger", "MILITARY_PLATFORM")]
    assert texts(relabel_known_entities(doc.ents, matches)) == [
        ("Patriot battery", "WEAPON"),
        ("Tiger", "MILITARY_PLATFORM"),
    ]


def test_an_ambiguous_alias_relabels_only_the_configured_labels_so_a_place_the_ner_saw_stays_one():
    doc = doc_with("Canberra sent the Gepard guns.", [("Canberra", "LOCATION"), ("Gepard", "WEAPON")])
    matches = [span(doc, "Canberra", "MILITARY_PLATFORM"), span(doc, "Gepard", "MILITARY_PLATFORM")]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")(relabel=["WEAPON", "MILITARY_PLATFORM"])
    assert texts(relabel(doc.ents, matches)) == [("Canberra", "LOCATION"), ("Gepard", "MILITARY_PLATFORM")]
    assert texts(relabel_known_entities(doc.ents, matches)) == [
        ("Canberra", "MILITARY_PLATFORM"),
        ("Gepard", "MILITARY_PLATFORM"),
    ]


def test_an_ambiguous_alias_trims_the_generic_words_after_it_where_configured():
    doc = doc_with(
        "Lancet kamikaze drones hit the Anzac-class frigates, and Tiger moths flew.",
        [("Lancet kamikaze drones", "WEAPON"), ("Anzac-class", "MILITARY_PLATFORM"), ("Tiger moths", "PERSON")],
    )
    matches = [
        span(doc, "Lancet", "WEAPON", "weapon:lancet"),
        span(doc, "Anzac", "MILITARY_PLATFORM"),
        span(doc, "Tiger", "MILITARY_PLATFORM"),
    ]
    relabel = ["WEAPON", "MILITARY_PLATFORM"]
    trimmed = relabel_known_entities(doc.ents, matches, relabel=relabel, trim_generic_words=True)
    assert texts(trimmed) == [
        ("Lancet", "WEAPON"),  # the annotation convention: "[Lancet] kamikaze drones"
        ("Anzac-class", "MILITARY_PLATFORM"),  # a word joined to the alias is part of the name
        ("Tiger moths", "PERSON"),  # the ner saw no defence type: the alias is not read
    ]
    assert trimmed[0].id_ == "weapon:lancet"
    assert texts(relabel_known_entities(doc.ents, matches, relabel=relabel)) == texts(doc.ents)


def test_an_ambiguous_alias_takes_the_label_of_a_designated_system_of_its_family_where_configured():
    nlp = spacy.blank("en")
    words = "The Akash - NG flew . Akash is in service . Hobart - class ships sailed to Hobart".split()
    joined = {1, 2, 11, 12}  # "Akash-NG", "Hobart-class"
    spaces = [i not in joined for i in range(len(words))]

    def run(**config):
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        doc.ents = [
            Span(doc, 1, 4, "WEAPON"),
            Span(doc, 6, 7, "ORGANISATION"),
            Span(doc, 11, 14, "MILITARY_PLATFORM"),
            Span(doc, 17, 18, "LOCATION"),
        ]
        # "Akash-NG" and "Hobart-class" are sure aliases of other records than the ambiguous "Akash" and "Hobart".
        doc.spans["knowledge"] = [
            Span(doc, 1, 4, "WEAPON", span_id="weapon:akash-ng"),
            Span(doc, 11, 14, "MILITARY_PLATFORM", span_id="class:hobart"),
        ]
        doc.spans["knowledge_ambiguous"] = [
            Span(doc, 1, 2, "WEAPON", span_id="weapon:akash"),
            Span(doc, 6, 7, "WEAPON", span_id="weapon:akash"),
            Span(doc, 17, 18, "MILITARY_PLATFORM", span_id="ship:hmas-hobart"),
        ]
        component = nlp.add_pipe("consistency", name=str(config), config=config)
        return [(e.start, e.label_) for e in component(doc).ents]

    configured = {"relabel_unsure": False, "ambiguous_spans_keys": ["knowledge_ambiguous"]}
    assert run(**configured, designation_families=True) == [
        (1, "WEAPON"),
        (6, "WEAPON"),  # "Akash-NG" ... "Akash": the ner's organisation corrected
        (11, "MILITARY_PLATFORM"),
        (17, "LOCATION"),  # "-class" is no designation: the city stays one
    ]
    assert run(**configured) == [(1, "WEAPON"), (6, "ORGANISATION"), (11, "MILITARY_PLATFORM"), (17, "LOCATION")]


@pytest.mark.parametrize(
    "name, alias, designated",
    [
        ("Akash-NG", "Akash", True),
        ("Leopard 2A7", "Leopard", True),
        ("Patriot PAC-3 MSE", "Patriot", True),
        ("Hobart-class", "Hobart", False),
        ("Tiger Hill", "Tiger", False),
        ("Akash", "Akash", False),
        ("Akashdeep-1", "Akash", False),
    ],
)
def test_a_designation_after_an_alias_is_a_word_with_a_digit_or_of_capitals(name, alias, designated):
    assert is_designated(name, alias) is designated


def consistent(text, ents, sure=(), **config):
    nlp = spacy.blank("en")
    component = nlp.add_pipe("consistency", config=config)
    doc = doc_with(text, ents)
    doc.spans["knowledge"] = [span(doc, t, label) for t, label in sure]
    return texts(component(doc).ents)


def test_a_ships_bare_name_after_its_introduction_takes_the_ships_label():
    text = "USS Carl Vinson sailed. Later Carl Vinson and Carl Vinson's escorts returned."
    assert consistent(text, [("USS Carl Vinson", "MILITARY_PLATFORM"), ("Vinson and", "PERSON")]) == [
        ("USS Carl Vinson", "MILITARY_PLATFORM"),
        ("Vinson and", "PERSON"),
        ("Carl Vinson", "MILITARY_PLATFORM"),
    ]


def test_a_ships_surname_and_its_bare_name_read_as_a_person_are_the_ship_where_configured():
    nlp = spacy.blank("en")
    words = (
        "USS Thomas Hudner sailed with HMS Prince of Wales . Hudner and Thomas Hudner met Wales . "
        "Admiral Smith spoke ; Hudner left ."
    ).split()

    def run(**config):
        doc = Doc(nlp.vocab, words=words)
        ner = [(0, 3, "MILITARY_PLATFORM"), (5, 9, "MILITARY_PLATFORM"), (12, 14, "PERSON"), (15, 16, "LOCATION")]
        doc.ents = [Span(doc, start, end, label) for start, end, label in ner + [(17, 19, "PERSON")]]
        component = nlp.add_pipe("consistency", name=str(config), config={"relabel_unsure": False, **config})
        return [(e.text, e.label_) for e in component(doc).ents]

    assert run(ship_surnames=True, ship_names_over_persons=True) == [
        ("USS Thomas Hudner", "MILITARY_PLATFORM"),
        ("HMS Prince of Wales", "MILITARY_PLATFORM"),
        ("Hudner", "MILITARY_PLATFORM"),  # the surname of a ship named for a person
        ("Thomas Hudner", "MILITARY_PLATFORM"),  # the bare name the ner read as a person
        ("Wales", "LOCATION"),  # "Prince of Wales" is no person's name: it gives no surname
        ("Admiral Smith", "PERSON"),
        ("Hudner", "MILITARY_PLATFORM"),
    ]
    without_surnames = run(ship_names_over_persons=True)
    assert ("Hudner", "MILITARY_PLATFORM") not in without_surnames
    assert ("Thomas Hudner", "MILITARY_PLATFORM") in without_surnames
    assert ("Thomas Hudner", "PERSON") in run(ship_surnames=True)


def test_an_operations_bare_name_after_its_word_is_the_operation_only_where_configured():
    text = "Operation Sindoor began. Sindoor hit nine sites, said Exercise Pitch Black's planners of Pitch Black."
    ents = [("Operation Sindoor", "OPERATION"), ("Exercise Pitch Black", "OPERATION"), ("Pitch Black.", "LOCATION")]
    sure = [("Operation Sindoor", "OPERATION"), ("Exercise Pitch Black", "OPERATION")]
    assert consistent(text, ents, sure, operation_prefixes=["Operation", "Exercise"]) == [
        ("Operation Sindoor", "OPERATION"),
        ("Sindoor", "OPERATION"),
        ("Exercise Pitch Black", "OPERATION"),
        ("Pitch Black.", "LOCATION"),  # other boundaries than the name's: left as the ner gave it
    ]
    assert consistent(text, ents, sure) == texts(doc_with(text, ents).ents)  # pipelines saved before the setting


def test_without_relabel_unsure_only_a_sure_name_relabels_what_the_ner_labelled_otherwise():
    nlp = spacy.blank("en")

    def run(**config):
        doc = nlp("HRW said so . HRW studied it . Shahed drones came ; the Shahed fell .")
        labels = {0: "PERSON", 4: "ORGANISATION", 8: "WEAPON", 13: "MILITARY_PLATFORM"}
        doc.ents = [Span(doc, i, i + 1, label=label) for i, label in labels.items()]
        doc.spans["knowledge"] = [Span(doc, 8, 9, label="WEAPON")]  # the knowledge base's match: sure
        return [(e.start, e.label_) for e in nlp.add_pipe("consistency", name=str(config), config=config)(doc).ents]

    # "HRW" only the ner gave: its mentions keep their labels. "Shahed", sure, relabels its other mention.
    assert run(relabel_unsure=False) == [(0, "PERSON"), (4, "ORGANISATION"), (8, "WEAPON"), (13, "WEAPON")]
    assert run(relabel_unsure=True)[:2] == [(0, "PERSON"), (4, "PERSON")]


def test_a_name_takes_the_label_of_its_surest_mention_everywhere():
    text = "Shahed drones hit Odesa. The Shahed-136 strikes went on; Shahed-136 debris fell."
    ents = [("Shahed-136", "LOCATION")]
    result = consistent(text + " Shahed-136 again.", ents + [], sure=[])
    assert ("Shahed-136", "LOCATION") in result  # no sure mention: the first label spreads
    doc_ents = [("Odesa", "LOCATION")]
    sure = consistent("Odesa saw Shahed-136 drones. Shahed-136 again.", doc_ents, sure=[])
    assert sure == [("Odesa", "LOCATION")]  # Odesa is not a spreading label; nothing else was labelled


def test_sure_knowledge_mentions_win_over_earlier_ner_labels():
    text = "Akash-NG was tested. Akash-NG will enter service."
    nlp = spacy.blank("en")
    component = nlp.add_pipe("consistency")
    doc = nlp(text)
    first, second = Span(doc, 0, 3, label="LOCATION"), Span(doc, 6, 9, label="WEAPON")
    doc.ents = [first, second]
    doc.spans["knowledge"] = [Span(doc, 6, 9, label="WEAPON")]
    assert texts(component(doc).ents) == [("Akash-NG", "WEAPON"), ("Akash-NG", "WEAPON")]


def test_a_known_systems_ambiguous_alias_takes_its_label_where_the_document_names_the_system_surely():
    nlp = spacy.blank("en")
    words = (
        "Russia fired a Kh-47M2 Kinzhal . Crews downed the Kinzhal ; a Kinzhal fell . "
        "MIM-104 Patriot Battalion and Patriot left"
    ).split()

    def run(**config):
        doc = Doc(nlp.vocab, words=words)
        kinzhal, patriot = "weapon:kinzhal", "weapon:patriot"
        ner = [(3, 5, "WEAPON"), (9, 10, "LOCATION"), (15, 18, "ORGANISATION"), (19, 20, "ORGANISATION")]
        doc.ents = [Span(doc, start, end, label) for start, end, label in ner]
        # The sure aliases: "Kh-47M2 Kinzhal" is an entity; "MIM-104" gave way to the battalion's name.
        doc.spans["knowledge"] = [
            Span(doc, 3, 5, "WEAPON", span_id=kinzhal),
            Span(doc, 15, 16, "WEAPON", span_id=patriot),
        ]
        ambiguous = [(4, kinzhal), (9, kinzhal), (12, kinzhal), (16, patriot), (19, patriot)]
        doc.spans["knowledge_ambiguous"] = [Span(doc, i, i + 1, "WEAPON", span_id=record) for i, record in ambiguous]
        return [(e.start, e.label_) for e in nlp.add_pipe("consistency", name=str(config), config=config)(doc).ents]

    assert run(relabel_unsure=False, ambiguous_spans_keys=["knowledge_ambiguous"]) == [
        (3, "WEAPON"),
        (9, "WEAPON"),  # the ner's place corrected: the document has named the missile
        (12, "WEAPON"),  # an uncovered mention added
        (15, "ORGANISATION"),
        (19, "ORGANISATION"),  # Patriot's only sure alias is not an entity: the ner's label stays
    ]
    assert run(relabel_unsure=False) == [(3, "WEAPON"), (9, "LOCATION"), (15, "ORGANISATION"), (19, "ORGANISATION")]


def test_a_persons_surname_and_an_abbreviation_carry_their_full_forms_label():
    text = "Rear Admiral Jane Doe of the Indian Air Force (IAF) spoke. Doe said the IAF is ready."
    result = consistent(text, [("Rear Admiral Jane Doe", "PERSON"), ("Indian Air Force", "ORGANISATION")])
    assert result == [
        ("Rear Admiral Jane Doe", "PERSON"),
        ("Indian Air Force", "ORGANISATION"),
        ("IAF", "ORGANISATION"),
        ("Doe", "PERSON"),
        ("IAF", "ORGANISATION"),
    ]


def test_a_persons_surname_is_no_generational_suffix_or_title():
    text = "President Ferdinand Marcos Jr. met Chief of Staff Adm. Jo Lim. Marcos said Adm. Lim and Jr. staff agreed."
    result = consistent(text, [("President Ferdinand Marcos Jr.", "PERSON"), ("Chief of Staff Adm.", "PERSON")])
    assert result == [
        ("President Ferdinand Marcos Jr.", "PERSON"),
        ("Chief of Staff Adm.", "PERSON"),  # the ner's cut: it names no one, so "Adm." spreads nowhere
        ("Marcos", "PERSON"),  # the surname is the word before "Jr.", which spreads nowhere either
    ]
    text = "Lt Gen Ann Roe and King Charles III met the Chief of Staff Admiral. Gen, Charles and Admiral left."
    ents = [("Lt Gen", "PERSON"), ("King Charles III", "PERSON"), ("Chief of Staff Admiral", "PERSON")]
    assert consistent(text, ents) == ents  # titles without a period and a monarch give no surname


def test_a_names_initials_take_its_label_only_where_configured():
    text = "Human Rights Watch and Lama Fakih spoke. HRW said LF and HRW staff left."
    ents = [("Human Rights Watch", "ORGANISATION"), ("Lama Fakih", "PERSON"), ("HRW", "PERSON")]
    assert consistent(text, ents, relabel_unsure=False, initials=True) == [
        ("Human Rights Watch", "ORGANISATION"),
        ("Lama Fakih", "PERSON"),
        ("HRW", "ORGANISATION"),  # the ner's label corrected: initials are read from their name
        ("HRW", "ORGANISATION"),  # an uncovered mention added; two words give no initials: "LF" stays out
    ]
    assert consistent(text, ents, relabel_unsure=False) == [
        ("Human Rights Watch", "ORGANISATION"),
        ("Lama Fakih", "PERSON"),
        ("HRW", "PERSON"),
        ("HRW", "PERSON"),  # the ner's person spreads as persons do
    ]


def test_the_knowledge_rulers_find_known_aliases_from_the_knowledge_base(tmp_path):
    records = [
        {"id": "weapon:s-400", "name": "S-400", "aliases": ["S-400 Triumf", "SA-21 Growler", "S-400 missiles"],
         "label": "WEAPON", "class": "surface-to-air missile system", "country": "RU", "ambiguous": False},
        {"id": "weapon:patriot", "name": "Patriot", "aliases": ["MIM-104 Patriot"],
         "label": "WEAPON", "class": "surface-to-air missile system", "country": "US", "ambiguous": True},
        {"id": "op:rimpac", "name": "RIMPAC", "aliases": ["RIMPAC exercise"],
         "label": "OPERATION", "class": "military exercise", "country": "multinational", "ambiguous": False},
    ]  # fmt: skip
    knowledge_base_at(tmp_path, records)
    nlp = spacy.blank("en")
    for name, ambiguous, merge in (
        ("knowledge", False, "defence_ner.merge_knowledge_matches.v1"),
        ("knowledge_ambiguous", True, "defence_ner.relabel_known_entities.v1"),
    ):
        ruler = nlp.add_pipe(
            "text_span_ruler",
            name=name,
            config={"spans_key": name, "annotate_ents": True, "overwrite": False, "ents_filter": {"@misc": merge}},
        )
        patterns = knowledge_patterns(str(tmp_path), ambiguous, exercises_in_context=True, exercise_years=[2020, 2030])
        ruler.initialize(lambda: [], nlp=nlp, patterns=patterns)
    doc = nlp("The SA-21 Growler and MIM-104 Patriot batteries joined RIMPAC 2024 while Patriot fans watched.")
    assert texts(doc.ents) == [("SA-21 Growler", "WEAPON"), ("MIM-104 Patriot", "WEAPON"), ("RIMPAC 2024", "OPERATION")]
    assert [s.id_ for s in doc.ents] == ["weapon:s-400", "weapon:patriot", "op:rimpac"]
    assert texts(doc.spans["knowledge_ambiguous"]) == [("Patriot", "WEAPON")] * 2  # kept as matches, not as entities
    sure = [p["pattern"] for p in knowledge_patterns(str(tmp_path), False, True, [2020, 2030])]
    # Phrase patterns only: the PhraseMatcher's time does not grow with its patterns, the Matcher's does.
    assert all(isinstance(pattern, str) for pattern in sure)
    assert {"S-400", "S-400 Triumf", "SA-21 Growler", "MIM-104 Patriot", "RIMPAC"} < set(sure)
    assert {"RIMPAC 2020", "RIMPAC-2030", "RIMPAC exercise", "RIMPAC Exercise", "RIMPAC DRILLS"} < set(sure)
    assert "RIMPAC 2031" not in sure and "RIMPAC 2019" not in sure
    # Two digits only joined (spaced, the knowledge merge takes an edition in), never after an alias's own word for
    # an exercise.
    assert {"RIMPAC-20", "RIMPAC-30"} < set(sure)
    assert not {"RIMPAC 24", "RIMPAC-19", "RIMPAC-31", "RIMPAC exercise-24"} & set(sure)
    assert knowledge_patterns(str(tmp_path), False) == knowledge_patterns(str(tmp_path), False, False, [2020, 2030])
    with pytest.raises(ValueError, match="exercise_years"):
        knowledge_patterns(str(tmp_path), False, exercises_in_context=True)


def test_an_ambiguous_records_name_with_a_designation_joined_to_it_is_sure(tmp_path):
    records = [
        {"id": "weapon:roadrunner", "name": "Roadrunner", "aliases": ["Roadrunner-M", "Anduril Roadrunner"],
         "label": "WEAPON", "class": "surface-to-air missile system", "country": "US", "ambiguous": True},
        {"id": "weapon:hatf", "name": "Ghaznavi", "aliases": ["Hatf-III", "Ghaznavi missile"],
         "label": "WEAPON", "class": "ballistic missile", "country": "PK", "ambiguous": True},
        {"id": "weapon:scud", "name": "Scud", "aliases": ["Scud-B"],
         "label": "WEAPON", "class": "ballistic missile", "country": "RU", "ambiguous": True},
        {"id": "weapon:hwasong-5", "name": "Hwasong-5", "aliases": ["Scud-B"],
         "label": "WEAPON", "class": "ballistic missile", "country": "KP", "ambiguous": True},
    ]  # fmt: skip
    knowledge_base_at(tmp_path, records)
    sure = {p["pattern"] for p in knowledge_patterns(str(tmp_path), False)}
    unsure = {p["pattern"] for p in knowledge_patterns(str(tmp_path), True)}
    assert {"Roadrunner-M", "Hatf-III"} <= sure  # a hyphen and capitals (a Roman numeral is capitals too)
    assert {"Roadrunner", "Anduril Roadrunner", "Ghaznavi"} <= unsure and not {"Roadrunner-M", "Hatf-III"} & unsure
    assert "Scud-B" in unsure and "Scud-B" not in sure  # two records write it: which one is the context's call


def test_an_ambiguous_exercise_name_is_sure_before_a_year_or_a_word_for_an_exercise_which_stays_out(tmp_path):
    records = [
        {"id": "op:zapad", "name": "Exercise Zapad", "aliases": ["Zapad", "Zapad exercise"],
         "label": "OPERATION", "class": "military exercise", "country": "RU", "ambiguous": True},
    ]  # fmt: skip
    knowledge_base_at(tmp_path, records)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe(
        "text_span_ruler",
        name="knowledge",
        config={
            "spans_key": "knowledge",
            "annotate_ents": True,
            "overwrite": False,
            "ents_filter": {"@misc": "defence_ner.merge_knowledge_matches.v1"},
            "spans_filter": {"@misc": "defence_ner.trim_exercise_words.v1"},
        },
    )
    ruler.initialize(lambda: [], nlp=nlp, patterns=knowledge_patterns(str(tmp_path), False, True, [2020, 2030]))
    doc = nlp("Zapad-2025 followed Zapad 2021. The Zapad drills began; Zapad means west.")
    expected = [("Zapad-2025", "OPERATION"), ("Zapad 2021", "OPERATION"), ("Zapad", "OPERATION")]
    assert texts(doc.ents) == expected
    # A two-digit edition joined by a hyphen is one token, which no merge can extend: it is a pattern of its own.
    assert texts(nlp("Zapad-25 and Zapad-21 ended; Zapad-19 did not").ents) == [
        ("Zapad-25", "OPERATION"),
        ("Zapad-21", "OPERATION"),
    ]
    assert texts(doc.spans["knowledge"]) == expected  # the sure mentions the consistency component reads
    assert {s.id_ for s in doc.ents} == {"op:zapad"}
    assert doc[doc.ents[2].start - 1].text == "The"  # the bare "Zapad" of "Zapad means" stays ambiguous


def test_an_exercise_name_in_capitals_is_also_found_in_title_case_unless_another_record_has_it(tmp_path):
    records = [
        {"id": "op:rimpac", "name": "RIMPAC", "aliases": ["RIMPAC exercise"],
         "label": "OPERATION", "class": "military exercise", "country": "multinational", "ambiguous": False},
        {"id": "op:exercise-efes", "name": "Exercise EFES", "aliases": ["EFES"],
         "label": "OPERATION", "class": "military exercise", "country": "TR", "ambiguous": True},
        {"id": "op:seacat", "name": "SEACAT", "aliases": [],
         "label": "OPERATION", "class": "military exercise", "country": "multinational", "ambiguous": True},
        {"id": "weapon:seacat", "name": "Seacat", "aliases": [],
         "label": "WEAPON", "class": "surface-to-air missile system", "country": "GB", "ambiguous": True},
        {"id": "op:operation-nimrod", "name": "NIMROD", "aliases": [],
         "label": "OPERATION", "class": "military operation", "country": "GB", "ambiguous": False},
    ]  # fmt: skip
    knowledge_base_at(tmp_path, records)
    sure = {p["pattern"] for p in knowledge_patterns(str(tmp_path), False, True, [2020, 2030])}
    unsure = {p["pattern"] for p in knowledge_patterns(str(tmp_path), True, True, [2020, 2030])}
    assert {"Rimpac", "Rimpac 2024", "Rimpac exercise", "Efes-2024", "Efes drills"} < sure
    assert "Efes" in unsure and "Efes" not in sure  # the record's flag holds for the new form too
    # another record's name in another case, and an operation's (not an exercise's) name, are left as written
    assert not {"Seacat 2024", "Nimrod"} & sure


def test_an_exercise_name_in_title_case_is_also_found_in_capitals_without_the_patterns_in_context(tmp_path):
    records = [
        {"id": "op:cobra-gold", "name": "Cobra Gold", "aliases": ["Exercise Cobra Gold", "Cobra Gold exercise"],
         "label": "OPERATION", "class": "military exercise", "country": "multinational", "ambiguous": False},
        {"id": "op:kamandag", "name": "Kamandag", "aliases": [],
         "label": "OPERATION", "class": "military exercise", "country": "multinational", "ambiguous": True},
        {"id": "op:exercise-orion", "name": "Exercise Orion", "aliases": ["Orion"],
         "label": "OPERATION", "class": "military exercise", "country": "FR", "ambiguous": True},
        {"id": "platform:p-3-orion", "name": "P-3 Orion", "aliases": ["Orion"],
         "label": "MILITARY_PLATFORM", "class": "maritime patrol aircraft", "country": "US", "ambiguous": True},
        {"id": "op:operation-sindoor", "name": "Operation Sindoor", "aliases": ["Sindoor"],
         "label": "OPERATION", "class": "military operation", "country": "IN", "ambiguous": True},
    ]  # fmt: skip
    knowledge_base_at(tmp_path, records)
    sure = {p["pattern"] for p in knowledge_patterns(str(tmp_path), False, True, [2020, 2030])}
    unsure = {p["pattern"] for p in knowledge_patterns(str(tmp_path), True, True, [2020, 2030])}
    assert "COBRA GOLD" in sure and "KAMANDAG" in unsure  # the record's flag holds for the capitals too
    # No year or word patterns for the capitals (the merge takes an edition in after a sure match), no capitals of
    # the word for an exercise, of another record's name in any case, or of an operation's name.
    assert not {"COBRA GOLD 2024", "KAMANDAG 2024", "EXERCISE COBRA GOLD", "COBRA GOLD EXERCISE"} & (sure | unsure)
    assert not {"ORION", "SINDOOR"} & (sure | unsure)


@pytest.mark.parametrize(
    "alias, name",
    [
        ("Type 12 surface-to-ship missile", "Type 12"),
        ("K1 tanks", "K1"),
        ("MQ-9 Reaper drones", "MQ-9 Reaper"),
        ("155mm shells", "155mm shells"),  # a calibre is no designation
        ("Patriot missile", "Patriot missile"),  # no designation: the ner's and the rules' business
        ("Su-30MKI", "Su-30MKI"),
    ],
)
def test_a_designations_generic_words_are_left_out_of_its_name(alias, name):
    assert designation_name(alias) == name


def test_an_alias_of_a_designation_and_generic_words_gives_the_designation_as_an_ambiguous_alias(tmp_path):
    records = [
        kb_record(
            "weapon:type-12-ssm", "Type 12 surface-to-ship missile", ["Type 12 SSM"], "WEAPON", "anti-ship missile"
        ),
        kb_record("weapon:type-12-torpedo", "Type 12 torpedo", [], "WEAPON", "torpedo"),
        kb_record("platform:m1-abrams", "M1 Abrams", ["M1 tank"], "MILITARY_PLATFORM", "main battle tank"),
        kb_record("weapon:m1-garand", "M1 Garand", ["M1 rifle"], "WEAPON", "rifle"),
        kb_record("weapon:155mm-shell", "155mm shell", ["155mm shells"], "WEAPON", "artillery munition"),
        kb_record("weapon:kh-101", "Kh-101", ["Kh-101 cruise missile"], "WEAPON", "cruise missile"),
    ]
    knowledge_base_at(tmp_path, records)
    labels = ["WEAPON", "MILITARY_PLATFORM"]

    def patterns(ambiguous, designation_labels):
        found = knowledge_patterns(str(tmp_path), ambiguous, designation_labels=designation_labels)
        return {(p["pattern"], p["label"], p["id"]) for p in found}

    assert {pattern for pattern, _, _ in patterns(False, labels)} == {
        "Type 12 SSM",
        "M1 Abrams",
        "M1 Garand",
        "155mm shell",
        "155mm shells",
        "Kh-101",  # "Kh-101 cruise missile" is its alias and generic words: no pattern, with or without the setting
    }
    # "Type 12" is one label's; "M1" names a tank and a rifle, so no pattern: the ner decides alone.
    assert patterns(True, labels) == {("Type 12", "WEAPON", "weapon:type-12-ssm")}
    assert {"Type 12 surface-to-ship missile", "M1 tank"} <= {pattern for pattern, _, _ in patterns(False, None)}
    assert patterns(True, None) == set()


@pytest.mark.parametrize(
    "alias, spellings",
    [
        ("Su-35", ["SU-35", "Su 35", "SU 35", "Su35", "SU35"]),
        ("Leopard 2A7", ["Leopard-2A7"]),  # no "Leopard2A7": a word is not joined to its number
        ("K9", ["K-9"]),  # no "K 9": one letter and one digit are not spaced
        ("Buk-M3", ["Buk M3"]),
        (
            "Su-30MKI",
            [
                "SU-30MKI",
                "Su-30 MKI",
                "SU-30 MKI",
                "Su 30MKI",
                "SU 30MKI",
                "Su 30 MKI",
                "SU 30 MKI",
                "Su30MKI",
                "SU30MKI",
                "Su30 MKI",
                "SU30 MKI",
            ],
        ),
        ("A-29 Super Tucano", ["A29 Super Tucano"]),  # no "A 29": "A 29-year-old"
        ("MiG-29", ["Mig-29", "MIG-29", "MiG 29", "Mig 29", "MIG 29", "MiG29", "Mig29", "MIG29"]),
        ("BrahMos", ["Brahmos", "BRAHMOS"]),
        ("2S19 Msta-S", []),
        ("Storm Shadow", []),
    ],
)
def test_a_designation_is_spelled_with_a_hyphen_a_space_or_nothing_where_news_does(alias, spellings):
    assert designation_spellings(alias) == spellings


def test_an_alias_of_a_spelling_label_matches_its_other_spellings_unless_a_record_writes_them(tmp_path):
    records = [
        kb_record("platform:su-35", "Su-35", [], "MILITARY_PLATFORM", "fighter aircraft"),
        kb_record("weapon:buk-m3", "Buk-M3", [], "WEAPON", "surface-to-air missile system"),
        kb_record("weapon:kh-35", "Kh-35", ["Kh35"], "WEAPON", "anti-ship missile"),
        kb_record("weapon:kh35-other", "Kh 35", [], "WEAPON", "anti-ship missile"),
        kb_record("org:unit-35", "Unit-35", [], "ORGANISATION", "military unit"),
        kb_record("weapon:brahmos", "BrahMos", [], "WEAPON", "cruise missile"),
    ]
    knowledge_base_at(tmp_path, records)

    def patterns(spelling_labels):
        found = knowledge_patterns(str(tmp_path), False, spelling_labels=spelling_labels)
        return {(p["pattern"], p["id"]) for p in found}

    assert patterns(["WEAPON", "MILITARY_PLATFORM"]) == {
        ("Su-35", "platform:su-35"),
        *{(spelling, "platform:su-35") for spelling in ["SU-35", "Su 35", "SU 35", "Su35", "SU35"]},
        ("Buk-M3", "weapon:buk-m3"),
        ("Buk M3", "weapon:buk-m3"),
        # Each Kh-35 record writes one spelling: neither makes it again, each makes the capitals of its own.
        ("Kh-35", "weapon:kh-35"),
        ("Kh35", "weapon:kh-35"),
        ("KH-35", "weapon:kh-35"),
        ("KH35", "weapon:kh-35"),
        ("Kh 35", "weapon:kh35-other"),
        ("KH 35", "weapon:kh35-other"),
        ("Unit-35", "org:unit-35"),  # not a spelling label: no "Unit 35"
        ("BrahMos", "weapon:brahmos"),
        ("Brahmos", "weapon:brahmos"),  # its own name in another case
        ("BRAHMOS", "weapon:brahmos"),
    }
    assert patterns(None) == {
        ("Su-35", "platform:su-35"),
        ("Buk-M3", "weapon:buk-m3"),
        ("Kh-35", "weapon:kh-35"),
        ("Kh35", "weapon:kh-35"),
        ("Kh 35", "weapon:kh35-other"),
        ("Unit-35", "org:unit-35"),
        ("BrahMos", "weapon:brahmos"),
    }


def test_a_name_in_capitals_of_a_spelling_label_is_an_ambiguous_alias_in_title_case(tmp_path):
    records = [
        kb_record("platform:himars", "HIMARS", ["M142 HIMARS"], "MILITARY_PLATFORM", "multiple rocket launcher"),
        kb_record("org:nato", "NATO", [], "ORGANISATION", "alliance"),
    ]
    knowledge_base_at(tmp_path, records)

    def patterns(ambiguous):
        found = knowledge_patterns(str(tmp_path), ambiguous, spelling_labels=["MILITARY_PLATFORM"])
        return {p["pattern"] for p in found}

    # "Himars" as much of the press writes it; but a name in capitals in title case may be a word ("HARM", "Harm"),
    # so the ner has to propose it. "NATO" is no spelling label's.
    assert "HIMARS" in patterns(False) and "Himars" not in patterns(False) and "Nato" not in patterns(False)
    assert patterns(True) == {"Himars"}


def test_a_name_in_title_case_of_a_spelling_label_is_an_ambiguous_alias_in_capitals_but_a_ships_bare_name(tmp_path):
    records = [
        kb_record("weapon:hammer", "Hammer", ["AASM Hammer", "Hammer-2"], "WEAPON", "guided bomb"),
        kb_record("ship:ins-kolkata", "INS Kolkata", ["Kolkata"], "MILITARY_PLATFORM", "destroyer"),
        kb_record("org:boeing", "Boeing", [], "ORGANISATION", "defence company"),
    ]
    knowledge_base_at(tmp_path, records)

    def patterns(ambiguous):
        found = knowledge_patterns(str(tmp_path), ambiguous, spelling_labels=["WEAPON", "MILITARY_PLATFORM"])
        return {p["pattern"] for p in found}

    # Indian and US releases write "HAMMER", "AASM HAMMER"; a name with a digit has its own spellings. A dateline
    # writes a city in capitals ("KOLKATA, March 3"), so a named ship's bare name is not made; with its prefix it is
    # sure. "Boeing" is no spelling label's.
    assert patterns(True) == {"HAMMER", "AASM HAMMER"}
    assert "INS KOLKATA" in patterns(False) and "KOLKATA" not in patterns(False) | patterns(True)
    assert "BOEING" not in patterns(False) | patterns(True)


def test_a_name_of_several_words_of_a_plural_label_matches_its_plural_but_a_named_ships(tmp_path):
    records = [
        kb_record("weapon:nsm", "Naval Strike Missile", ["NSM"], "WEAPON", "anti-ship missile"),
        kb_record("platform:super-hornet", "F/A-18E Super Hornet", ["Super Hornet"], "MILITARY_PLATFORM", "fighter"),
        {**kb_record("class:arleigh-burke", "Arleigh Burke", [], "MILITARY_PLATFORM", "destroyer"), "ambiguous": True},
        kb_record("ship:uss-george-washington", "USS George Washington", [], "MILITARY_PLATFORM", "aircraft carrier"),
        kb_record("weapon:nasams", "National Advanced Surface-to-Air Missile System", [], "WEAPON", "air defence"),
        kb_record("vehicle:jltv", "Joint Light Tactical Vehicles", [], "MILITARY_PLATFORM", "vehicle"),
        kb_record("org:gdls", "General Dynamics Land System", [], "ORGANISATION", "defence company"),
        kb_record("vehicle:baltic-leader", "MV Baltic Leader", ["Baltic Leader"], "MILITARY_PLATFORM", "cargo ship"),
        kb_record("weapon:harpoon", "Harpoon", [], "WEAPON", "anti-ship missile"),
        kb_record("weapon:red-hawk", "Red Hawk", [], "WEAPON", "missile"),
        kb_record("platform:red-hawks", "Red Hawks", [], "MILITARY_PLATFORM", "aerobatic team aircraft"),
    ]
    knowledge_base_at(tmp_path, records)

    def patterns(ambiguous, plural_labels):
        found = knowledge_patterns(str(tmp_path), ambiguous, plural_labels=plural_labels)
        return {p["pattern"] for p in found}

    sure = patterns(False, ["WEAPON", "MILITARY_PLATFORM"])
    assert {"Naval Strike Missiles", "F/A-18E Super Hornets", "Super Hornets"} <= sure
    assert "National Advanced Surface-to-Air Missile Systems" in sure
    assert "Arleigh Burkes" in patterns(True, ["MILITARY_PLATFORM"])  # as ambiguous as the name
    # a named ship's or boat's name has no plural, a name already plural none, one word none, nor another label's
    never = {"USS George Washingtons", "Baltic Leaders", "Joint Light Tactical Vehicless", "Harpoons"}
    never.add("General Dynamics Land Systems")
    assert not never & (sure | patterns(True, ["WEAPON", "MILITARY_PLATFORM"]))
    # a plural another record writes is that record's only
    found = knowledge_patterns(str(tmp_path), False, plural_labels=["WEAPON", "MILITARY_PLATFORM"])
    assert [p["id"] for p in found if p["pattern"] == "Red Hawks"] == ["platform:red-hawks"]
    assert "Naval Strike Missiles" not in patterns(False, None)


def test_an_entity_that_is_a_sure_aliass_match_stays_as_it_is_where_configured():
    doc = doc_with(
        "EDGE showed the Shadow 25 loitering munition and a Shadow 4 drone.",
        [("Shadow 25", "WEAPON"), ("Shadow 4", "WEAPON")],
    )
    doc.spans["knowledge"] = [span(doc, "Shadow 25", "WEAPON", "weapon:shadow-25")]
    shadows = [
        Span(doc, e.start, e.start + 1, label="MILITARY_PLATFORM", span_id="platform:rq-7-shadow") for e in doc.ents
    ]
    relabel = spacy.registry.misc.get("defence_ner.relabel_known_entities.v1")
    editions = {"relabel": ["WEAPON", "MILITARY_PLATFORM"], "edition_labels": ["MILITARY_PLATFORM"]}
    # the sure record's name keeps its label; the ambiguous alias's edition that no sure alias names takes the alias's
    assert texts(relabel(**editions, sure_spans_keys=["knowledge"])(doc.ents, shadows)) == [
        ("Shadow 25", "WEAPON"),
        ("Shadow 4", "MILITARY_PLATFORM"),
    ]
    assert texts(relabel(**editions)(doc.ents, shadows)) == [  # off unless configured
        ("Shadow 25", "MILITARY_PLATFORM"),
        ("Shadow 4", "MILITARY_PLATFORM"),
    ]


def test_an_entity_of_the_configured_labels_ends_before_of_and_a_known_name_of_another_label():
    doc = doc_with(
        "A sale to the Government of Poland of AIM-120D-3 missiles by the Ministry of Defence of Poland.",
        [("the Government of Poland of AIM-120D-3", "ORGANISATION"), ("Ministry of Defence of Poland", "ORGANISATION")],
    )
    known = [span(doc, "AIM-120D-3", "WEAPON", "weapon:aim-120-amraam")]
    merged = merge_knowledge_matches(doc.ents, known, end_before_of_names=["ORGANISATION"])
    assert texts(merged) == [
        ("the Government of Poland", "ORGANISATION"),
        ("AIM-120D-3", "WEAPON"),
        ("Ministry of Defence of Poland", "ORGANISATION"),
    ]
    # off unless configured: the organisation runs on with a name past the match, which gives way
    assert texts(merge_knowledge_matches(doc.ents, known)) == texts(doc.ents)
    # a match of the organisation's own label after "of" cuts nothing
    poland = [span(doc, "Defence of Poland", "ORGANISATION", "org:polish-defence")]
    assert texts(merge_knowledge_matches(doc.ents, poland, end_before_of_names=["ORGANISATION"])) == texts(doc.ents)
    # nor does a match the organisation runs on past with a name: a longer name, which the match gives way to
    program = doc_with(
        "the Government of Poland of AIM-120D-3 Program Office said",
        [("the Government of Poland of AIM-120D-3 Program Office", "ORGANISATION")],
    )
    amraam = [span(program, "AIM-120D-3", "WEAPON", "weapon:aim-120-amraam")]
    merged = merge_knowledge_matches(program.ents, amraam, end_before_of_names=["ORGANISATION"])
    assert texts(merged) == texts(program.ents)
    # and an organisation keeps its "of" where the match gives way to another entity that runs on past it
    office = doc_with(
        "the Government of Poland of AIM-120D-3 Advanced Program Office said",
        [("the Government of Poland of AIM-120D-3", "ORGANISATION"), ("Advanced Program Office", "ORGANISATION")],
    )
    longer = [span(office, "AIM-120D-3 Advanced", "WEAPON", "weapon:aim-120-amraam")]
    assert texts(merge_knowledge_matches(office.ents, longer, end_before_of_names=["ORGANISATION"])) == texts(
        office.ents
    )


def test_drones_are_weapons_in_a_document_about_attack_drones_where_configured():
    nlp = spacy.blank("en")

    def run(words, ner, **config):
        doc = Doc(nlp.vocab, words=words.split())
        doc.ents = [Span(doc, start, end, label) for start, end, label in ner]
        component = nlp.add_pipe("consistency", name=f"c{len(nlp.pipe_names)}", config=config)
        return [(e.text, e.label_) for e in component(doc).ents]

    attack = (
        "Shahed drones and Lancet drones hit , an Orlan-10 drone watched ; the drones , UAVs , sea drones , naval "
        "drones and reconnaissance drones flew"
    )
    ner = [(0, 1, "WEAPON"), (3, 4, "WEAPON"), (8, 9, "MILITARY_PLATFORM"), (12, 14, "MILITARY_PLATFORM")]
    ner += [(15, 16, "MILITARY_PLATFORM"), (17, 19, "MILITARY_PLATFORM"), (21, 22, "MILITARY_PLATFORM")]
    ner.append((23, 25, "MILITARY_PLATFORM"))
    assert run(attack, ner, attack_drone_documents=True)[3:] == [
        ("the drones", "WEAPON"),  # two weapon drone names to one platform's: the document's drones are weapons
        ("UAVs", "WEAPON"),
        ("sea drones", "MILITARY_PLATFORM"),  # a sea drone may be a platform whatever the document
        ("drones", "MILITARY_PLATFORM"),  # "naval" before it makes it a sea drone too
        ("reconnaissance drones", "MILITARY_PLATFORM"),  # a reconnaissance drone is reused
    ]
    assert run(attack, ner)[3] == ("the drones", "MILITARY_PLATFORM")  # off unless configured
    recon = "Orlan-10 drones and a Shahed drone ; the drones"
    assert run(
        recon, [(0, 1, "MILITARY_PLATFORM"), (4, 5, "WEAPON"), (7, 9, "MILITARY_PLATFORM")], attack_drone_documents=True
    )[2] == ("the drones", "MILITARY_PLATFORM")  # as many platforms: no change
