"""How the rule component's matches join the statistical NER's entities.

FINDS says what the rules (configs/patterns/rules.json, run by spaCy's span_ruler after the ner)
find and PRECEDENCE how a match and the ner's entities give way to each other: RuleMerge
does what PRECEDENCE says, and the model card quotes both (defence_ner/model_card.py), so the
behaviour and its description have one source.

This module is self-contained: `spacy package --code` ships it with the pipeline.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import partial

from spacy.tokens import Span, Token
from spacy.util import registry

# The configs name these too; the defaults keep pipelines saved before the settings existed loading as they were.
WRITTEN_FORMS = ("FREQUENCY", "COORDINATE", "URL", "COMMS_IDENTIFIER")
DESIGNATION_LABELS = ()
# A calibre ("155mm", "7.62mm", ".50-calibre") is a number with a unit, not a designation: "[155mm shells]".
CALIBRE = re.compile(r"^\.?\d+(?:\.\d+)?(?:mm|cm|-mm|-calibre|-caliber|-cal)$", re.IGNORECASE)
# Patterns whose id ends so match a ship's class noun and the name after it; the noun is context, not the name.
AFTER_CLASS_NOUN = "_after_class_noun"
# Patterns whose id ends so match a cue and the identifier after it ("call sign [DAGGER 11]", "MMSI [735059472]"):
# the cue's words (lower-case, punctuation, or one of CUE_WORDS) are context too.
AFTER_CUE = "_after_cue"
CUE_WORDS = ("MMSI", "Flight")
# Patterns whose id ends so match a name and its edition before a word for an exercise ("[Nordic Response 2024] drills",
# "[BALTOPS 25] exercise", as the training data annotates them): the words after the edition are context, and so is a
# nationality, or a ner entity of ACTOR_LABELS, that the name starts with ("NATO [Steadfast Defender 24] exercise").
BEFORE_EXERCISE_WORD = "_before_exercise_word"
# The labels of who holds an exercise, where and when ("Taiwan 2025 drills", "the Spring 2025 exercise"): a ner entity
# of them that is all of a name before an edition makes it no exercise's name.
ACTOR_LABELS = ("LOCATION", "ORGANISATION", "NATIONALITY", "PERSON", "TEMPORAL")
# Patterns whose id ends so match a class mention whose type the schema fixes ("kamikaze drones", "loitering
# munitions": WEAPON, though the ner reads them as platforms; "fast attack craft", by its head noun, a platform,
# though the ner read it as a weapon): they correct the label of the ner's entity with the
# same boundaries and add none of their own, since whether a class mention is an entity is the ner's to judge.
RELABEL_ONLY = "_relabel_only"
# Patterns whose id ends so match a nationality ("Russian", "North Korean"): they add no entity, but split one of the
# designation labels that starts with them and goes on with a name into the nationality and the name, as the training
# data annotates them ("[Russian] [Su-34]", "[U.S.] [B-1B Lancer]", "[Israeli] [Merkava]"; nationality and class noun
# stay one: "[Israeli jets]").
BEFORE_DESIGNATION = "_before_designation"
# Words that go on a nationality into a force's or a body's name, not a system's ("British Army", "US Navy").
FORCE_WORDS = (
    "Army", "Navy", "Air", "Marine", "Marines", "Coast", "Armed", "Defence", "Defense", "Ministry", "Government",
    "Force", "Forces", "Guard", "Guards", "Space", "Special", "National", "Royal", "Military", "Naval", "Aerospace",
    "Ground", "Rocket", "Strategic", "Maritime", "Fleet", "Corps", "Revolutionary", "People", "Territorial", "Border",
    "Police", "Federal", "Republic", "State",
)  # fmt: skip
# Patterns whose id ends so match a title ("Gen.", "Rear Adm.", "Lt. Col.", labelled TITLE, no entity type): they add no
# entity, but a PERSON entity right after one, or starting inside one, takes it in, as the training data annotates them
# ("[Gen. Joseph L. Votel]").
BEFORE_NAME = "_before_name"
# A year since 2010 ending a name, spaced or joined ("Pacific Steller 2025", "Zapad-2025"): an exercise's edition.
EDITION_YEAR = re.compile(r"(?:[^\W\d_][\w'’]*-)?20[1-3]\d")
# Quotation marks: the training data leaves them out of every entity, and the ner sometimes takes one in ('"Zircon').
QUOTES = ('"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "``", "''")
# Function words, which never end an entity in the training data; the ner sometimes runs on into one ("Arrow and").
FUNCTION_WORDS = ("and", "or", "of", "in", "on", "at", "to", "from", "with", "by", "for", "near", "the", "an")
# Determiners, which alone before a name may be part of a mention ("a VBIED").
DETERMINERS = ("the", "a", "an")
# The quantifiers the training data leaves out of a class mention ("several [cruise missiles]", "more [drones]": 20 of
# 20 in the doc split); "multiple" and "other" are inside as often as outside.
QUANTIFIERS = ("more", "several", "additional", "further", "some", "new")
# A sentence's punctuation, as a token of its own: never an entity's first or last token in the training data.
SENTENCE_PUNCTUATION = (".", ",", ";", ":", "!", "?")
# Words that make an amount approximate: where an amount has one, the training data leaves it out nine times in ten
# ("about [30 km]", "more than [24 hours]"), and the ner sometimes takes it in ("nearly 12 months").
APPROXIMATIONS = (
    ("more", "than"),
    ("less", "than"),
    ("fewer", "than"),
    ("at", "least"),
    ("up", "to"),
    ("nearly",),
    ("almost",),
    ("about",),
    ("around",),
    ("approximately",),
    ("roughly",),
    ("some",),
    ("over",),
    ("just",),
)

FINDS = (
    "types with a written form (FREQUENCY: a frequency with its unit or a VHF channel; COORDINATE; URL; "
    'COMMS_IDENTIFIER: e-mail addresses, handles, phone numbers, and call signs after "call sign", "flying as" or '
    '"checked in as" and ship identity numbers after "MMSI", without the cue), flight numbers after "flight" (VEHICLE: '
    '"flight [LO 282]", "flight [AI139]", without the cue, as the training data annotates them), operations and '
    'exercises (OPERATION: "Operation X", "Exercise X 2025", "Exercise X 25", "Mission X 25", and a name and its '
    'edition before a word for an exercise, "[Nordic Response 2024] drills"), amounts written with a currency\'s '
    'word (MONEY: "8.5 billion euros", "6.1 '
    "trillion won\", as the training data annotates them) or after a currency's sign or code, which end with their "
    'number and scale ("[$742,000,000] modification", "Rs 19,519 crore", "€1.2bn"), counts written in words with a '
    'hyphen (QUANTITY: "forty-eight"; TEMPORAL with a time unit: "twenty-four hours"), which the ner breaks apart, '
    "full dates with their "
    'year or weekday (TEMPORAL: "March 27, 2025", "27 March 2025", "Thursday, Dec. 15"), which the ner splits at '
    'times, clock times with their "a.m.", "hours", "local time" or time zone (TEMPORAL: "7:03 a.m. CET", "1700 '
    'hours", "02:30 local time", "08:00 Kyiv time", "11:00"), which the ner cuts before them, and ship names after '
    "a navy's or a merchant ship's prefix "
    '(MILITARY_PLATFORM: "USS Carl Vinson", "HMS Prince of Wales"; VEHICLE: "MV Sea Harmony"), stopping '
    'before the formation a ship leads ("USS Carl Vinson Carrier Strike Group") and before a lower-case word '
    '("of" or "the" inside a name excepted), and bare ship names after a warship\'s class noun (MILITARY_PLATFORM: '
    '"the frigate [Provence]", "the aircraft carrier [Shandong]") or a merchant ship\'s (VEHICLE: "the tanker '
    '[Eagle S]"), without the noun; and class mentions the schema types (WEAPON: "kamikaze drones", "loitering '
    'munitions", "one-way attack drones", "FPV drones", "explosive-laden boats") and class mentions of lower-case '
    'words by their head noun (MILITARY_PLATFORM: "the tanks", "fast attack craft"; WEAPON: "anti-ship missiles"), '
    "which only relabel; and a person's title "
    '(TITLE: "Gen.", "Rear Adm.", "Lt Col"), which adds no entity but joins the person after it'
)

PRECEDENCE = (
    "Neither the rules nor the ner overwrites the other blindly; which one gives way depends on which is surer:",
    "a match of a written form (a frequency with its unit, a URL, an e-mail address...) replaces any ner "
    'entity it overlaps: its boundaries are surer than the model\'s, which reads "121.5 MHz and" as a QUANTITY;',
    'any other match ("Operation X", "HMS Prince of Wales") replaces the ner entities it overlaps unless one of '
    'them starts before it: then the model saw a longer mention the name is part of ("Combined Joint Task '
    'Force - Operation Inherent Resolve") and the match is dropped, unless, where lower_case_words_give_way is set '
    '(configured: it is), the words before it are all lower case ("the minehunter [ROS Sublocotenent Alexandru '
    'Axente]"). An entity inside the match ("[Operation] '
    'Sindoor") or starting with it and running on past the name ("Operation Sindoor in") gives way: the '
    "pattern's end is surer than the model's there;",
    "of overlapping matches the longest is kept;",
    "where exercise_editions is set (configured: it is), a name and its edition before a word for an exercise is a "
    'match like "Operation X" ("[Nordic Response 2024] drills", "[BALTOPS 25] exercise", as the training data '
    "annotates all 4 of the doc split's), without the words after the edition, or a nationality or a ner entity of a "
    'place, body, person or date before the name ("NATO [Steadfast Defender 24] drills"); none where such an entity '
    'is all of the name ("Taiwan 2025 drills");',
    "where year_edition_labels is set (configured: weapons and platforms), a ner entity of them that is capitalised "
    'words and a year since 2010, spaced or joined ("CARAT Bangladesh 2024", "Anadolu Kartali-2025"), is an '
    "exercise's edition (OPERATION), as the training data annotates all 12 of its such names; older four-digit "
    'numbers name systems ("PzH 2000", "Mirage 2000");',
    "a ship's name after its class noun counts only where names_after_class_nouns is set (configured: it is);",
    'a class mention the schema types ("kamikaze drones": WEAPON) adds no entity: where relabel_class_mentions '
    "is set (configured: it is), a ner entity with exactly its boundaries takes its label, and where "
    "whole_class_mentions is set (configured: it is), a ner entity of lower-case words that starts such a mention of "
    'its label and stops inside it is the whole mention ("[air-launched ballistic] missile" -> "[air-launched '
    'ballistic missile]", "[surface-to-air] missiles" -> "[surface-to-air missiles]"), as the training data never '
    "annotates one without its head noun;",
    "where trim_indefinite_articles is set (configured: it is), a ner entity of the designation labels of lower-case "
    'words loses a leading "a" or "an" ("a [cruise missile]"), as the training data mostly leaves it out (18 times '
    'to 7 in the doc split; "the" is inside as often as outside, so it stays), and where trim_quantifiers is set '
    '(configured: it is), a leading quantifier ("several [cruise missiles]", "more [drones]"; all 20 of the doc '
    "split's are outside);",
    "a ner entity of the designation labels whose name has a designation and then generic words (no capital, no "
    'digit) ends with the name ("[Kh-101] cruise missiles", "[MQ-9 Reaper] drones", "[Type 12] surface-to-ship '
    'missile"), as the training data annotates them; a designation is a word with a digit, or a number after a '
    'capitalised word, but not a calibre ("155mm shells" stays whole);',
    'where end_at_class_words is set (configured: it is), such an entity that goes on after "-class" with lower-case '
    'words only ends with "-class" ("[Sandown-class] minehunters", "[FUCHI-class] fast combat supply ship"), as the '
    "training data annotates all of them (22 of 22 in the doc split);",
    "where class_nouns_before_names is set (configured: it is), a class noun before a name is no part of it, as the "
    "training data annotates it: such an entity of lower-case words only right before a name of its label (with a "
    'capital or a digit) is dropped ("the air-defence destroyer [FS Forbin]"), and one that starts with lower-case '
    'words, not a determiner alone, before such a name starts at the name ("the cutter [Haijing 2901]", not "a '
    'VBIED");',
    "a ner entity of the lower-case ends labels (configured: operations) loses the lower-case words at its ends "
    '("exercise AMAN-25 commenced" -> "AMAN-25", "operation EUNAVFOR Aspides" -> "EUNAVFOR Aspides"), as the '
    "training data, which has no operation that starts or ends with one, annotates them;",
    "where trim_function_words is set (configured: it is), a ner entity loses the function words at its end "
    '("Arrow and" -> "Arrow", "34 percent of" -> "34 percent"), as the training data has none there;',
    "where whole_hyphenated_words is set (configured: it is), a ner entity that ends at a hyphen inside a word takes "
    'in the rest of the word ("Defense Minister Ahn Gyu-" -> "Defense Minister Ahn Gyu-back", "April 28-" -> "April '
    '28-29"), as the training data has no entity that ends at one and mostly takes the word in; one of the hyphen '
    "prefix labels (configured: nationalities, places, organisations and weapons) ends before the hyphen where a "
    'capitalised word is before it and the rest has no capital or digit ("Russian-" of "Russian-made" -> '
    '"Russian", "Iran-" of "Iran-backed" -> "Iran"), as the training data mostly annotates them (34 times to 12), and '
    "so does an entity whose word's rest is another entity; an entity that is only the hyphen is dropped;",
    "where place_words is set (configured: a province, a prefecture, an island, a sea and the like), a place takes "
    'in the capitalised word for its kind right after it ("Kumamoto Prefecture", "Ishigaki Island", "Hainan '
    'Province"), as the training data has all 53 of its such words inside the place;',
    "where class_head_nouns is set (configured: drones, UAVs, boats, weapons, vehicles, vessels, guns, grenades, "
    "devices), a ner entity of the designation labels of lower-case words takes in such a noun right after it "
    '("[interceptor drones]", "[uncrewed boats]"), as the training data has none of its such entities before one, '
    'unless it ends with a class mention\'s head noun already ("[missile] boats");',
    "where split_counts is set (configured: it is), such an entity that starts with a number and goes on with a name "
    'is the count (QUANTITY) and the name ("[1,970] [PAC-3 MSE]"), as the training data annotates them ("[two] '
    '[Su-35]"); a number and a class noun stay one ("[101 munitions]");',
    "a ner entity of the uncapitalised labels (configured: quantities) ends before its first capitalised word after "
    'the first ("two dozen Tomahawk land-" -> "two dozen"), as the training data has no quantity with one;',
    "where titles_before_persons is set (configured: it is), a PERSON entity takes in the title right before it or "
    'that it starts inside ("Gen. [Stephen Whiting]", "Rear [Adm. Helen Marsh]"), as the training splits annotate most '
    "of them (12 of the doc split's 17, 8 of the published split's 9), and the ner's entities inside that title go;",
    "where split_nationalities is set (configured: it is), such an entity that starts with a nationality and goes on "
    'with a name is the nationality and the name ("[U.S.] [B-1B Lancer]", "[North Korean] [KN-23]", "[Israeli] '
    '[Merkava]"), as the training data annotates them (17 of 17 names in title case); a nationality and a class noun '
    'stay one ("[Israeli jets]");',
    "where whole_designation_words is set (configured: it is), such an entity takes in the rest of its designation's "
    'word where the tokenizer split it off: capitals after a digit ("T-90" of "T-90M", "EA-18" of "EA-18G": spaCy '
    'reads M, G, T and K after a digit as units) and a variant after a slash ("F-16C" of "F-16C/D");',
    "where trim_quotes is set (configured: it is), a ner entity loses the quotation marks at its ends "
    '(\'"Zircon\' -> "Zircon"), as the training data leaves them out;',
    "where trim_punctuation is set (configured: it is), a ner entity loses the whitespace and the sentence "
    'punctuation (. , ; : ! ?) at its ends ("October 29." -> "October 29"), as the training data leaves them out;',
    'a ner entity of the approximation labels loses a leading approximation ("nearly", "about", "more than", '
    '"at least"...: "nearly 12 months" -> "12 months"), as the training data leaves it out, and where '
    "drop_bare_approximations is set (configured: it is), one that is nothing else is dropped (the ner's \"more "
    'than" before its "[40 km]": the training data has none);',
    "a ner entity of the reference labels (configured: document references) takes the whole of a word it cuts "
    '("Transmittal No. 25" in "Transmittal No. 25-61") and loses the lower-case words at its ends and the sentence '
    'punctuation they leave there ("joint advisory AA25-239A that" -> "AA25-239A", "FDC NOTAM 5/8125, advised" -> '
    '"FDC NOTAM 5/8125"), as the training data annotates them;',
    "a ner entity of the rule-only labels is dropped: a match of its label replaces it where it is right, and the "
    "ner alone reads numbers, stray punctuation and whole sentences as a frequency, a URL, a coordinate or a call "
    "sign;",
    "a ner entity of the named labels (configured: operations and nationalities) with no capital letter or digit is "
    'dropped ("joint drills code" of "joint drills code-named Strait Thunder"): the training data has none;',
    'every match, kept or not, also stays in doc.spans["rules"].',
)


@registry.misc("defence_ner.merge_rule_matches.v1")
@dataclass(frozen=True)
class RuleMerge:
    """The rules component's ents_filter, its settings the config's; each default keeps pipelines saved before the
    setting existed loading as they were. Called with the ner's entities and the rules' matches, it merges them as
    PRECEDENCE says: entities lose the quotation marks at their ends if trim_quotes, and the whitespace and sentence
    punctuation if trim_punctuation (an entity of nothing else is dropped), and the function words at their end if
    trim_function_words (without_trailing_function_words); an entity that ends at a hyphen inside a word takes in the
    rest of the word, or ends before the hyphen if its label is one of hyphen_prefix_labels and a capitalised word and a
    lower-case rest meet there, or another entity covers the rest, if whole_hyphenated_words
    (with_whole_hyphenated_word); a LOCATION entity takes in the capitalised word of place_words right after it where no
    other entity or rule match covers that word (with_place_word); entities of approximation_labels lose a leading
    approximation (without_approximation), and are dropped where they are nothing else if drop_bare_approximations;
    entities of rule_only_labels are dropped, and so are those of named_labels with no capital letter or digit; entities
    of lower_case_ends_labels lose the lower-case words at their ends (without_lower_case_words); entities of
    designation_labels end with their name (end_at_designation), with "-class" before lower-case words if
    end_at_class_words (end_at_class_word), and, if whole_designation_words, take in the rest of their last
    designation's word the tokenizer split off (with_whole_designation), and those of reference_labels take whole words
    and start and end with one that is not lower case (without_lower_case_ends); a PERSON entity takes in the title
    right before it (a match of a pattern whose id ends with BEFORE_NAME) if titles_before_persons (with_titles), and
    the entities inside the title go; an entity of designation_labels that starts with a number, or with a nationality
    (a match of a pattern whose id ends with BEFORE_DESIGNATION), and goes on with a name splits in two if split_counts
    or split_nationalities (with_count_split_off, with_nationality_split_off); an entity of designation_labels of
    lower-case words (no capital or digit) takes in a noun of class_head_nouns after it, after a space, where it does
    not end with a class mention's head noun already and no other entity or remaining rule match covers the noun
    (with_head_noun); an entity of designation_labels whose other words are lower-case words only loses a leading "a"
    or "an" if trim_indefinite_articles (without_indefinite_article) and a leading quantifier if trim_quantifiers
    (without_quantifier); then an entity of year_edition_labels that is capitalised words and a year since 2010 is an
    OPERATION (_is_name_and_year, as_operation); an entity of lower-case words that starts a class mention of its label
    and stops inside it is the whole mention if whole_class_mentions (with_whole_class_mention), and an entity with a
    class mention's boundaries takes its label if relabel_class_mentions (class mentions add nothing); ship names after
    a class noun lose the noun, or are left out unless names_after_class_nouns; a name and its edition before a word for
    an exercise (a match of a pattern whose id ends with BEFORE_EXERCISE_WORD) counts only if exercise_editions, without
    a nationality or a ner entity of ACTOR_LABELS it starts with, and not where such an entity is the whole name
    (exercise_name); then longest match first, a match is kept if it overlaps no kept match and either its label is a
    written form or no entity it overlaps starts before it (with lower-case words only, if lower_case_words_give_way:
    "the minehunter [ROS Sublocotenent Alexandru Axente]"); the entities it overlaps are then removed. If
    class_nouns_before_names, an entity of designation_labels starts at the name after a class noun (without_class_noun)
    and, last, one of lower-case words right before a name of its label goes (_class_noun_before_name)."""

    written_forms: Sequence[str] = WRITTEN_FORMS
    designation_labels: Sequence[str] = DESIGNATION_LABELS
    names_after_class_nouns: bool = False
    trim_quotes: bool = False
    trim_punctuation: bool = False
    approximation_labels: Sequence[str] = ()
    rule_only_labels: Sequence[str] = ()
    relabel_class_mentions: bool = False
    reference_labels: Sequence[str] = ()
    lower_case_words_give_way: bool = False
    named_labels: Sequence[str] = ()
    whole_designation_words: bool = False
    class_nouns_before_names: bool = False
    lower_case_ends_labels: Sequence[str] = ()
    split_nationalities: bool = False
    trim_function_words: bool = False
    split_counts: bool = False
    uncapitalised_labels: Sequence[str] = ()
    titles_before_persons: bool = False
    end_at_class_words: bool = False
    whole_class_mentions: bool = False
    trim_indefinite_articles: bool = False
    trim_quantifiers: bool = False
    exercise_editions: bool = False
    whole_hyphenated_words: bool = False
    hyphen_prefix_labels: Sequence[str] = ()
    drop_bare_approximations: bool = False
    year_edition_labels: Sequence[str] = ()
    place_words: Sequence[str] = ()
    class_head_nouns: Sequence[str] = ()

    def __post_init__(self) -> None:
        # The config gives lists; tuples keep a frozen merge unchanged and hashable.
        for setting in fields(self):
            value = getattr(self, setting.name)
            if isinstance(value, list):
                object.__setattr__(self, setting.name, tuple(value))

    def __call__(self, entities: Iterable[Span], matches: Iterable[Span]) -> list[Span]:
        matches = list(matches)
        if self.trim_quotes:
            entities = [e for e in (without_ends(e, _is_quote) for e in entities) if e is not None]
        if self.trim_punctuation:
            entities = [e for e in (without_ends(e, _is_sentence_punctuation) for e in entities) if e is not None]
        if self.trim_function_words:
            entities = [without_trailing_function_words(e) for e in entities]
        if self.whole_hyphenated_words:
            # an entity that is only a hyphen goes first, so that it holds no other's word back
            entities = [e for e in entities if not (len(e) == 1 and _is_hyphen_inside_a_word(e.doc, e.start))]
            entities = [with_whole_hyphenated_word(e, entities, self.hyphen_prefix_labels) for e in entities]
        if self.place_words:
            others = [*entities, *matches]
            entities = [with_place_word(e, others, self.place_words) if e.label_ == "LOCATION" else e for e in entities]
        entities = [before_a_capital(e) if e.label_ in self.uncapitalised_labels else e for e in entities]
        if self.drop_bare_approximations:
            entities = [e for e in entities if not (e.label_ in self.approximation_labels and _is_approximation(e))]
        entities = [without_approximation(e) if e.label_ in self.approximation_labels else e for e in entities]
        entities = [e for e in entities if e.label_ not in self.rule_only_labels]
        entities = [e for e in entities if e.label_ not in self.named_labels or _has_capital_or_digit(e)]
        entities = [without_lower_case_words(e) if e.label_ in self.lower_case_ends_labels else e for e in entities]
        entities = [end_at_designation(e) if e.label_ in self.designation_labels else e for e in entities]
        if self.end_at_class_words:
            entities = [end_at_class_word(e) if e.label_ in self.designation_labels else e for e in entities]
        if self.whole_designation_words:
            entities = [
                with_whole_designation(e, entities) if e.label_ in self.designation_labels else e for e in entities
            ]
        if self.class_nouns_before_names:
            entities = [without_class_noun(e) if e.label_ in self.designation_labels else e for e in entities]
        entities = [without_lower_case_ends(e, entities) if e.label_ in self.reference_labels else e for e in entities]
        relabels, matches = _by_id_suffix(matches, RELABEL_ONLY)
        class_mentions = {(m.start, m.end): m for m in relabels}
        nationalities, matches = _by_id_suffix(matches, BEFORE_DESIGNATION)
        titles, matches = _by_id_suffix(matches, BEFORE_NAME)
        if self.titles_before_persons:
            entities = with_titles(entities, titles)
        splits = [with_count_split_off] if self.split_counts else []
        if self.split_nationalities:
            splits.append(partial(with_nationality_split_off, nationalities=nationalities, class_mentions=relabels))
        for split in splits:
            entities = [part for e in entities for part in (split(e) if e.label_ in self.designation_labels else [e])]
        # before the trims, so that "[a] drone" and "[more] drones" lose the article and the quantifier
        if self.class_head_nouns:
            others = [*entities, *matches]
            entities = [
                with_head_noun(e, others, relabels, self.class_head_nouns) if e.label_ in self.designation_labels else e
                for e in entities
            ]
        if self.trim_indefinite_articles:
            entities = [without_indefinite_article(e) if e.label_ in self.designation_labels else e for e in entities]
        if self.trim_quantifiers:
            entities = [without_quantifier(e) if e.label_ in self.designation_labels else e for e in entities]
        # after the splits, so that a nationality before the name stays a nationality ("[Russian] [Zapad-2025]")
        entities = [
            as_operation(e) if e.label_ in self.year_edition_labels and _is_name_and_year(e) else e for e in entities
        ]
        if self.whole_class_mentions:
            entities = [with_whole_class_mention(e, relabels, entities) for e in entities]
        if self.relabel_class_mentions:
            entities = [relabelled(e, class_mentions.get((e.start, e.end))) for e in entities]
        if not self.names_after_class_nouns:
            matches = [m for m in matches if not m.id_.endswith(AFTER_CLASS_NOUN)]
        exercises, matches = _by_id_suffix(without_cues(matches), BEFORE_EXERCISE_WORD)
        if self.exercise_editions:
            actors = nationalities + [e for e in entities if e.label_ in ACTOR_LABELS]
            names = (exercise_name(m, actors) for m in exercises)
            matches += [name for name in names if name is not None]
        taken: list[Span] = []
        for match in sorted(matches, key=lambda span: (span.start - span.end, span.start)):
            if any(_overlap(match, other) for other in taken):
                continue
            overlapping = [e for e in entities if _overlap(match, e)]
            if match.label_ in self.written_forms or all(
                match.start <= e.start or (self.lower_case_words_give_way and _lower_case_before(e, match))
                for e in overlapping
            ):
                entities = [e for e in entities if e not in overlapping]
                taken.append(match)
        merged = sorted(entities + taken)
        if self.class_nouns_before_names:
            merged = [e for e in merged if not _class_noun_before_name(e, merged, self.designation_labels)]
        return merged


@registry.misc("defence_ner.rule_names.v1")
def make_rule_names() -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """The rule ruler's spans_filter: its matches as RuleMerge sees them, without a ship's class noun or an
    identifier's cue."""
    return lambda spans, matches: without_cues(matches)


def _by_id_suffix(matches: Iterable[Span], suffix: str) -> tuple[list[Span], list[Span]]:
    """The matches of the patterns whose id ends with suffix, and the others: matches that only qualify the merge."""
    matches = list(matches)
    return [m for m in matches if m.id_.endswith(suffix)], [m for m in matches if not m.id_.endswith(suffix)]


def without_cues(matches: Iterable[Span]) -> list[Span]:
    """The matches, each ship name after a class noun without the noun ("frigate Provence" -> "Provence"), each
    identifier after a cue without the cue ("call sign DAGGER 11" -> "DAGGER 11") and each exercise's name and edition
    without the words after it ("Sea Guard-25 naval exercise" -> "Sea Guard-25")."""
    trimmed = []
    for match in matches:
        start, end = match.start, match.end
        if match.id_.endswith((AFTER_CLASS_NOUN, AFTER_CUE)):
            while start < end - 1 and _is_cue(match.doc[start]):
                start += 1
        if match.id_.endswith(BEFORE_EXERCISE_WORD):
            end = max(t.i for t in match if any(c.isdigit() for c in t.text)) + 1
        trimmed.append(
            match
            if (start, end) == (match.start, match.end)
            else Span(match.doc, start, end, label=match.label, span_id=match.id)
        )
    return trimmed


def exercise_name(match: Span, actors: Sequence[Span]) -> Span | None:
    """The match of a name and its edition, which ends it (spaced, "Dragon 24", or joined, "Zapad-2025"), without the
    actors (nationalities, or entities of ACTOR_LABELS) its name starts with and goes on after ("Russian Zapad-2025" ->
    "Zapad-2025", "NATO Steadfast Defender 24" -> "Steadfast Defender 24"); None where an actor is all of the name
    ("Russian 2025", "Taiwan 2025"). An actor joined to the next word is part of the name's word, not before it
    ("DENİZKURDU-II 2025", where the ner read "DENİZKURDU" as a place)."""
    doc = match.doc
    name_end = match.end - 1 if doc[match.end - 1].text[:1].isdigit() else match.end
    start = match.start
    while (
        before := next((a for a in actors if a.start == start and a.end < name_end and a[-1].whitespace_), None)
    ) is not None:
        start = before.end
    if any(a.start <= start and a.end >= name_end for a in actors if a.end > start):
        return None
    return match if start == match.start else Span(doc, start, match.end, label=match.label, span_id=match.id)


def _is_quote(token: Token) -> bool:
    return token.text in QUOTES


def _is_sentence_punctuation(token: Token) -> bool:
    return token.is_space or token.text in SENTENCE_PUNCTUATION


def _is_cue(token: Token) -> bool:
    return token.is_lower or token.is_punct or token.text in CUE_WORDS


def without_ends(entity: Span, trimmed: Callable[[Token], bool]) -> Span | None:
    """The entity without the tokens at its ends that are `trimmed` ('"Zircon' -> "Zircon" for quotation marks);
    None if it is nothing else."""
    start, end = entity.start, entity.end
    doc = entity.doc
    while start < end and trimmed(doc[start]):
        start += 1
    while end > start and trimmed(doc[end - 1]):
        end -= 1
    if start == end:
        return None
    if (start, end) == (entity.start, entity.end):
        return entity
    return Span(doc, start, end, label=entity.label, span_id=entity.id)


def without_trailing_function_words(entity: Span) -> Span:
    """The entity without the function words (and the sentence punctuation before them) at its end ("Arrow and" ->
    "Arrow", "small arms at" -> "small arms"); the entity itself where it is nothing else."""
    end = entity.end
    while end > entity.start + 1 and (
        entity.doc[end - 1].lower_ in FUNCTION_WORDS or _is_sentence_punctuation(entity.doc[end - 1])
    ):
        end -= 1
    if end == entity.end or entity.doc[end - 1].lower_ in FUNCTION_WORDS:
        return entity
    return Span(entity.doc, entity.start, end, label=entity.label, span_id=entity.id)


def with_whole_hyphenated_word(entity: Span, others: Iterable[Span] = (), prefix_labels: Sequence[str] = ()) -> Span:
    """The entity that ends at a hyphen inside a word with the rest of the word taken in ("Defense Minister Ahn Gyu-" of
    "Gyu-back", "April 28-" of "April 28-29", "three-" of "three-week", "Lashkar-" of "Lashkar-e-Taiba"); without the
    hyphen where its label is one of prefix_labels, a capitalised word is before the hyphen and the rest has no capital
    or digit ("Russian-" of "Russian-made" -> "Russian", "Iran-" of "Iran-backed"), or where another of the others
    covers the rest ("US-" before "[Philippine]"); the entity itself where it ends otherwise or is only the hyphen
    (which RuleMerge drops)."""
    doc, end = entity.doc, entity.end
    if end - 1 == entity.start or not _is_hyphen_inside_a_word(doc, end - 1):
        return entity
    while (
        end < len(doc) and not doc[end - 1].whitespace_ and (_is_word(doc[end]) or _is_hyphen_inside_a_word(doc, end))
    ):
        end += 1
    whole = Span(doc, entity.start, end, label=entity.label, span_id=entity.id)
    # a name and a participle or the like ("Iran-backed", "Russian-made"), not a name's parts ("Lashkar-e-Taiba")
    prefix = (
        entity.label_ in prefix_labels
        and doc[entity.end - 2].text[:1].isupper()
        and not any(c.isupper() or c.isdigit() for c in doc[entity.end : end].text)
    )
    if prefix or any(_overlap(whole, other) for other in others if other is not entity):
        return Span(doc, entity.start, entity.end - 1, label=entity.label, span_id=entity.id)
    return whole


def _is_hyphen_inside_a_word(doc, i: int) -> bool:
    """Whether token i is a hyphen with a letter or digit right before it and a word right after it ("Gyu-back")."""
    return (
        0 < i < len(doc) - 1
        and doc[i].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
        and doc[i - 1].text[-1:].isalnum()
        and _is_word(doc[i + 1])
    )


def _is_word(token: Token) -> bool:
    """Whether the token is letters and digits only: a word's part between hyphens."""
    return token.text.isalnum()


def before_a_capital(entity: Span) -> Span:
    """The entity up to its first capitalised word after the first, without the hyphens and sentence punctuation left
    at its end ("two dozen Tomahawk land-" -> "two dozen"); the entity itself where it has none."""
    doc = entity.doc
    end = next((t.i for t in entity[1:] if t.text[:1].isupper()), entity.end)
    while end > entity.start + 1 and (doc[end - 1].text == "-" or _is_sentence_punctuation(doc[end - 1])):
        end -= 1
    if end == entity.end:
        return entity
    return Span(doc, entity.start, end, label=entity.label, span_id=entity.id)


def with_place_word(entity: Span, others: Iterable[Span], place_words: Sequence[str]) -> Span:
    """The place with the capitalised word for its kind right after it taken in ("Kumamoto" of "Kumamoto Prefecture",
    "Ishigaki" of "Ishigaki Island"), where the word is one of place_words, in any case, and no other entity or rule
    match covers it ("Romania" before the exercise "Sea Shield 2025" stays "Romania"); the entity itself otherwise."""
    doc, end = entity.doc, entity.end
    if end >= len(doc) or not doc[end].text[:1].isupper():
        return entity
    return _with_word_after(entity, others, place_words)


def with_head_noun(
    entity: Span, others: Iterable[Span], class_mentions: Iterable[Span], head_nouns: Sequence[str]
) -> Span:
    """The entity of lower-case words with the head noun after it, after a space, taken in ("[interceptor] drones" ->
    "[interceptor drones]", "[uncrewed] boats"), where the noun is one of head_nouns, in any case, is a word of its own
    and no other entity or rule match covers it; the entity itself otherwise: one with a capital or a digit ("[FPV]
    drones"), one that ends with a class mention's head noun already ("[missile] boats" is no weapon), and a noun that
    starts a hyphenated word ("[naval] drone-launched")."""
    doc, end = entity.doc, entity.end
    if end >= len(doc) or _has_capital_or_digit(entity):
        return entity
    if not doc[end].whitespace_ and end + 1 < len(doc) and doc[end + 1].text == "-":
        return entity
    if any(mention.end == end for mention in class_mentions):
        return entity
    return _with_word_after(entity, others, head_nouns)


def _with_word_after(entity: Span, others: Iterable[Span], words: Sequence[str]) -> Span:
    """The entity with the word right after it, after a space, taken in, where the word is one of words, in any case,
    and no other entity or rule match covers it; the entity itself otherwise."""
    doc, end = entity.doc, entity.end
    if end >= len(doc) or not doc[end - 1].whitespace_ or doc[end].lower_ not in {word.lower() for word in words}:
        return entity
    if any(other.start <= end < other.end for other in others):
        return entity
    return Span(doc, entity.start, end + 1, label=entity.label, span_id=entity.id)


def as_operation(entity: Span) -> Span:
    """The entity labelled OPERATION."""
    return Span(entity.doc, entity.start, entity.end, label="OPERATION", span_id=entity.id)


def _is_name_and_year(entity: Span) -> bool:
    """Whether the entity is capitalised words and then a year since 2010, spaced or joined ("CARAT Bangladesh 2024",
    "Anadolu Kartali-2025"): an exercise's edition. Older four-digit numbers name systems ("PzH 2000")."""
    *name, last = entity
    if not EDITION_YEAR.fullmatch(last.text) or not (name or "-" in last.text):
        return False
    return all(token.text[:1].isupper() or token.text == "-" for token in name) and (
        bool(name) or last.text[0].isupper()
    )


def without_lower_case_words(entity: Span) -> Span:
    """The entity without the lower-case words at its ends ("exercise AMAN-25 commenced" -> "AMAN-25"); the entity
    itself where it is nothing else."""
    return without_ends(entity, lambda token: token.is_alpha and token.is_lower) or entity


def without_lower_case_ends(entity: Span, others: Iterable[Span] = ()) -> Span:
    """The entity widened to whole words (whole_words) unless that overlaps one of the others, then without the
    lower-case words at its ends and the sentence punctuation they leave there ("joint advisory AA25-239A that" ->
    "AA25-239A", "FDC NOTAM 5/8125, advised" -> "FDC NOTAM 5/8125", "NAVAREA III warning 0914/25" unchanged); the
    entity itself where it is nothing else ("the manual")."""
    widened = whole_words(entity)
    if not any(_overlap(widened, other) for other in others if other is not entity):
        entity = widened
    return (
        without_ends(entity, lambda token: token.is_alpha and token.is_lower or _is_sentence_punctuation(token))
        or entity
    )


def whole_words(entity: Span) -> Span:
    """The entity widened to the whole of the words (text between spaces) it starts and ends in, where the tokenizer
    split a word the entity cuts ("Transmittal No. 25" in "Transmittal No. 25-61" -> "Transmittal No. 25-61");
    brackets, quotation marks and a sentence's punctuation stay outside."""
    doc = entity.doc
    start, end = entity.start, entity.end

    def outside(token: Token) -> bool:
        return token.is_bracket or token.is_quote or token.text in QUOTES or token.text in SENTENCE_PUNCTUATION

    while start > 0 and not doc[start - 1].whitespace_ and not outside(doc[start - 1]):
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and not outside(doc[end]):
        end += 1
    if (start, end) == (entity.start, entity.end):
        return entity
    return Span(doc, start, end, label=entity.label, span_id=entity.id)


def with_whole_class_mention(entity: Span, class_mentions: Iterable[Span], others: Iterable[Span] = ()) -> Span:
    """The entity as the longest class mention of its label that it starts and stops inside of, where it has no
    capital letter: the ner cut the head noun off ("[air-launched ballistic] missile" -> "[air-launched ballistic
    missile]"); the entity itself otherwise ("[coalition] warship": an organisation), or where another entity overlaps
    the rest."""
    if any(c.isupper() for c in entity.text):
        return entity
    longer = [m for m in class_mentions if m.start == entity.start and m.end > entity.end and m.label == entity.label]
    if not longer:
        return entity
    whole = max(longer, key=len)
    if any(o.start < whole.end and o.end > entity.end and o is not entity for o in others):
        return entity
    return Span(entity.doc, entity.start, whole.end, label=entity.label, span_id=entity.id)


def without_indefinite_article(entity: Span) -> Span:
    """The entity without a leading "a" or "an", where the rest is lower-case words: a class mention ("a cruise
    missile" -> "cruise missile"); the entity itself otherwise ("A-10", "a Tomahawk": not this function's)."""
    return _without_first_word(entity, ("a", "an"))


def without_quantifier(entity: Span) -> Span:
    """The entity without a leading quantifier (QUANTIFIERS), where the rest is lower-case words: a class mention
    ("several cruise missiles" -> "cruise missiles"); the entity itself otherwise."""
    return _without_first_word(entity, QUANTIFIERS)


def _without_first_word(entity: Span, words: Sequence[str]) -> Span:
    """The entity without its first word, where that is one of the words and the rest is a class mention: no capital,
    a lower-case word, and no stop word first ("An [air-launched missile]", "a [5-inch gun]"; not "An 26", the
    Antonov, or "more than 100 drones")."""
    rest = entity[1:]
    if (
        entity[0].lower_ not in words
        or not rest
        or any(c.isupper() for c in rest.text)
        or not any(t.is_alpha and t.is_lower for t in rest)
        or rest[0].is_stop
    ):
        return entity
    return Span(entity.doc, entity.start + 1, entity.end, label=entity.label, span_id=entity.id)


def relabelled(entity: Span, match: Span | None) -> Span:
    """The entity with the match's label, where there is a match of another label."""
    if match is None or match.label == entity.label:
        return entity
    return Span(entity.doc, entity.start, entity.end, label=match.label, span_id=entity.id)


def without_approximation(entity: Span) -> Span:
    """The entity without a leading approximation ("nearly 12 months" -> "12 months", "more than 200" -> "200"); the
    entity itself where it has none or is nothing else."""
    words = tuple(token.lower_ for token in entity)
    for approximation in APPROXIMATIONS:
        if words[: len(approximation)] == approximation and len(words) > len(approximation):
            return Span(
                entity.doc, entity.start + len(approximation), entity.end, label=entity.label, span_id=entity.id
            )
    return entity


def _is_approximation(entity: Span) -> bool:
    """Whether the entity is an approximation and nothing else ("more than")."""
    return tuple(token.lower_ for token in entity) in APPROXIMATIONS


def end_at_designation(entity: Span) -> Span:
    """The entity without the generic words after a name with a designation ("Kh-101 cruise missiles" -> "Kh-101",
    "MQ-9 Reaper drones" -> "MQ-9 Reaper"); the entity itself where it has no such ending."""
    end = entity.start + designation_end([token.text for token in entity])
    if end == entity.end:
        return entity
    return Span(entity.doc, entity.start, end, label=entity.label, span_id=entity.id)


def end_at_class_word(entity: Span) -> Span:
    """The entity without the lower-case words after its last "-class" ("FUCHI-class fast combat supply" ->
    "FUCHI-class", "Sandown-class minehunters" -> "Sandown-class"); the entity itself where no such word ends it."""
    doc = entity.doc
    for i in range(entity.end - 2, entity.start, -1):
        if doc[i].lower_ == "class" and doc[i - 1].text == "-" and not doc[i - 1].whitespace_:
            rest = doc[i + 1 : entity.end]
            if all(t.is_lower or t.text == "-" for t in rest):
                return Span(doc, entity.start, i + 1, label=entity.label, span_id=entity.id)
            return entity
    return entity


def with_whole_designation(entity: Span, others: Iterable[Span] = ()) -> Span:
    """The entity with the rest of its last designation's word taken in, where the tokenizer split it off: capital
    letters after a digit, which spaCy reads as a unit ("T-90" + "M" of "T-90M tanks", "EA-18" + "G"), and a variant
    after a slash ("F-16C" + "/" + "D" of "F-16C/D"). The entity itself where nothing of the word follows it, the
    rest is other text (a possessive, punctuation), or another entity covers it."""
    doc, end = entity.doc, entity.end
    last = entity[-1].text
    if not (any(c.isdigit() for c in last) and any(c.isalpha() for c in last)):
        return entity
    while end < len(doc) and not doc[end - 1].whitespace_:
        if doc[end - 1].text[-1:].isdigit() and _is_word_end(doc, end) and _is_capitals(doc[end]):
            end += 1
        elif doc[end].text == "/" and end + 1 < len(doc) and not doc[end].whitespace_ and _is_word_end(doc, end + 1):
            variant = doc[end + 1].text
            if not (variant.isalnum() and any(c.isupper() or c.isdigit() for c in variant)):
                break
            end += 2
        else:
            break
    if end == entity.end or any(o.start < end and o.end > entity.end and o is not entity for o in others):
        return entity
    return Span(doc, entity.start, end, label=entity.label, span_id=entity.id)


def _is_capitals(token: Token) -> bool:
    return token.is_alpha and token.is_upper and len(token) <= 2


def _is_word_end(doc, i: int) -> bool:
    """Whether token i ends its word: whitespace after it, the text's end, or a token that is no letter or digit."""
    return i + 1 == len(doc) or bool(doc[i].whitespace_) or not doc[i + 1].text.isalnum()


def designation_end(words: Sequence[str]) -> int:
    """How many of a name's words (tokens, or an alias's words) stay when the generic words (no capital, no digit)
    after a designation in it go: 1 of "Kh-101 cruise missiles", 2 of "MQ-9 Reaper drones"; all of them where the
    name has no designation before such words ("155mm shells": a calibre) or none after it."""
    end = len(words)
    while end > 0 and not any(c.isupper() or c.isdigit() for c in words[end - 1]):
        end -= 1
    if end == 0 or not any(
        is_designation(word, i > 0 and words[i - 1][:1].isupper()) for i, word in enumerate(words[:end])
    ):
        return len(words)
    return end


def is_designation(word: str, after_capitalised_word: bool) -> bool:
    """Whether a word of a name is a designation: a word with a digit that is not a calibre ("F-16AM", "Kh-101"), or a
    number after a capitalised word of the name ("Type 12")."""
    if CALIBRE.match(word) or not any(c.isdigit() for c in word):
        return False
    return any(c.isalpha() for c in word) or after_capitalised_word


def with_count_split_off(entity: Span) -> list[Span]:
    """The entity as a count (QUANTITY) and the name after it, where it starts with a number and goes on, after a
    space, with a word with a capital or a digit ("1,970 PAC-3 MSE" -> "1,970" and "PAC-3 MSE"); [the entity]
    otherwise ("101 munitions", "155 mm guns")."""
    doc = entity.doc
    first = doc[entity.start]
    if len(entity) < 2 or not first.like_num or not first.whitespace_:
        return [entity]
    after = doc[entity.start + 1]
    if not (after.text[:1].isupper() or after.text[:1].isdigit()):
        return [entity]
    return _split_at(entity, entity.start + 1, "QUANTITY")


def with_nationality_split_off(
    entity: Span, nationalities: Iterable[Span], class_mentions: Iterable[Span] = ()
) -> list[Span]:
    """The entity as a nationality and the name after it, where it starts with one of the nationalities (matches) and
    goes on, after a space, with a designation, a word with a digit or of two capitals or more ("U.S. B-1B Lancer" ->
    "U.S." and "B-1B Lancer", "North Korean ICBM"), or with a name in title case that is no force's ("U.S. Patriot",
    "Russian Kalibr"; not "British Army Type 45", a word of FORCE_WORDS) and does not end with a class noun (one of
    class_mentions ends there: "Israeli Jets" of a headline); [the entity] otherwise ("Israeli jets")."""
    for nationality in nationalities:
        if nationality.start != entity.start or nationality.end >= entity.end:
            continue
        after = entity.doc[nationality.end]
        letters = sum(c.isalpha() for c in after.text)
        designated = any(c.isdigit() for c in after.text) or after.text.isupper() and letters > 1
        rest = entity.doc[nationality.end : entity.end]
        named = (
            after.is_title
            and not any(token.text in FORCE_WORDS for token in rest)
            and not any(m.end == entity.end and m.start >= nationality.end for m in class_mentions)
        )
        if (designated or named) and entity.doc[nationality.end - 1].whitespace_:
            return _split_at(entity, nationality.end, nationality.label_)
    return [entity]


def with_titles(entities: Sequence[Span], titles: Iterable[Span]) -> list[Span]:
    """The entities, each PERSON entity from the start of a title (matches) that ends where it starts or that it starts
    inside ("Gen. [Stephen Whiting]" -> "Gen. Stephen Whiting", "Rear [Adm. Helen Marsh]" -> "Rear Adm. Helen Marsh"),
    without the entities inside such a title (the ner's "[Rear Adm.] [Helen Marsh]")."""
    titles = list(titles)
    widened = []
    for entity in entities:
        starts = [t.start for t in titles if entity.label_ == "PERSON" and t.start < entity.start <= t.end]
        # An entity that runs into the title from before it ("U.S. Navy Capt.") keeps it.
        starts = [s for s in starts if not any(e.start < s < e.end for e in entities)]
        if starts:
            entity = Span(entity.doc, min(starts), entity.end, label=entity.label, span_id=entity.id)
        widened.append(entity)
    return [e for e in widened if not any(w is not e and w.start <= e.start and e.end <= w.end for w in widened)]


def _split_at(entity: Span, at: int, label: str) -> list[Span]:
    """The entity's words before token `at` as an entity of label, and the rest as the entity, with its label and id."""
    rest = Span(entity.doc, at, entity.end, label=entity.label, span_id=entity.id)
    return [Span(entity.doc, entity.start, at, label=label), rest]


def without_class_noun(entity: Span) -> Span:
    """The entity from its first word with a capital or a digit, where the words before it are lower-case and not a
    determiner alone ("the cutter Haijing 2901" -> "Haijing 2901", "air-launched BrahMos" -> "BrahMos"); the entity
    itself otherwise ("a VBIED", "cruise missiles")."""
    first = next((t.i for t in entity if t.text[:1].isupper() or t.text[:1].isdigit()), None)
    if first is None or first == entity.start:
        return entity
    before = entity.doc[entity.start : first]
    if not all(t.is_lower or t.text == "-" for t in before) or all(t.lower_ in DETERMINERS for t in before):
        return entity
    return Span(entity.doc, first, entity.end, label=entity.label, span_id=entity.id)


def _class_noun_before_name(entity: Span, entities: Iterable[Span], labels: Sequence[str]) -> bool:
    """Whether the entity, of labels, is lower-case words only (hyphens too) right before an entity of its label with a
    capital or a digit: a class noun before a name ("air-defence destroyer" before "FS Forbin")."""
    if entity.label_ not in labels or not all(t.is_lower or t.text == "-" for t in entity):
        return False
    return any(
        e.start == entity.end and e.label == entity.label and _has_capital_or_digit(e) and entity[-1].whitespace_
        for e in entities
    )


def _lower_case_before(entity: Span, match: Span) -> bool:
    """Whether the entity's words before the match are all lower case ("the minehunter [ROS Sublocotenent Alexandru
    Axente]"): no longer name that the match is part of, but the ner running on into a class noun."""
    return all(token.is_lower for token in entity.doc[entity.start : match.start])


def _has_capital_or_digit(entity: Span) -> bool:
    return any(c.isupper() or c.isdigit() for c in entity.text)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
