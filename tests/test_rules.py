import pytest
import spacy
import srsly
from spacy.tokens import Span

from defence_ner.experiments.components import untrained_pipeline
from defence_ner.pipeline.consistency import SHIP_PREFIXES
from defence_ner.pipeline.rules import RuleMerge
from tests.helpers import DATA_PATHS, PROJECT_DIR, ents, rules_pipeline


@pytest.fixture(scope="module")
def rules_nlp():
    return rules_pipeline()


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Report to ukmto@ukmto.org or @UK_MTO, or call +44 2392 222060.",
            [
                ("ukmto@ukmto.org", "COMMS_IDENTIFIER"),
                ("@UK_MTO", "COMMS_IDENTIFIER"),
                ("+44 2392 222060", "COMMS_IDENTIFIER"),
            ],
        ),
        ("Call 910-432-3383 today.", [("910-432-3383", "COMMS_IDENTIFIER")]),
        (
            "Guard on 121.5MHz and 243.0 MHz, HF 8992 kHz and VHF channel 16.",
            [
                ("121.5MHz", "FREQUENCY"),
                ("243.0 MHz", "FREQUENCY"),
                ("8992 kHz", "FREQUENCY"),
                ("VHF channel 16", "FREQUENCY"),
            ],
        ),
        (
            "Last seen at 12°35'N 43°20'E, then 34.52N 69.17E and grid 38SMB4488.",
            [("12°35'N 43°20'E", "COORDINATE"), ("34.52N 69.17E", "COORDINATE"), ("38SMB4488", "COORDINATE")],
        ),
        # The tokenizer keeps a sentence's full stop on "20'E."; southern and western halves match too.
        (
            "The missiles fell near 41°30'N 134°10'E. The destroyer left 33°51 ' S 151°12 ' W.",
            [("41°30'N 134°10'E.", "COORDINATE"), ("33°51 ' S 151°12 ' W.", "COORDINATE")],
        ),
        # "10'S" is split by the tokenizer ("10", "'S"); a grid reference may be written in groups.
        (
            "The firing area was centred on 40°30'S 158°10'E, and the strike hit grid 37SFU 4521 8873.",
            [("40°30'S 158°10'E", "COORDINATE"), ("37SFU 4521 8873", "COORDINATE")],
        ),
        # A call sign or an MMSI number after its cue is the identifier alone; "sign" and "as" alone are no cue.
        (
            "The tanker flew as SHELL 71 and the pair used the call sign DAGGER 11; the controller, call sign "
            "NEPTUNE, heard an officer with the callsign Joker.",
            [
                ("SHELL 71", "COMMS_IDENTIFIER"),
                ("DAGGER 11", "COMMS_IDENTIFIER"),
                ("NEPTUNE", "COMMS_IDENTIFIER"),
                ("Joker", "COMMS_IDENTIFIER"),
            ],
        ),
        # A word in capitals alone after "checked in as", as the training data annotates it.
        (
            "The airborne controller checked in as DARKSTAR, and strike packages pushed.",
            [("DARKSTAR", "COMMS_IDENTIFIER")],
        ),
        # Written as one token after the same cues.
        (
            "Tankers flying as GOLD51 trailed a jet with the callsign RCH4071 and an airliner flying as LOT3904.",
            [("GOLD51", "COMMS_IDENTIFIER"), ("RCH4071", "COMMS_IDENTIFIER"), ("LOT3904", "COMMS_IDENTIFIER")],
        ),
        (
            "The vessel, MMSI 538007561, went dark; its sister ship's MMSI, 413211370, did not.",
            [("538007561", "COMMS_IDENTIFIER"), ("413211370", "COMMS_IDENTIFIER")],
        ),
        ("Finland will sign NATO accords after the jets flew as Allied Air Command asked.", []),
        (
            "Details at https://www.mod.gov.in/press and www.nato.int today.",
            [("https://www.mod.gov.in/press", "URL"), ("www.nato.int", "URL")],
        ),
        (
            "Exercise Talisman Sabre 2025 followed Operation Prosperity Guardian.",
            [("Exercise Talisman Sabre 2025", "OPERATION"), ("Operation Prosperity Guardian", "OPERATION")],
        ),
        ("Operation of the radar needs 24 hours and 300 km of cable.", []),
        # An amount with a currency's word after it; "won" only after a scale word, since it is also a verb.
        (
            "Poland will spend 10 billion zlotys and Seoul 6.1 trillion won; of the bids, 2 won and 500 pounds fell.",
            [("10 billion zlotys", "MONEY"), ("6.1 trillion won", "MONEY")],
        ),
        (
            "HMS Prince of Wales, USS Gerald R. Ford and INS Imphal escorted MV Sea Harmony.",
            [
                ("HMS Prince of Wales", "MILITARY_PLATFORM"),
                ("USS Gerald R. Ford", "MILITARY_PLATFORM"),
                ("INS Imphal", "MILITARY_PLATFORM"),
                ("MV Sea Harmony", "VEHICLE"),
            ],
        ),
        # A ship's name stops before the formation it leads and before a lower-case word.
        (
            "The USS Carl Vinson Carrier Strike Group and HNoMS Roald Amundsen sailed.",
            [("USS Carl Vinson", "MILITARY_PLATFORM"), ("HNoMS Roald Amundsen", "MILITARY_PLATFORM")],
        ),
        # A bare ship name after a class noun is the name alone; a class noun with no name after it is nothing.
        (
            "The frigate Provence shadowed the aircraft carrier Charles de Gaulle and the tanker Eagle S on Tuesday.",
            [("Provence", "MILITARY_PLATFORM"), ("Charles de Gaulle", "MILITARY_PLATFORM"), ("Eagle S", "VEHICLE")],
        ),
        ("The survey ship Yuan Wang 5 and the submarine sailed on Monday.", []),
        # A number in words with a hyphen is one count (a duration with its unit), as the training data annotates
        # counts; spaCy splits it into three tokens, which the ner, having seen none, breaks apart. A capitalised second
        # word is a name's ("Ninety-Four Citizen Airmen").
        (
            "Poland gets forty-eight K2 tanks within twenty-four hours; Ninety-Four Citizen Airmen deployed.",
            [("forty-eight", "QUANTITY"), ("twenty-four hours", "TEMPORAL")],
        ),
        # A full date is one mention with its year (and its weekday), as the training data annotates it; the ner
        # splits some at the comma. A date range the ner found whole stays whole (its entity starts before the match).
        (
            "On Thursday, Dec. 15, 2016 and on 27 March 2025, not May 2025, the ministry said.",
            [("Thursday, Dec. 15, 2016", "TEMPORAL"), ("27 March 2025", "TEMPORAL")],
        ),
        # A clock time takes in its a.m., "hours", "local time" or time zone; a score is no time.
        (
            "It ran from 8:10 a.m. CET to 1700 hours, then 02:30 local time, 0415 UTC, 11:00 and 2300Z; it ended 3:1.",
            [
                ("8:10 a.m. CET", "TEMPORAL"),
                ("1700 hours", "TEMPORAL"),
                ("02:30 local time", "TEMPORAL"),
                ("0415 UTC", "TEMPORAL"),
                ("11:00", "TEMPORAL"),
                ("2300Z", "TEMPORAL"),
            ],
        ),
        # A place's time is the time's; a sentence that starts after "p.m." is not. A range of days is one date.
        (
            "At 2:10 a.m. Iran time, 08:00 Kyiv time and 5 p.m. The night of September 9-10, 2025 was long.",
            [
                ("2:10 a.m. Iran time", "TEMPORAL"),
                ("08:00 Kyiv time", "TEMPORAL"),
                ("5 p.m.", "TEMPORAL"),
                ("September 9-10, 2025", "TEMPORAL"),
            ],
        ),
        # An amount after a currency's sign or code ends with its number and scale, as the training data annotates
        # amounts; the ner runs some on into the next word.
        (
            "Boeing won a $742,000,000 modification, Rs 19,519 crore, €1.2bn and US$ 5 million.",
            [
                ("$742,000,000", "MONEY"),
                ("Rs 19,519 crore", "MONEY"),
                ("€1.2bn", "MONEY"),
                ("US$ 5 million", "MONEY"),
            ],
        ),
        # A flight number after "flight" is a vehicle, without the cue, as the training data annotates it.
        (
            "Flight SK1465 to Oslo and Korean Air flight KE 703 were diverted.",
            [("SK1465", "VEHICLE"), ("KE 703", "VEHICLE")],
        ),
        # An exercise's two-digit edition is part of its name; after an operation a number may be a count.
        (
            "Exercise Eager Lion 16 began as Operation Midnight Hammer 14 bombers flew.",
            [("Exercise Eager Lion 16", "OPERATION"), ("Operation Midnight Hammer", "OPERATION")],
        ),
        # "Mission X" names an operation too, with its edition, as the training data annotates both of its.
        (
            "The carrier sailed under Mission Clemenceau 25 after Mission Divyastra.",
            [("Mission Clemenceau 25", "OPERATION"), ("Mission Divyastra", "OPERATION")],
        ),
        # Fishing boats' prefixes mark a civilian vessel, as a merchant ship's do.
        (
            "The coast guard boarded FV Lu Rong Yu and FB Sea Ranger.",
            [("FV Lu Rong Yu", "VEHICLE"), ("FB Sea Ranger", "VEHICLE")],
        ),
    ],
)
def test_patterns_find_their_mentions(rules_nlp, text, expected):
    assert ents(rules_nlp(text)) == expected


def test_all_matches_stay_in_the_rules_span_group(rules_nlp):
    doc = rules_nlp("Exercise Malabar on 243.0 MHz.")
    assert [(s.text, s.label_) for s in doc.spans["rules"]] == [
        ("Exercise Malabar", "OPERATION"),
        ("243.0 MHz", "FREQUENCY"),
    ]


def test_a_ship_name_after_its_class_noun_keeps_only_the_name_and_counts_only_where_configured(rules_nlp):
    doc = rules_nlp("The landing ship Minsk burned.")
    assert [(s.text, s.label_) for s in doc.spans["rules"]] == [("Minsk", "MILITARY_PLATFORM")]
    matches = [Span(doc, 1, 4, label="MILITARY_PLATFORM", span_id="ship_name_after_class_noun")]
    assert RuleMerge(names_after_class_nouns=False)([], matches) == []  # pipelines saved before it
    assert [(e.text, e.label_) for e in RuleMerge(names_after_class_nouns=True)([], matches)] == [
        ("Minsk", "MILITARY_PLATFORM")
    ]


def test_a_class_mention_the_schema_types_relabels_the_ner_entity_it_matches_and_adds_none(rules_nlp):
    doc = rules_nlp("Kamikaze drones, one-way attack drones, loitering munitions and explosive-laden boats struck.")
    matched = [(s.text, s.label_) for s in doc.spans["rules"]]
    assert matched == [
        ("Kamikaze drones", "WEAPON"),
        ("one-way attack drones", "WEAPON"),
        ("loitering munitions", "WEAPON"),
        ("loitering munitions", "WEAPON"),  # also a weapon's class mention by its head noun (the next test)
        ("munitions", "WEAPON"),
        ("explosive-laden boats", "WEAPON"),
    ]
    assert list(doc.ents) == []  # a class mention is the ner's to find
    ner = _spans(doc, (0, 2, "MILITARY_PLATFORM"), (3, 8, "MILITARY_PLATFORM"), (9, 10, "MILITARY_PLATFORM"))
    merged = RuleMerge(relabel_class_mentions=True)(ner, doc.spans["rules"])
    assert [(s.text, s.label_) for s in merged] == [
        ("Kamikaze drones", "WEAPON"),
        ("one-way attack drones", "WEAPON"),
        ("loitering", "MILITARY_PLATFORM"),  # other boundaries than the mention's: left as the ner gave it
    ]
    unchanged = RuleMerge()(ner, doc.spans["rules"])  # pipelines saved before the setting
    assert [s.label_ for s in unchanged] == ["MILITARY_PLATFORM"] * 3


def test_a_class_mention_takes_its_head_nouns_type_and_names_stay_the_ners(rules_nlp):
    doc = rules_nlp("Its fast attack craft and the tanks fired anti-ship missiles, and two Kalibr cruise missiles hit.")
    ner = _spans(
        doc,
        (1, 4, "WEAPON"),  # fast attack craft
        (5, 7, "LOCATION"),  # the tanks
        (8, 12, "MILITARY_PLATFORM"),  # anti-ship missiles
        (15, 18, "MILITARY_PLATFORM"),  # Kalibr cruise missiles: a name, the ner's and the knowledge base's to type
    )
    merged = RuleMerge(relabel_class_mentions=True)(ner, doc.spans["rules"])
    assert [(s.text, s.label_) for s in merged] == [
        ("fast attack craft", "MILITARY_PLATFORM"),
        ("the tanks", "MILITARY_PLATFORM"),
        ("anti-ship missiles", "WEAPON"),
        ("Kalibr cruise missiles", "MILITARY_PLATFORM"),
    ]
    # Head nouns are not modifiers, stop words end a mention, and a mention is found only where the ner proposes it.
    assert ("tanks fired anti-ship missiles", "WEAPON") not in [(s.text, s.label_) for s in doc.spans["rules"]]
    assert not [s for s in doc.spans["rules"] if s.text.startswith("and")]
    assert RuleMerge(relabel_class_mentions=True)([], doc.spans["rules"]) == []


def test_an_entity_the_ner_cut_inside_a_class_mention_of_its_label_is_the_mention_only_where_configured(rules_nlp):
    doc = rules_nlp(
        "No air-launched ballistic missiles, surface-to-air missiles, ship-to-shore craft, kamikaze drones or "
        "coalition warships and FPV drones flew."
    )
    words = [t.text for t in doc]
    air, surface, ship, kamikaze, coalition, fpv = (
        words.index(w) for w in ("air", "surface", "ship", "kamikaze", "coalition", "FPV")
    )
    ner = _spans(
        doc,
        (air, air + 4, "WEAPON"),  # "air-launched ballistic": the ner cut the head noun off
        (surface, surface + 5, "WEAPON"),  # "surface-to-air": "to" is a stop word, yet inside a word's hyphens
        (ship, ship + 5, "MILITARY_PLATFORM"),  # "ship-to-shore"
        (kamikaze, kamikaze + 1, "WEAPON"),
        (coalition, coalition + 1, "ORGANISATION"),  # another label than the mention's: an organisation's warships
        (fpv, fpv + 1, "WEAPON"),  # a capital: "[FPV] drones", as the training data annotates it
    )
    whole = RuleMerge(whole_class_mentions=True)(ner, doc.spans["rules"])
    assert [(s.text, s.label_) for s in whole] == [
        ("air-launched ballistic missiles", "WEAPON"),
        ("surface-to-air missiles", "WEAPON"),
        ("ship-to-shore craft", "MILITARY_PLATFORM"),
        ("kamikaze drones", "WEAPON"),
        ("coalition", "ORGANISATION"),
        ("FPV", "WEAPON"),
    ]
    # another entity over the rest of the mention: left as it is
    blocked = _spans(doc, (air, air + 4, "WEAPON"), (air + 4, air + 5, "LOCATION"))
    assert [s.text for s in RuleMerge(whole_class_mentions=True)(blocked, doc.spans["rules"])] == [
        "air-launched ballistic",
        "missiles",
    ]
    assert [s.text for s in RuleMerge()(ner, doc.spans["rules"])] == [
        "air-launched ballistic",
        "surface-to-air",
        "ship-to-shore",
        "kamikaze",
        "coalition",
        "FPV",
    ]


def test_an_entity_of_lower_case_words_loses_a_leading_indefinite_article_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("An A-10 fired a 5-inch gun, an air defence system and the missiles at a Tomahawk.")
    antonov = rules_nlp.make_doc("An 26 transports")
    words = [t.text for t in doc]
    gun, air, the, tomahawk = (words.index(w) for w in ("5", "air", "the", "Tomahawk"))
    ner = _spans(
        doc,
        (0, 2, "MILITARY_PLATFORM"),  # "An A-10": a capital, not a class mention
        (gun - 1, gun + 4, "WEAPON"),  # "a 5-inch gun": a calibre and a lower-case word
        (air - 1, air + 3, "WEAPON"),
        (the, the + 2, "WEAPON"),  # "the": inside as often as outside in the training data
        (tomahawk - 1, tomahawk + 1, "WEAPON"),
    )
    trimmed = RuleMerge(trim_indefinite_articles=True, designation_labels=["WEAPON", "MILITARY_PLATFORM"])(ner, [])
    assert [s.text for s in trimmed] == [
        "An A-10",
        "5-inch gun",
        "air defence system",
        "the missiles",
        "a Tomahawk",
    ]
    assert [s.text for s in RuleMerge(designation_labels=["WEAPON"])(ner, [])] == [s.text for s in ner]
    # the Antonov "An 26": a designation, not an article and a class mention
    an_26 = _spans(antonov, (0, 2, "MILITARY_PLATFORM"), (2, 3, "MILITARY_PLATFORM"))
    assert [s.text for s in RuleMerge(trim_indefinite_articles=True)(an_26, [])] == ["An 26", "transports"]


def test_an_entity_of_lower_case_words_loses_a_leading_quantifier_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("It fired several cruise missiles, more drones, multiple rockets and some Tomahawks.")
    words = [t.text for t in doc]
    starts = [words.index(w) for w in ("several", "more", "multiple", "some")]
    ner = _spans(doc, *((start, start + n, "WEAPON") for start, n in zip(starts, (3, 2, 2, 2))))
    trimmed = RuleMerge(trim_quantifiers=True, designation_labels=["WEAPON"])(ner, [])
    # "multiple" is inside as often as outside in the training data; a name is not a class mention
    assert [s.text for s in trimmed] == ["cruise missiles", "drones", "multiple rockets", "some Tomahawks"]
    more_than = rules_nlp.make_doc("It fired more than 100 drones.")
    kept = RuleMerge(trim_quantifiers=True, designation_labels=["WEAPON"])(_spans(more_than, (2, 6, "WEAPON")), [])
    assert [s.text for s in kept] == ["more than 100 drones"]  # a number: no class mention
    assert [s.text for s in RuleMerge(designation_labels=["WEAPON"])(ner, [])] == [s.text for s in ner]


def _spans(doc, *triples):
    return [Span(doc, start, end, label=label) for start, end, label in triples]


def test_an_entity_loses_the_quotation_marks_at_its_ends_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc('Russia fired a "Zircon" and a \u201cKinzhal\u201d, then " .')
    ner = _spans(doc, (3, 5, "WEAPON"), (8, 11, "WEAPON"), (13, 14, "WEAPON"))  # '"Zircon', the quoted Kinzhal, '"'
    assert [s.text for s in RuleMerge(trim_quotes=True)(ner, [])] == ["Zircon", "Kinzhal"]
    assert [s.text for s in RuleMerge()(ner, [])] == ['"Zircon', "\u201cKinzhal\u201d", '"']


def test_an_entity_ends_with_its_class_word_before_lower_case_words_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc(
        "A FUCHI-class fast combat supply ship, Sandown-class minehunters, Arleigh Burke-class destroyer USS Carney "
        "and a class-leading tank."
    )
    words = [t.text for t in doc]
    fuchi, sandown, burke = words.index("FUCHI"), words.index("Sandown"), words.index("Arleigh")
    tank = words.index("tank")
    ner = _spans(
        doc,
        (fuchi, fuchi + 6, "MILITARY_PLATFORM"),  # "FUCHI-class fast combat supply"
        (sandown, sandown + 4, "MILITARY_PLATFORM"),
        (burke, burke + 7, "MILITARY_PLATFORM"),  # runs on into a name: not this setting's
        (tank - 3, tank + 1, "MILITARY_PLATFORM"),  # "-class" ends no word here
    )
    ended = RuleMerge(end_at_class_words=True, designation_labels=["MILITARY_PLATFORM"])(ner, [])
    assert [s.text for s in ended] == [
        "FUCHI-class",
        "Sandown-class",
        "Arleigh Burke-class destroyer USS Carney",
        "class-leading tank",
    ]
    assert [s.text for s in RuleMerge(designation_labels=["MILITARY_PLATFORM"])(ner, [])] == [s.text for s in ner]


def test_an_entity_loses_the_sentence_punctuation_at_its_ends_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("It ended on October 29. Resolution 2254, the U.S. said ; then 44.500\n\nNext")
    ner = _spans(
        doc,
        (3, 6, "TEMPORAL"),
        (6, 9, "DOCUMENT_REFERENCE"),
        (10, 11, "ORGANISATION"),
        (12, 13, "PERSON"),
        (14, 16, "QUANTITY"),
    )
    trimmed = RuleMerge(trim_punctuation=True)(ner, [])
    assert [s.text for s in trimmed] == ["October 29", "Resolution 2254", "U.S.", "44.500"]
    untrimmed = ["October 29.", "Resolution 2254,", "U.S.", ";", "44.500\n\n"]
    assert [s.text for s in RuleMerge()(ner, [])] == untrimmed


def test_an_amount_loses_a_leading_approximation_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("For nearly 12 months , more than 200 troops and about $5m ; over Nearly")
    ner = _spans(
        doc,
        (1, 4, "TEMPORAL"),
        (5, 9, "QUANTITY"),
        (10, 14, "MONEY"),
        (15, 16, "TEMPORAL"),  # "over" alone: an approximation and nothing else, as the ner cuts "more than"
    )
    labels = ["TEMPORAL", "QUANTITY", "MONEY"]
    trimmed = RuleMerge(approximation_labels=labels)(ner, [])
    assert [s.text for s in trimmed] == ["12 months", "200 troops", "$5m", "over"]  # nothing after it: it stays
    dropped = RuleMerge(approximation_labels=labels, drop_bare_approximations=True)(ner, [])
    assert [s.text for s in dropped] == ["12 months", "200 troops", "$5m"]
    assert [s.text for s in RuleMerge()(ner, [])] == [
        "nearly 12 months",
        "more than 200 troops",
        "about $5m",
        "over",
    ]
    assert [s.text for s in RuleMerge(approximation_labels=["MONEY"])(ner, [])][:2] == [
        "nearly 12 months",
        "more than 200 troops",
    ]


def test_a_reference_loses_the_lower_case_words_at_its_ends_only_where_configured(rules_nlp):
    text = "A joint advisory AA25-239A that NAVAREA III warning 0914/25 cited and the manual said"
    doc = rules_nlp.make_doc(text)
    phrases = ["joint advisory AA25-239A that", "NAVAREA III warning 0914/25", "the manual"]
    ner = [doc.char_span(text.index(p), text.index(p) + len(p), label="DOCUMENT_REFERENCE") for p in phrases]
    ner.append(doc.char_span(2, 7, label="ORGANISATION"))  # "joint": not a reference
    trimmed = RuleMerge(reference_labels=["DOCUMENT_REFERENCE"])(ner, [])
    # lower case inside a reference stays; "the manual" is nothing else and stays whole
    assert [s.text for s in trimmed] == ["joint", "AA25-239A", "NAVAREA III warning 0914/25", "the manual"]
    assert [s.text for s in RuleMerge()(ner, [])][:2] == ["joint", "joint advisory AA25-239A that"]


def test_a_reference_loses_the_sentence_punctuation_its_lower_case_words_leave_at_its_ends(rules_nlp):
    text = "The reference, FDC NOTAM 5/8125, advised pilots."
    doc = rules_nlp.make_doc(text)
    start = text.index("FDC")
    ner = [doc.char_span(start, text.index(" pilots"), label="DOCUMENT_REFERENCE")]  # "FDC NOTAM 5/8125, advised"
    assert [s.text for s in RuleMerge(reference_labels=["DOCUMENT_REFERENCE"])(ner, [])] == ["FDC NOTAM 5/8125"]


def test_a_reference_takes_the_whole_of_a_word_it_cuts_but_no_punctuation_after_it(rules_nlp):
    text = "Transmittal No. 25-61 followed (ref AB-12/C). Then"
    doc = rules_nlp.make_doc(text)
    cut = [doc.char_span(0, len("Transmittal No. 25"), label="DOCUMENT_REFERENCE")]
    inner = text.index("AB-12")
    cut.append(doc.char_span(inner, inner + len("AB-12"), label="DOCUMENT_REFERENCE"))
    widened = RuleMerge(reference_labels=["DOCUMENT_REFERENCE"])(cut, [])
    assert [s.text for s in widened] == ["Transmittal No. 25-61", "AB-12/C"]
    assert [s.text for s in RuleMerge()(cut, [])] == ["Transmittal No. 25", "AB-12"]


def test_a_reference_stays_cut_where_the_rest_of_its_word_is_another_entity(rules_nlp):
    text = "Transmittal No. 25-61 followed"
    doc = rules_nlp.make_doc(text)
    reference = doc.char_span(0, len("Transmittal No. 25"), label="DOCUMENT_REFERENCE")
    rest = doc.char_span(len("Transmittal No. 25"), len("Transmittal No. 25-61"), label="QUANTITY")
    merged = RuleMerge(reference_labels=["DOCUMENT_REFERENCE"])([reference, rest], [])
    # widening would overlap the other entity, and doc.ents cannot hold overlapping spans
    assert [(s.text, s.label_) for s in merged] == [("Transmittal No. 25", "DOCUMENT_REFERENCE"), ("-61", "QUANTITY")]


def test_an_entity_of_the_named_labels_without_a_capital_or_digit_is_dropped_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("It held joint drills code - named Strait Thunder-2025A with 2 US and allied ships .")
    ner = _spans(doc, (2, 5, "OPERATION"), (7, 9, "OPERATION"), (10, 11, "QUANTITY"), (11, 12, "NATIONALITY"))
    ner += _spans(doc, (13, 14, "NATIONALITY"))
    named = ["OPERATION", "NATIONALITY"]
    kept = [(s.text, s.label_) for s in RuleMerge(named_labels=named)(ner, [])]
    assert kept == [("Strait Thunder-2025A", "OPERATION"), ("2", "QUANTITY"), ("US", "NATIONALITY")]
    assert len(RuleMerge()(ner, [])) == 5


def test_only_the_rules_give_the_rule_only_labels(rules_nlp):
    doc = rules_nlp.make_doc("MMSI 636022133 . Guard 121.5 MHz and 63 at www.navy.mil .")
    ner = _spans(doc, (1, 3, "FREQUENCY"), (4, 6, "QUANTITY"), (7, 8, "FREQUENCY"), (10, 11, "URL"))
    rules = _spans(doc, (4, 6, "FREQUENCY"), (9, 10, "URL"))
    merged = RuleMerge(written_forms=["FREQUENCY", "URL"], rule_only_labels=["FREQUENCY", "URL"])(ner, rules)
    assert [(s.text, s.label_) for s in merged] == [("121.5 MHz", "FREQUENCY"), ("www.navy.mil", "URL")]
    kept = RuleMerge(written_forms=["FREQUENCY", "URL"])(ner, rules)
    assert [(s.text, s.label_) for s in kept] == [
        ("636022133 .", "FREQUENCY"),
        ("121.5 MHz", "FREQUENCY"),
        ("63", "FREQUENCY"),
        ("www.navy.mil", "URL"),
        (".", "URL"),
    ]


def test_a_match_replaces_the_entities_it_contains(rules_nlp):
    doc = rules_nlp.make_doc("Operation Sindoor began on 121.5 MHz .")
    ner = _spans(doc, (1, 2, "LOCATION"), (4, 5, "QUANTITY"))
    rules = _spans(doc, (0, 2, "OPERATION"), (4, 6, "FREQUENCY"))
    assert [(s.text, s.label_) for s in RuleMerge()(ner, rules)] == [
        ("Operation Sindoor", "OPERATION"),
        ("121.5 MHz", "FREQUENCY"),
    ]


def test_a_match_inside_a_longer_entity_is_dropped(rules_nlp):
    doc = rules_nlp.make_doc("Combined Joint Task Force - Operation Inherent Resolve said")
    ner = _spans(doc, (0, 8, "ORGANISATION"))
    rules = _spans(doc, (5, 8, "OPERATION"))
    assert [(s.text, s.label_) for s in RuleMerge()(ner, rules)] == [
        ("Combined Joint Task Force - Operation Inherent Resolve", "ORGANISATION")
    ]


def test_a_match_replaces_an_entity_that_starts_with_it_and_runs_past_the_name(rules_nlp):
    doc = rules_nlp.make_doc("Operation Sindoor in May and Exercise Freedom Edge south of Jeju")
    ner = _spans(doc, (0, 3, "WEAPON"), (7, 10, "WEAPON"))  # the model's "Operation Sindoor in", "Freedom Edge south"
    rules = _spans(doc, (0, 2, "OPERATION"), (5, 8, "OPERATION"))
    assert [(s.text, s.label_) for s in RuleMerge()(ner, rules)] == [
        ("Operation Sindoor", "OPERATION"),
        ("Exercise Freedom Edge", "OPERATION"),
    ]


def test_a_match_that_an_entity_enters_from_before_is_dropped_and_a_free_one_added(rules_nlp):
    doc = rules_nlp.make_doc("the Indian Operation Sindoor saw www.nato.int")
    ner = _spans(doc, (1, 3, "NATIONALITY"))  # "Indian Operation": starts before the rule's match
    rules = _spans(doc, (2, 4, "OPERATION"), (5, 6, "URL"))
    assert [(s.text, s.label_) for s in RuleMerge()(ner, rules)] == [
        ("Indian Operation", "NATIONALITY"),
        ("www.nato.int", "URL"),
    ]


def test_a_match_that_an_entity_enters_with_lower_case_words_only_wins_only_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("the minehunter ROS Axente met the Indian Operation Sindoor")
    ner = _spans(doc, (1, 4, "MILITARY_PLATFORM"), (6, 8, "NATIONALITY"))  # "minehunter ROS Axente", "Indian Operation"
    rules = _spans(doc, (2, 4, "MILITARY_PLATFORM"), (7, 9, "OPERATION"))
    assert [(s.text, s.label_) for s in RuleMerge(lower_case_words_give_way=True)(ner, rules)] == [
        ("ROS Axente", "MILITARY_PLATFORM"),
        ("Indian Operation", "NATIONALITY"),  # a capitalised word before the match: a longer name
    ]
    assert [s.text for s in RuleMerge()(ner, rules)] == ["minehunter ROS Axente", "Indian Operation"]


def test_a_written_form_replaces_any_entity_it_overlaps(rules_nlp):
    doc = rules_nlp.make_doc("On 121.5 MHz and 243.0 MHz while")
    ner = _spans(doc, (0, 4, "QUANTITY"), (4, 7, "MONEY"))  # the model's "On 121.5 MHz and", "243.0 MHz while"
    rules = _spans(doc, (1, 3, "FREQUENCY"), (4, 6, "FREQUENCY"))
    merged = RuleMerge(written_forms=("FREQUENCY",))(ner, rules)
    assert [(s.text, s.label_) for s in merged] == [("121.5 MHz", "FREQUENCY"), ("243.0 MHz", "FREQUENCY")]
    # Not a written form: gives way to the entity that starts before it, not to the one it starts.
    assert [(s.text, s.label_) for s in RuleMerge(written_forms=())(ner, rules)] == [
        ("On 121.5 MHz and", "QUANTITY"),
        ("243.0 MHz", "FREQUENCY"),
    ]


def test_the_configured_pipeline_leaves_coordinates_and_comms_identifiers_to_the_rules():
    # The ner alone read a count and a bomb's designation as a coordinate, and a contract's number as an identifier.
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    doc = nlp.make_doc("12 GBU-39/B bombs hit 36°12'N 37°09'E on Monday under contract CN4187553, call sign DAGGER 11.")
    contract = doc.text.index("CN4187553")
    doc.ents = [
        doc.char_span(0, 10, label="COORDINATE"),
        doc.char_span(contract, contract + 9, label="COMMS_IDENTIFIER"),
    ]
    doc = nlp.get_pipe("rules")(doc)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ in ("COORDINATE", "COMMS_IDENTIFIER")] == [
        ("36°12'N 37°09'E", "COORDINATE"),
        ("DAGGER 11", "COMMS_IDENTIFIER"),
    ]


def test_the_configured_filter_treats_the_written_forms_so(rules_nlp):
    doc = rules_nlp.make_doc("On 121.5 MHz and")
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")(written_forms=["FREQUENCY"])
    assert [s.label_ for s in merge(_spans(doc, (0, 4, "QUANTITY")), _spans(doc, (1, 3, "FREQUENCY")))] == ["FREQUENCY"]


def test_overlapping_matches_keep_the_longest(rules_nlp):
    doc = rules_nlp.make_doc("Exercise Talisman Sabre 2025 began")
    rules = _spans(doc, (0, 2, "OPERATION"), (0, 4, "OPERATION"), (0, 3, "OPERATION"))
    assert [s.text for s in RuleMerge()([], rules)] == ["Exercise Talisman Sabre 2025"]


@pytest.mark.parametrize(
    "text, label, expected",
    [
        ("the Kh-101 cruise missiles hit", "WEAPON", "Kh-101"),
        ("two MQ-9 Reaper drones flew", "MILITARY_PLATFORM", "MQ-9 Reaper"),
        ("a Type 12 surface-to-ship missile was", "WEAPON", "Type 12"),
        # No designation, a calibre, a name that ends capitalised: as the ner found them (the training data's
        # annotations are so: "[155mm shells]", "[ISIL tanks]").
        ("the 155mm shells landed", "WEAPON", "155mm shells"),
        ("the ISIL tanks moved", "MILITARY_PLATFORM", "ISIL tanks"),
        ("the cruise missiles hit", "WEAPON", "cruise missiles"),
        ("the F-16 Fighting Falcon flew", "MILITARY_PLATFORM", "F-16 Fighting Falcon"),
        # Not a label of designations.
        ("the F-16 makers said", "ORGANISATION", "F-16 makers"),
    ],
)
def test_a_name_with_a_designation_ends_before_the_generic_words_after_it(rules_nlp, text, label, expected):
    doc = rules_nlp.make_doc(text)
    entity = _spans(doc, (1, len(doc) - 1, label))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")(
        designation_labels=["WEAPON", "MILITARY_PLATFORM", "VEHICLE"]
    )
    assert [(s.text, s.label_) for s in merge(entity, [])] == [(expected, label)]
    assert [s.text for s in RuleMerge()(entity, [])] == [entity[0].text]  # off unless configured


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the T-90M tanks", "T-90M"),
        ("an EA-18G, then", "EA-18G"),
        ("the Zala-421K drone", "Zala-421K"),
        ("its F-16C/D fleet", "F-16C/D"),
        # Not letters split off a designation: a number's unit, a possessive, a word after a space.
        ("the 200K budget", "200"),
        ("the F-16's radar", "F-16"),
        ("the F-16 M variant", "F-16"),
    ],
)
def test_a_designation_takes_in_the_rest_of_its_word_the_tokenizer_split_off(rules_nlp, text, expected):
    doc = rules_nlp.make_doc(text)
    entity = _spans(doc, (1, 2, "MILITARY_PLATFORM"))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")(
        designation_labels=["WEAPON", "MILITARY_PLATFORM", "VEHICLE"], whole_designation_words=True
    )
    assert [s.text for s in merge(entity, [])] == [expected]
    unset = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")(designation_labels=["MILITARY_PLATFORM"])
    assert [s.text for s in unset(entity, [])] == [entity[0].text]  # off unless configured


def test_split_capitals_another_entity_holds_stay_with_it(rules_nlp):
    doc = rules_nlp.make_doc("the T-90M tanks")
    entities = _spans(doc, (1, 2, "MILITARY_PLATFORM"), (2, 3, "ORGANISATION"))
    merged = RuleMerge(designation_labels=["MILITARY_PLATFORM"], whole_designation_words=True)(entities, [])
    assert [s.text for s in merged] == ["T-90", "M"]


def test_an_operation_loses_the_lower_case_words_at_its_ends_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("the exercise AMAN-25 commenced and the operation EUNAVFOR Aspides began")
    entities = _spans(doc, (1, 4, "OPERATION"), (6, 9, "OPERATION"), (9, 10, "ORGANISATION"))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    configured = merge(lower_case_ends_labels=["OPERATION"])
    assert [s.text for s in configured(entities, [])] == ["AMAN-25", "EUNAVFOR Aspides", "began"]
    assert [s.text for s in merge()(entities, [])] == [s.text for s in entities]  # off unless configured


def test_a_name_and_its_edition_before_a_word_for_an_exercise_are_an_operation_where_configured(rules_nlp):
    doc = rules_nlp(
        "Ships sailed in the Denizkurdu-II 2025 exercise, the Sea Guard-25 naval exercise, Russian Zapad-2025 drills "
        "and NATO Steadfast Defender 24 drills, not in Russian 2025 drills, Taiwan 2025 drills, the March 2025 "
        "exercise, the 2024 drills, Type 26 frigate drills or Hwasong-18 launch drills."
    )

    def at(text, label):
        start = doc.text.index(text)
        return doc.char_span(start, start + len(text), label=label)

    # the ner read "Denizkurdu-II" as a platform, and "NATO" and "Taiwan" as actors
    ner = [at("Denizkurdu-II", "MILITARY_PLATFORM"), at("NATO", "ORGANISATION"), at("Taiwan", "LOCATION")]
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    assert [(s.text, s.label_) for s in merge(exercise_editions=True)(ner, doc.spans["rules"])] == [
        ("Denizkurdu-II 2025", "OPERATION"),
        ("Sea Guard-25", "OPERATION"),
        ("Zapad-2025", "OPERATION"),  # a nationality is no part of the name
        ("NATO", "ORGANISATION"),
        ("Steadfast Defender 24", "OPERATION"),  # nor an organisation
        ("Taiwan", "LOCATION"),  # a place and a year: no name
    ]
    assert [s.text for s in merge()(ner, doc.spans["rules"])] == ["Denizkurdu-II", "NATO", "Taiwan"]  # unset: none
    headline = rules_nlp("Navies Join Sea Guard-25 Exercise")  # a headline's "Exercise": its words may be anything
    assert [s.text for s in merge(exercise_editions=True)([], headline.spans["rules"])] == []

    # a name in capitals with a letter outside ASCII is a name, and an actor joined to it by a hyphen is part of it
    turkish = rules_nlp("The DENİZKURDU-II 2025 exercise and Anadolu Kartalı-2025 drills began.")
    place = turkish.char_span(4, 14, label="LOCATION")  # the ner read "DENİZKURDU" as a place
    assert [s.text for s in merge(exercise_editions=True)([place], turkish.spans["rules"])] == [
        "DENİZKURDU-II 2025",
        "Anadolu Kartalı-2025",
    ]


def test_a_class_noun_the_ner_read_before_a_name_of_its_label_is_dropped_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("the air-defence destroyer FS Forbin and the frigates two Type 26")
    entities = _spans(
        doc,
        (1, 5, "MILITARY_PLATFORM"),  # "air-defence destroyer", right before the ship's name
        (5, 7, "MILITARY_PLATFORM"),
        (9, 10, "MILITARY_PLATFORM"),  # "frigates", before a count: no name follows it
        (10, 11, "QUANTITY"),
        (11, 13, "MILITARY_PLATFORM"),
    )
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    configured = merge(designation_labels=["MILITARY_PLATFORM"], class_nouns_before_names=True)
    assert [s.text for s in configured(entities, [])] == ["FS Forbin", "frigates", "two", "Type 26"]
    assert len(merge(designation_labels=["MILITARY_PLATFORM"])(entities, [])) == 5  # off unless configured


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("the cutter Haijing 2901 sailed", (0, 4), "Haijing 2901"),
        ("an air-launched BrahMos flew", (1, 5), "BrahMos"),
        ("a VBIED exploded", (0, 2), "a VBIED"),  # a determiner alone stays, as the training data has it
        ("the cruise missiles hit", (1, 3), "cruise missiles"),  # no name: a class mention
    ],
)
def test_an_entity_starts_at_the_name_after_a_class_noun_where_configured(rules_nlp, text, span, expected):
    doc = rules_nlp.make_doc(text)
    entities = _spans(doc, (*span, "MILITARY_PLATFORM"))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    configured = merge(designation_labels=["MILITARY_PLATFORM"], class_nouns_before_names=True)
    assert [s.text for s in configured(entities, [])] == [expected]
    assert [s.text for s in merge(designation_labels=["MILITARY_PLATFORM"])(entities, [])] == [entities[0].text]


def test_a_nationality_before_a_designation_is_its_own_entity_where_configured(rules_nlp):
    doc = rules_nlp(
        "a U.S. B-1B Lancer , North Korean ICBM launches , Israeli jets and the British Army Type 45 , U.S. Patriot ,"
        " Israeli Jets Pound"
    )
    entities = _spans(
        doc,
        (1, 4, "MILITARY_PLATFORM"),
        (5, 8, "WEAPON"),
        (10, 12, "MILITARY_PLATFORM"),
        (14, 18, "MILITARY_PLATFORM"),
        (19, 21, "WEAPON"),
        (22, 24, "MILITARY_PLATFORM"),
    )
    ids = ("nationality_before_designation", "platform_class_mentions_relabel_only")
    nationalities = [m for m in doc.spans["rules"] if m.id_ in ids]
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    configured = merge(designation_labels=["WEAPON", "MILITARY_PLATFORM"], split_nationalities=True)
    assert [(s.text, s.label_) for s in configured(entities, nationalities)] == [
        ("U.S.", "NATIONALITY"),
        ("B-1B Lancer", "MILITARY_PLATFORM"),
        ("North Korean", "NATIONALITY"),
        ("ICBM", "WEAPON"),
        ("Israeli jets", "MILITARY_PLATFORM"),  # a nationality and a class noun: one mention, as annotated
        ("British Army Type 45", "MILITARY_PLATFORM"),  # "Army" goes on into a force's name
        ("U.S.", "NATIONALITY"),
        ("Patriot", "WEAPON"),  # a name in title case, as the training data splits all 17 of its own
        ("Israeli Jets", "MILITARY_PLATFORM"),  # a headline's class noun in title case is no name
    ]
    unset = merge(designation_labels=["WEAPON", "MILITARY_PLATFORM"])(entities, nationalities)
    assert [s.text for s in unset] == [s.text for s in entities]  # off unless configured: the matches add nothing


def test_a_person_takes_in_the_title_before_it_where_configured(rules_nlp):
    doc = rules_nlp("Gen. Stephen Whiting met Rear Adm. Helen Marsh , Lt. Col. Dana Reed and U.S. Navy Capt. Jeff Day")
    # The ner's: a name without its title, a title and a name apart, a name inside a title, and an organisation that
    # runs into a title.
    ner = _spans(
        doc,
        (1, 3, "PERSON"),
        (4, 6, "PERSON"),
        (6, 8, "PERSON"),
        (12, 15, "PERSON"),
        (16, 20, "ORGANISATION"),
        (20, 22, "PERSON"),
    )
    titles = [m for m in doc.spans["rules"] if m.id_ == "title_before_name"]
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    assert [(s.text, s.label_) for s in merge(titles_before_persons=True)(ner, titles)] == [
        ("Gen. Stephen Whiting", "PERSON"),
        ("Rear Adm. Helen Marsh", "PERSON"),
        ("Lt. Col. Dana Reed", "PERSON"),
        ("U.S. Navy Capt.", "ORGANISATION"),
        ("Jeff Day", "PERSON"),
    ]
    assert [s.text for s in merge()(ner, titles)] == [s.text for s in ner]  # off unless configured: titles add nothing


def test_a_title_is_a_rank_with_its_own_modifiers_and_no_name():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    doc = nlp.make_doc("Army Chief of Staff Gen. Randy George met Lt Gen Sergei Rudskoi and Dr Amal Haddad.")
    george, rudskoi, haddad = (doc.text.index(name) for name in ("Randy", "Sergei", "Amal"))
    doc.ents = [
        doc.char_span(george, george + len("Randy George"), label="PERSON"),
        doc.char_span(rudskoi, rudskoi + len("Sergei Rudskoi"), label="PERSON"),
        doc.char_span(haddad, haddad + len("Amal Haddad"), label="PERSON"),
    ]
    doc = nlp.get_pipe("rules")(doc)
    # "Staff" and "Chief" are no modifiers of "Gen."; British titles have no period.
    assert [e.text for e in doc.ents] == ["Gen. Randy George", "Lt Gen Sergei Rudskoi", "Dr Amal Haddad"]
    assert {m.label_ for m in doc.spans["rules"] if m.id_ == "title_before_name"} == {"TITLE"}


def test_an_entity_loses_the_function_words_at_its_end_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("after Arrow and THAAD failed , 34 percent of carriers and the Ministry of Defence")
    entities = _spans(doc, (1, 3, "WEAPON"), (3, 4, "WEAPON"), (6, 9, "QUANTITY"), (11, 15, "ORGANISATION"))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    trimmed = [s.text for s in merge(trim_function_words=True)(entities, [])]
    assert trimmed == ["Arrow", "THAAD", "34 percent", "the Ministry of Defence"]  # "of" inside a name stays
    assert [s.text for s in merge()(entities, [])] == [s.text for s in entities]  # off unless configured


def test_a_count_before_a_name_is_its_own_entity_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("for 1,970 PAC-3 MSE interceptors , 101 munitions and 155 mm guns")
    entities = _spans(doc, (1, 4, "WEAPON"), (6, 8, "WEAPON"), (9, 12, "WEAPON"))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    configured = merge(designation_labels=["WEAPON"], split_counts=True)
    assert [(s.text, s.label_) for s in configured(entities, [])] == [
        ("1,970", "QUANTITY"),
        ("PAC-3 MSE", "WEAPON"),
        ("101 munitions", "WEAPON"),  # a number and a class noun: one mention, as the training data annotates it
        ("155 mm guns", "WEAPON"),
    ]
    assert [s.text for s in merge(designation_labels=["WEAPON"])(entities, [])] == [s.text for s in entities]


def test_a_quantity_ends_before_a_capitalised_word_where_configured(rules_nlp):
    doc = rules_nlp.make_doc("fired two dozen Tomahawk land-attack missiles and 40 km east")
    entities = _spans(doc, (1, 6, "QUANTITY"), (9, 11, "QUANTITY"))
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    assert [s.text for s in merge(uncapitalised_labels=["QUANTITY"])(entities, [])] == ["two dozen", "40 km"]
    assert [s.text for s in merge()(entities, [])] == [s.text for s in entities]  # off unless configured


def test_every_ship_prefix_of_the_rules_is_one_the_consistency_component_strips():
    ship_patterns = [
        p
        for p in srsly.read_json(PROJECT_DIR / "configs" / "patterns" / "rules.json")
        if p["id"] in ("ship_name", "ship_name_joined", "merchant_ship_name", "merchant_ship_name_joined")
    ]
    prefixes = {prefix for p in ship_patterns for prefix in p["pattern"][0]["TEXT"]["IN"]}
    assert len(ship_patterns) == 4 and "ROCS" in prefixes
    assert prefixes <= set(SHIP_PREFIXES)
    by_id = {p["id"]: set(p["pattern"][0]["TEXT"]["IN"]) for p in ship_patterns}
    assert by_id["ship_name"] == by_id["ship_name_joined"]  # a prefix in one pattern is in the other
    assert by_id["merchant_ship_name"] == by_id["merchant_ship_name_joined"]


def test_fleet_auxiliaries_and_iranian_colombian_and_peruvian_warships_are_named_by_their_prefix():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    doc = nlp("RFA Argus sailed with IRIS Makran, ARC Almirante Padilla and BAP Guise. Later Makran turned back.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("RFA Argus", "MILITARY_PLATFORM"),
        ("IRIS Makran", "MILITARY_PLATFORM"),
        ("ARC Almirante Padilla", "MILITARY_PLATFORM"),
        ("BAP Guise", "MILITARY_PLATFORM"),
        ("Makran", "MILITARY_PLATFORM"),  # the bare name after its prefix, by the consistency component
    ]


def test_ghanaian_kenyan_and_finnish_warships_are_named_by_their_prefix_but_not_after_a_rank_or_a_company():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    doc = nlp("GNS Achimota joined KNS Jasiri and FNS Hämeenmaa. Achimota left. ENS Jane Doe and HS Produkt spoke.")
    found = [(e.text, e.label_) for e in doc.ents]
    assert found[:4] == [
        ("GNS Achimota", "MILITARY_PLATFORM"),
        ("KNS Jasiri", "MILITARY_PLATFORM"),
        ("FNS Hämeenmaa", "MILITARY_PLATFORM"),
        ("Achimota", "MILITARY_PLATFORM"),  # the bare name after its prefix, by the consistency component
    ]
    # A US Navy ensign and a Croatian gunmaker: "ENS" and "HS" are no ship prefixes here.
    assert not [text for text, label in found[4:] if label == "MILITARY_PLATFORM"]


def test_an_entity_that_ends_at_a_hyphen_inside_a_word_takes_the_whole_word_as_configured():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    text = (
        "Ahn Gyu-back said on April 28-29 that Iran-backed CJTF-OIR and Lashkar-e-Taiba had Russian-made K2-based gear"
    )
    doc = nlp.make_doc(text)
    cut = [
        ("Ahn Gyu-", "PERSON"),
        ("April 28-", "TEMPORAL"),
        ("Iran-", "ORGANISATION"),
        ("CJTF-", "ORGANISATION"),
        ("Lashkar-", "ORGANISATION"),
        ("Russian-", "NATIONALITY"),
        ("K2-", "MILITARY_PLATFORM"),
    ]
    entities = [doc.char_span(text.index(part), text.index(part) + len(part), label=label) for part, label in cut]
    hyphen = text.index("K2-based") + 2
    entities[-1] = doc.char_span(hyphen, hyphen + 1, label="MILITARY_PLATFORM")  # the ner's entity of only "-"
    doc.ents = entities
    doc = nlp.get_pipe("rules")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Ahn Gyu-back", "PERSON"),
        ("April 28-29", "TEMPORAL"),
        ("Iran", "ORGANISATION"),  # a configured label ends before a hyphen and a lower-case word
        ("CJTF-OIR", "ORGANISATION"),  # but takes in a rest with a capital
        ("Lashkar-e-Taiba", "ORGANISATION"),  # a name's parts, not a name and a participle
        ("Russian", "NATIONALITY"),
    ]  # the entity that was only the hyphen of "K2-based" is gone
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    # a rest of the word that is another entity stays that entity, whatever the label
    split = nlp.make_doc("the US-Philippine drills")
    us, philippine = Span(split, 1, 3, label="ORGANISATION"), Span(split, 3, 4, label="NATIONALITY")
    assert [s.text for s in merge(whole_hyphenated_words=True)([us, philippine], [])] == ["US", "Philippine"]
    # an entity that is only a hyphen holds no other's word back: it goes first
    led = nlp.make_doc("the Gyu-back-led talks")
    gyu, dash = Span(led, 1, 3, label="PERSON"), Span(led, 4, 5, label="PERSON")
    assert [s.text for s in merge(whole_hyphenated_words=True)([gyu, dash], [])] == ["Gyu-back-led"]
    assert [s.text for s in merge()(entities, [])] == [s.text for s in entities]  # off unless configured


def test_a_weapon_or_platform_of_a_name_and_a_year_since_2010_is_an_exercise_as_configured():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    text = (
        "During CARAT Bangladesh 2024 and Anadolu Kartalı-2025, PzH 2000 guns, SH 2025 kits, a CARAT 2025 plan, "
        "model-2024 kits and a Russian Zapad-2025 rehearsal"
    )
    read = [
        ("CARAT Bangladesh 2024", "MILITARY_PLATFORM"),
        ("Anadolu Kartalı-2025", "MILITARY_PLATFORM"),
        ("PzH 2000", "MILITARY_PLATFORM"),
        ("SH 2025", "WEAPON"),
        ("a CARAT 2025", "MILITARY_PLATFORM"),
        ("model-2024", "WEAPON"),
        ("Russian Zapad-2025", "WEAPON"),
    ]
    doc = nlp.get_pipe("rules")(with_ner_entities(nlp, text, read))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("CARAT Bangladesh 2024", "OPERATION"),
        ("Anadolu Kartalı-2025", "OPERATION"),  # a year joined by a hyphen
        ("PzH 2000", "MILITARY_PLATFORM"),  # a year before 2010 is a system's number
        ("SH 2025", "OPERATION"),  # weapons too
        ("a CARAT 2025", "MILITARY_PLATFORM"),  # a lower-case word is no part of a name
        ("model-2024", "WEAPON"),  # nor is a joined year after a lower-case word
        ("Russian", "NATIONALITY"),  # a nationality before the name is split off first
        ("Zapad-2025", "OPERATION"),
    ]
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    platform = Span(doc, 1, 4, label="MILITARY_PLATFORM")
    assert [s.label_ for s in merge(year_edition_labels=["WEAPON"])([platform], [])] == ["MILITARY_PLATFORM"]
    assert [s.label_ for s in merge(year_edition_labels=["MILITARY_PLATFORM"])([platform], [])] == ["OPERATION"]
    assert [s.label_ for s in merge()([platform], [])] == ["MILITARY_PLATFORM"]  # off unless configured


def test_a_place_takes_in_the_capitalised_word_for_its_kind_after_it_as_configured():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    text = (
        "Drills in Kumamoto Prefecture, on ISHIGAKI ISLAND, in the Odesa region, at Himeji Castle and at Hainan "
        "Province Police posts"
    )
    read = [
        ("Kumamoto", "LOCATION"),
        ("ISHIGAKI", "LOCATION"),
        ("Odesa", "LOCATION"),
        ("Himeji", "LOCATION"),
        ("Hainan", "LOCATION"),
        ("Province Police", "ORGANISATION"),
    ]
    doc = nlp.get_pipe("rules")(with_ner_entities(nlp, text, read))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Kumamoto Prefecture", "LOCATION"),
        ("ISHIGAKI ISLAND", "LOCATION"),  # in capitals too
        ("Odesa", "LOCATION"),  # a lower-case word is the training data's call either way (18 in, 18 out)
        ("Himeji", "LOCATION"),  # a word not of place_words
        ("Hainan", "LOCATION"),  # the word is another entity's
        ("Province Police", "ORGANISATION"),
    ]
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    weapon = Span(doc, 2, 3, label="WEAPON")
    assert [s.text for s in merge(place_words=["Prefecture"])([weapon], [])] == ["Kumamoto"]  # places only
    exercise = Span(doc, 3, 4, label="OPERATION")  # a rule's match holds the word: it is not the place's
    assert [s.text for s in merge(place_words=["Prefecture"])([Span(doc, 2, 3, label="LOCATION")], [exercise])][0] == (
        "Kumamoto"
    )
    place = Span(doc, 2, 3, label="LOCATION")
    assert [s.text for s in merge()([place], [])] == ["Kumamoto"]  # off unless configured


def test_a_lower_case_weapon_or_platform_takes_in_the_head_noun_after_it_as_configured():
    nlp = untrained_pipeline(PROJECT_DIR / "configs" / "transformer.cfg", DATA_PATHS)
    text = (
        "It fields interceptor drones, uncrewed boats, FPV drones, naval uavs, armed convoys, missile boats, more "
        "drones, cheap drone-launched strikes and coalition drones"
    )
    read = [
        ("interceptor", "WEAPON"),
        ("uncrewed", "MILITARY_PLATFORM"),
        ("FPV", "WEAPON"),
        ("naval", "MILITARY_PLATFORM"),
        ("armed", "WEAPON"),
        ("missile", "WEAPON"),
        ("more", "WEAPON"),
        ("cheap", "WEAPON"),
        ("coalition", "ORGANISATION"),
    ]
    doc = nlp.get_pipe("rules")(with_ner_entities(nlp, text, read))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("interceptor drones", "WEAPON"),
        ("uncrewed boats", "MILITARY_PLATFORM"),  # the label stays the ner's
        ("FPV", "WEAPON"),  # a capital: "[FPV] drones", as the training data annotates it
        ("naval uavs", "MILITARY_PLATFORM"),  # in any case
        ("armed", "WEAPON"),  # not a noun of class_head_nouns
        ("missile", "WEAPON"),  # it ends with a class mention's head noun already: "missile boats" is no weapon
        ("drones", "WEAPON"),  # taken in before the quantifier is trimmed off
        ("cheap", "WEAPON"),  # the noun starts a hyphenated word
        ("coalition", "ORGANISATION"),  # not a designation label
    ]
    merge = spacy.registry.misc.get("defence_ner.merge_rule_matches.v1")
    configured = merge(class_head_nouns=["drones"], designation_labels=["WEAPON"])
    interceptor = Span(doc, 2, 3, label="WEAPON")
    assert [s.text for s in configured([interceptor], [])] == ["interceptor drones"]
    held = Span(doc, 3, 4, label="WEAPON")  # another entity or a rule's match holds the noun
    assert [s.text for s in configured([interceptor, held], [])] == ["interceptor", "drones"]
    assert [s.text for s in configured([interceptor], [held])] == ["interceptor", "drones"]
    off = merge(designation_labels=["WEAPON"])
    assert [s.text for s in off([interceptor], [])] == ["interceptor"]  # off unless configured


def with_ner_entities(nlp, text, read):
    """The text as a doc with the ner's entities read: (the text of each, at its first occurrence, and its label)."""
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(part), text.index(part) + len(part), label=label) for part, label in read]
    return doc
