"""Knowledge-backed recognition: the names and aliases of the defence knowledge base
(corpus/knowledge_base/) found by spaCy's span_ruler after the ner and the rules, and merged with
their entities. Two rulers, because an alias is either sure out of context or not:
- `knowledge` holds the unambiguous aliases ("S-400", "SA-21 Growler", "INS Vikrant"; with `variant_suffix`, an
  alias ending in a number also finds its unlisted variants and plurals: "Su-35S", "F-16s"; with the patterns'
  `spelling_labels`, a designation's other spellings are aliases too: "Su 35", "Su35", and with `plural_labels` a
  name's plural: "Naval Strike Missiles") and every known
  exercise's names (a name in title case also in capitals, as US military releases write it: "COBRA GOLD"), even
  those that are ambiguous alone, followed by a year ("RIMPAC 2024", "Zapad 2025", "Zapad-2025", "Anakonda-24") or
  by a word for an exercise ("Malabar exercise", "Zapad drills"); that word is then
  dropped from the match (the annotation convention: "[Malabar] exercise"). Longest match first, a match replaces the
  entities it overlaps (its label corrects the ner's type where the boundaries are the same: S-400 is
  a WEAPON whatever the sentence; it trims an entity that ran on into generic words: "[Kh-101] cruise
  missiles"), unless one of them runs on past it, before or after, with a capitalised word or a
  digit: then the match is part of a longer name ("BrahMos Aerospace") and gives way (a number word does not make
  one: "[KAAN] fifth-generation fighters"), except where its label is one of `edition_labels` (configured: OPERATION,
  WEAPON, MILITARY_PLATFORM) and the entity is the match and the edition or version after it, a year or a Roman
  numeral: then it is the known name's edition ("UNITAS LXVI", "BALTOPS 24", "M-SAM II"), with the match's label.
  A weapon's or platform's match followed by a version word and its version takes them in whatever the ner found
  ("SM-2 Block IIIC", "KSS-III Batch-II", "PrSM Increment 2"). Such a match followed by an edition and a word for an
  exercise takes the edition in whatever the ner found ("Han Kuang 41 exercise"; the word tells an edition from a
  count: "BALTOPS 24 ships"), and so does a known operation's or exercise's before punctuation, the text's end, a
  capitalised word or a stop word ("Talisman Sabre 25, the largest", "BALTOPS 25 in the Baltic"); a known operation's
  or exercise's edition takes in an iteration joined to it ("Cope Thunder 25-1", "Juniper Oak 23.2"). Where
  `split_names_of_two_kinds` is set (configured: it is), an entity that is wholly made of sure matches (determiners,
  punctuation and generic words after the last aside) of two labels or more is not one name but several: "[US Army]
  [THAAD]" and "[US Army] [THAAD] batteries" give way to them, and so does "[RAAF F-35A Lightning] II", where the last
  name runs on past the entity that the ner cut short.
- `knowledge_ambiguous` holds the aliases that are also common words, places or people ("Patriot",
  "Tiger", "Vikrant", "Canberra"; not such a name with a designation joined to it: "Iskander-M" is sure), and the
  designations that the knowledge base writes only with generic words after them (with the patterns'
  `designation_labels`, configured: "Type 12" of "Type 12 surface-to-ship missile", an alias that is then no
  pattern, as the annotation convention leaves the generic words out): it adds nothing (but for a list, with
  `coordinated_names`, and before a head noun, with `head_nouns`, below), and an
  entity the ner found with exactly such an alias's boundaries takes the knowledge base's label, if the ner gave it
  one of `relabel` (configured: the defence types; a place or a person the ner saw stays one: "Canberra" the capital
  is not HMAS Canberra). Where `trim_generic_words` is set (configured: it is), such an entity that is the alias
  followed by lower-case words only ends with the alias, as the training data annotates it: "[Lancet] kamikaze
  drones", "[Patriot] missile defense system" (the ner's defence label says which sense the alias has). Where
  `edition_labels` is set (configured: OPERATION, WEAPON, MILITARY_PLATFORM), such an entity that is the alias of
  an exercise and its edition is that exercise, with the edition and an iteration joined to it ("KAMANDAG 9", "Red
  Flag 25-1"), with a year whatever the ner's type ("Malabar 24" read as a place), and one that is a weapon's or
  platform's alias, or the alias and part of its version, or that ends with such an alias of its label or inside its
  version, takes in the version after it, with the ner's entity of the version alone ("Tomahawk Block IV", "Eurofighter
  Typhoon Tranche 4", "[FIM-92K Stinger] Block I" -> "[FIM-92K Stinger Block I]", "[RGM-84L-4 Harpoon Block] II" ->
  "[RGM-84L-4 Harpoon Block II]").
  Where `exercises_in_context` is set (configured: it is), an exercise's alias before at most two lower-case words
  and a word for an exercise is that exercise whatever the ner read: "the [Malabar] naval exercise". Where
  `head_nouns` gives a label's head nouns (configured: missiles, rockets, bombs, systems, batteries... for weapons;
  jets, aircraft, helicopters, tanks, submarines, warships... for platforms), an alias of one label right before one
  of them is a mention of that label whatever the ner read, and joins a designation of its label right before it:
  "[Patriot] batteries", "[Tejas] jets" read as a place, "[AV-8B] Harrier jets" -> "[AV-8B Harrier] jets", unless a
  sure alias's entity is there ("[Dhanush missiles]"). Where
  `whole_aliases` is set (configured: it is), an entity that starts an alias of several words and stops inside it,
  with the alias's label, is the alias: "[Haj] Qassem" -> "[Haj Qassem]". Where `coordinated_names` is set
  (configured: it is), an alias joined in a list to an entity of its label takes that label whatever the ner read,
  and is added where the ner found nothing there: "debris from [Emad], [Ghadr-110] and [Kheibar Shekan] missiles".
  Where `sure_spans_keys` names the sure ruler's spans (configured: it does), an entity with a sure match's
  boundaries and label is neither relabelled nor given an edition or a version: "[Shadow 25]", the loitering
  munition, is no edition of the RQ-7 Shadow.
Where `end_before_of_names` names a label (configured: organisations), an entity of it that runs on past "of" into
a sure match of another label ends before "of" where the match is taken: "[the Government of Poland] of
[AIM-120D-3]", as sale notices write it.
Where `join_names_of_one_record` is set (configured: it is, for both), a known designation and a name of the same
record right after it are one mention, whichever ruler found the name, with a version after it: "FIM-92K Stinger",
"AIM-120C AMRAAM", "FIM-92K Stinger Block I"; so are a name and a designation of its record after it, both sure
matches: "Exocet MM40 Block 3C".
Every match stays in doc.spans["knowledge"] or doc.spans["knowledge_ambiguous"] with the record's id
as its id (span.id_). Turn either off with spacy.load(..., exclude=["knowledge", "knowledge_ambiguous"]).

This module is self-contained: `spacy package --code` ships it with the pipeline.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial

from spacy.tokens import Doc, Span
from spacy.util import registry

DETERMINERS = ("the", "a", "an")
# An edition's Roman numeral, I to CCCXCIX ("UNITAS LXVI"); upper case only, so that no word is one.
ROMAN_NUMERAL = re.compile(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
# A two-digit year and an iteration after a point, one token: "Juniper Oak 23.2".
ITERATION = re.compile(r"\d{2}\.\d")
# The words that give a weapon's or platform's version, and the version after them: a number or a Roman numeral,
# with a letter after it or not ("Block 70", "Block IIIC", "Block 3c", "Batch-II", "Increment 2", "Mk II"), or two
# numbers ("Block 70/72"). The training data annotates the version as part of the name ("SM-6 Block IA", "PrSM
# Increment 1").
VERSION_WORDS = ("Block", "Batch", "Flight", "Tranche", "Increment", "Mk")
VERSION = re.compile(r"(?:\d+[A-Za-z]?|[IVX]+[A-Z]?|\d+/\d+)")
# The words after a known exercise's name that make it sure; they stay out of the entity.
EXERCISE_WORDS = ("exercise", "exercises", "drill", "drills", "wargames", "manoeuvres", "maneuvers")
# What each ruler does, as the model card says it (the merges below are these sentences in code).
SURE = (
    "finds the knowledge base's unambiguous aliases (a designation's unlisted variants and plurals too: "
    '"Su-35S", "AIM-120C-8", "F-16s", and where configured its other spellings: "Su 35", "Su35", and a name\'s '
    'plural: "Naval Strike Missiles") and known exercise names '
    "followed by a year or by a word for "
    'an exercise (which it leaves out; a name written in capitals also in title case: "Rimpac 2024", and one in title '
    'case also in capitals: "COBRA GOLD"); longest '
    "match first, a match replaces the entities it overlaps (its label "
    "corrects the ner's type, and it trims generic words the ner ran on into), unless one of them runs on past it "
    "with a capitalised word or a number in digits (but a known operation's, weapon's or platform's edition or "
    'version after it, a year or a Roman numeral, is the known name: "UNITAS LXVI", "BALTOPS 24", "M-SAM II", and so '
    "is a weapon's or platform's version, \"SM-2 Block IIIC\", and a known exercise's edition before a word for an "
    'exercise, "Han Kuang 41 exercise", or before punctuation or a stop word, "BALTOPS 25 in the Baltic", with an '
    'iteration joined to it, "Cope Thunder 25-1"); an entity '
    "wholly made of matches of two labels or more, generic words after them aside, gives way to them ('US Army THAAD "
    "batteries' is a unit and a weapon; so does 'RAAF F-35A Lightning', which the ner cut short of 'Lightning II'), "
    "and a designation and its record's name next to it are one, with a version "
    "after it ('FIM-92K Stinger', 'FIM-92K Stinger Block I', 'Exocet MM40 Block 3C'); where configured, an "
    "organisation that runs on past 'of' into a match of another label ends before 'of' ('[the Government of "
    "Poland] of [AIM-120D-3]')"
)
AMBIGUOUS = (
    "finds the knowledge base's ambiguous aliases (common words, places, people's names, a weapon's or platform's "
    'name in capitals written in title case, "Himars", or in title case written in capitals, "HAMMER", an ambiguous '
    'name\'s plural, "Arleigh Burkes", and '
    'designations it writes only with generic words after them: "Type 12" of "Type 12 surface-to-ship missile"); it'
    " adds no entity (but for a list and before a head noun, below), and an entity with exactly such an alias's "
    "boundaries and a label of "
    "the defence types (weapon, platform, vehicle, operation) takes the knowledge base's label (where configured, "
    'so does such an entity that is the alias and generic words after it, which it then leaves out: "[Lancet] '
    "kamikaze drones\", and such an entity that is an exercise's alias and its edition (with a year, of any type), "
    "which it keeps: "
    "\"KAMANDAG 9\", or a weapon's or platform's alias, or an entity of its label that ends with one, which takes a "
    'version after it in: "Tomahawk Block IV", "FIM-92K Stinger Block I"; and, where configured, an '
    "exercise's alias before lower-case words that end with a word for an exercise is that exercise, whatever the "
    'ner read: "the [Malabar] naval exercise"; where configured, an entity the ner cut short inside such an alias '
    'of several words, with its label, is the alias: "[Haj Qassem]", and such an alias in a list with an entity of '
    'its label takes that label, whatever the ner read, and is added where the ner found nothing: "debris from '
    '[Emad], [Ghadr-110] and [Kheibar Shekan] missiles"; where configured, such an alias of one label right before a '
    "head noun of that label is a mention of it, whatever the ner read, and is added where the ner found nothing or "
    'joins a designation of its label right before it: "[Tejas] jets", "[AV-8B Harrier] jets"; where configured, it '
    "neither relabels nor gives an edition "
    'or a version to an entity that is a sure alias\'s match: "[Shadow 25]", the loitering munition, is no edition '
    "of the RQ-7 Shadow)"
)


@registry.misc("defence_ner.merge_knowledge_matches.v1")
def make_merge_knowledge_matches(
    split_names_of_two_kinds: bool = False,
    edition_labels: Sequence[str] = (),
    join_names_of_one_record: bool = False,
    end_before_of_names: Sequence[str] = (),
) -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """split_names_of_two_kinds, edition_labels, join_names_of_one_record and end_before_of_names: the defaults (False,
    none, False, none) keep pipelines saved before them as they were."""
    return partial(
        merge_knowledge_matches,
        split_names_of_two_kinds=split_names_of_two_kinds,
        edition_labels=tuple(edition_labels),
        join_names_of_one_record=join_names_of_one_record,
        end_before_of_names=tuple(end_before_of_names),
    )


@registry.misc("defence_ner.trim_exercise_words.v1")
def make_trim_exercise_words() -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """The `knowledge` ruler's spans_filter: its matches as merge_knowledge_matches sees them."""
    return lambda spans, matches: without_exercise_words(matches)


@registry.misc("defence_ner.relabel_known_entities.v1")
def make_relabel_known_entities(
    relabel: Sequence[str] | None = None,
    trim_generic_words: bool = False,
    edition_labels: Sequence[str] = (),
    join_names_of_one_record: bool = False,
    exercises_in_context: bool = False,
    whole_aliases: bool = False,
    coordinated_names: bool = False,
    sure_spans_keys: Sequence[str] = (),
    head_nouns: dict[str, Sequence[str]] | None = None,
) -> Callable[[Iterable[Span], Iterable[Span]], list[Span]]:
    """relabel: the ner labels a match may change (None, the default of pipelines saved before it existed: any);
    trim_generic_words, edition_labels, join_names_of_one_record, exercises_in_context, whole_aliases,
    coordinated_names, sure_spans_keys and head_nouns: the defaults (False, none, False, False, False, False, none,
    none) keep pipelines saved before them as they were."""
    return partial(
        relabel_known_entities,
        relabel=None if relabel is None else tuple(relabel),
        trim_generic_words=trim_generic_words,
        edition_labels=tuple(edition_labels),
        join_names_of_one_record=join_names_of_one_record,
        exercises_in_context=exercises_in_context,
        whole_aliases=whole_aliases,
        coordinated_names=coordinated_names,
        sure_spans_keys=tuple(sure_spans_keys),
        head_nouns={label: tuple(nouns) for label, nouns in (head_nouns or {}).items()},
    )


def merge_knowledge_matches(
    entities: Iterable[Span],
    matches: Iterable[Span],
    split_names_of_two_kinds: bool = False,
    edition_labels: Sequence[str] = (),
    join_names_of_one_record: bool = False,
    end_before_of_names: Sequence[str] = (),
) -> list[Span]:
    """The sure matches merged with the entities, longest first: a match replaces the entities it overlaps unless one
    runs on past it with a name; an entity of end_before_of_names that runs on past "of" into a match of another label
    ends before "of" where the match is taken (_before_of_a_name: "[the Government of Poland] of [AIM-120D-3]", as a
    sale notice writes it). Before that, an entity wholly made of matches of two labels gives way to them if
    split_names_of_two_kinds, and a designation and its record's name next to it are one match if
    join_names_of_one_record; a match of edition_labels takes its edition or version in."""
    matches = without_exercise_words(matches)
    if join_names_of_one_record:
        matches += names_of_one_record(matches)
    entities = list(entities)
    if split_names_of_two_kinds:
        entities = [e for e in entities if not _made_of_names_of_two_kinds(e, matches)]
    taken: list[Span] = []
    for match in _longest_first(matches):
        if match.label_ in edition_labels:
            edition = next((e for e in entities if _is_name_and_edition(e, match)), None)
            end = edition.end if edition is not None else _edition_after(match)
            if end is not None:
                if match.label_ == "OPERATION":
                    end, _ = _iteration_taken(entities, match.doc, end)
                match = Span(match.doc, match.start, end, label=match.label, span_id=match.id)
        if any(_overlap(match, other) for other in taken):
            continue
        cut = [_before_of_a_name(e, match) if e.label_ in end_before_of_names else e for e in entities]
        overlapping = [e for e in cut if _overlap(match, e)]
        if any(_runs_on_with_a_name(entity, match) for entity in overlapping):
            continue
        entities = [e for e in cut if e not in overlapping]
        taken.append(match)
    return sorted(entities + taken)


def relabel_known_entities(
    entities: Iterable[Span],
    matches: Iterable[Span],
    relabel: Sequence[str] | None = None,
    trim_generic_words: bool = False,
    edition_labels: Sequence[str] = (),
    join_names_of_one_record: bool = False,
    exercises_in_context: bool = False,
    whole_aliases: bool = False,
    coordinated_names: bool = False,
    sure_spans_keys: Sequence[str] = (),
    head_nouns: dict[str, Sequence[str]] | None = None,
) -> list[Span]:
    """An entity with the boundaries and label of a sure alias's match (in the doc's spans of sure_spans_keys) is
    neither relabelled nor given an edition or a version below: a sure name outranks an ambiguous one ("Shadow 25", the
    loitering munition, is no edition of the RQ-7 Shadow). If exercises_in_context, first an exercise's alias before
    lower-case words that end with a word for an exercise is that exercise whatever the ner found
    (_exercises_in_context: "the [Malabar] naval exercise"). If head_nouns, next an alias of one label right before a
    lower-case word of its label's head_nouns is a mention of that label whatever the ner found, unless a sure
    alias's entity is there (_names_before_head_nouns: "[Tejas] jets"). If whole_aliases, an entity that starts an
    alias of several words and ends inside it with the alias's label is the alias (_whole_aliases: "[Haj] Qassem" ->
    "[Haj Qassem]").
    Then each entity of a relabel label (any, if None) with a match's boundaries takes the match's label; if
    trim_generic_words, one that is a match followed by generic words only becomes the match; one that is a match of
    edition_labels followed by its edition (_is_name_and_edition: "KAMANDAG 9") takes the match's label and keeps the
    edition, and an iteration joined to an operation's ("Red Flag 25-1"), as does an operation's match and a year after
    it whatever the entity's label ("Malabar 24" read as a place), and one that is such a match, or such a match and
    part of its version, or that ends with such a match of its label or inside its version, takes in the version after
    it (_version_after: "Tomahawk Block IV", "Eurofighter Typhoon Tranche 4", "FIM-92K Stinger Block I"), with an entity
    of the version alone, where no other entity is there; if join_names_of_one_record, an entity a sure match of a
    record made (its id) that is a designation takes in a match of the same record's name right after it, and the
    version after that (_joined_with_its_name: "FIM-92K Stinger", "FIM-92K Stinger Block I"). Last, if
    coordinated_names, a match in a list with an entity of its label takes that label whatever the ner read
    (_coordinated_names: "debris from [Emad], [Ghadr-110] and [Kheibar Shekan] missiles")."""
    matches = list(matches)
    entities = _exercises_in_context(list(entities), matches) if exercises_in_context else list(entities)
    sure = _sure_matches(entities, sure_spans_keys)
    if head_nouns:
        entities = _names_before_head_nouns(entities, matches, head_nouns, sure)
    if whole_aliases:
        entities = _whole_aliases(entities, matches)
    labels = {(m.start, m.end): m for m in matches}
    dropped: set[tuple[int, int]] = set()
    relabelled = []
    for entity in entities:
        if (entity.start, entity.end) in dropped:
            continue
        if (entity.start, entity.end, entity.label) in sure:
            relabelled.append(entity)
            continue
        edition = [m for m in matches if m.label_ in edition_labels and _is_name_and_edition(entity, m)]
        # an operation's alias and a year after it is the operation whatever the ner's type ("Malabar 24", read as a
        # place): a place or a body takes no year ("Thunderbolt II" and "Shaheen 3" are a platform and a missile too)
        exercise = any(m.label_ == "OPERATION" for m in edition) and _is_year(entity[-1].text)
        if relabel is None or entity.label_ in relabel or exercise:
            match = labels.get((entity.start, entity.end))
            if match is None and trim_generic_words:
                match = _alias_before_generic_words(entity, matches)
            if match is None and edition_labels:
                match = _alias_before_its_version(entity, matches, edition_labels)
            if match is not None and match.label_ in edition_labels and match.end <= entity.end:
                version_end = _version_after(match)
                if version_end is not None and version_end >= entity.end:
                    # the ner's entities wholly inside the version ("Block IV" after "Tomahawk") join the name
                    inside = _entities_inside(entities, entity.end, version_end)
                    if inside is not None:
                        dropped |= inside
                        match = Span(entity.doc, match.start, version_end, label=match.label, span_id=match.id)
            if match is None:
                end = entity.end
                if edition and edition[0].label_ == "OPERATION":
                    end, inside = _iteration_taken(entities, entity.doc, entity.end)
                    dropped |= inside
                match = (
                    Span(entity.doc, entity.start, end, label=edition[0].label, span_id=edition[0].id)
                    if edition
                    else None
                )
            if match is not None and (match.label != entity.label or match.end != entity.end):
                entity = Span(entity.doc, match.start, match.end, label=match.label, span_id=match.id)
        relabelled.append(entity)
    relabelled = [e for e in relabelled if (e.start, e.end) not in dropped]
    if join_names_of_one_record:
        relabelled = _joined_with_its_name(relabelled, matches)
    return _coordinated_names(relabelled, matches) if coordinated_names else relabelled


def _sure_matches(entities: Sequence[Span], spans_keys: Sequence[str]) -> set[tuple[int, int, int]]:
    """The (start, end, label) of the matches in the entities' doc's spans of spans_keys (none where it has none)."""
    if not entities:
        return set()
    spans = entities[0].doc.spans
    return {(m.start, m.end, m.label) for key in spans_keys if key in spans for m in spans[key]}


def _whole_aliases(entities: list[Span], matches: Sequence[Span]) -> list[Span]:
    """The entities, with each match of several words that an entity of its label starts and that entities of its
    label only overlap, none past its end, taking their place: the ner cut the name short ("[Haj] Qassem", "[SAMP/T]
    NG", "[AASM] [Hammer]"). The training data never annotates such an alias shorter (92 whole, 16 longer, none
    shorter in the doc split)."""
    for match in _longest_first(m for m in matches if len(m) > 1):
        overlapping = [e for e in entities if _overlap(e, match)]
        if any(e.start == match.start and e.end < match.end for e in overlapping) and all(
            e.label == match.label and match.start <= e.start and e.end <= match.end for e in overlapping
        ):
            entities = sorted([e for e in entities if e not in overlapping] + [match])
    return entities


# The words and marks that join the names of a list ("Emad, Ghadr-110 and Kheibar Shekan", "Meteor or Taurus").
COORDINATORS = (",", "/", "and", "or")


def _coordinated_names(entities: list[Span], matches: Sequence[Span]) -> list[Span]:
    """The entities, with each match joined by a coordinator to an entity of its label taking that label: an entity
    with exactly the match's boundaries takes it, and the match is added where no entity overlaps it. The training
    data labels every such alias as its neighbour (33 of 33 in the doc split), so a list is read as one kind of thing;
    repeated until nothing changes, so that a whole list is read from one known name. Longest match first ("[Apache
    Longbow]", not "[Apache] Longbow"), and a span this sets is not set again."""
    entities = list(entities)
    taken: set[tuple[int, int]] = set()
    changed = True
    while changed:
        changed = False
        for match in _longest_first(matches):
            exact = [e for e in entities if (e.start, e.end) == (match.start, match.end)]
            if (match.start, match.end) in taken or exact and exact[0].label == match.label:
                continue
            if not exact and any(_overlap(match, e) for e in entities):
                continue
            if _in_a_list_with(match, [e for e in entities if e.label == match.label]):
                entities = [e for e in entities if e not in exact]
                entities.append(Span(match.doc, match.start, match.end, label=match.label, span_id=match.id))
                taken.add((match.start, match.end))
                changed = True
    return sorted(entities)


def _in_a_list_with(match: Span, neighbours: Sequence[Span]) -> bool:
    """Whether a coordinator joins the match to one of the neighbours, after or before it."""
    doc = match.doc
    after = _coordinator_length(doc[match.end : match.end + 2])
    before = _coordinator_length(doc[max(match.start - 2, 0) : match.start], at_end=True)
    return any(after and e.start == match.end + after or before and e.end == match.start - before for e in neighbours)


def _coordinator_length(tokens: Span, at_end: bool = False) -> int:
    """How many tokens the coordinator at the start of the tokens (at their end, if at_end) takes: 2 for ", and" and
    ", or", 1 for a coordinator alone, 0 where there is none."""
    texts = [t.lower_ for t in tokens]
    if texts in ([",", "and"], [",", "or"]):
        return 2
    edge = texts[-1:] if at_end else texts[:1]
    return 1 if edge and edge[0] in COORDINATORS else 0


# How many lower-case words may stand between an exercise's name and its word for an exercise ("the Malabar naval
# exercise", "Yudh Abhyas joint military exercise").
EXERCISE_WORDS_BETWEEN = 2


def _exercises_in_context(entities: list[Span], matches: Sequence[Span]) -> list[Span]:
    """The entities, with each operation's or exercise's alias (a match labelled OPERATION) followed by at most
    EXERCISE_WORDS_BETWEEN lower-case words and a word for an exercise made an entity of its own: the entities that
    start with it and end inside those words give way to it, and it is added where no other entity is there."""
    for match in (m for m in matches if m.label_ == "OPERATION"):
        doc = match.doc
        after = doc[match.end : match.end + EXERCISE_WORDS_BETWEEN + 1]
        ends = [t.i for t in after if t.lower_ in EXERCISE_WORDS]
        if not ends or not all(t.is_lower for t in doc[match.end : ends[0] + 1]):
            continue
        context = range(match.start, ends[0] + 1)
        inside = [e for e in entities if e.start == match.start and e.end <= context.stop]
        others = [e for e in entities if e not in inside and _overlap(e, match)]
        if not others:
            entities = sorted([e for e in entities if e not in inside] + [match])
    return entities


def _names_before_head_nouns(
    entities: list[Span], matches: Sequence[Span], head_nouns: dict[str, Sequence[str]], sure: set[tuple[int, int, int]]
) -> list[Span]:
    """The entities, with each alias whose matches there all have one label, right before a lower-case word of that
    label's head_nouns (in any case), made an entity of its own, longest first: an entity with its boundaries takes its
    label, one that starts with it and goes on with lower-case words only gives way to it ("[Tejas jets]" -> "[Tejas]
    jets"), and it is added where no entity is there, or joins a designation of its label right before it, keeping the
    designation's id where it has one ("[AV-8B] Harrier jets" -> "[AV-8B Harrier] jets"); an entity that starts before
    it, runs on with a name or is a sure alias's match keeps its place ("[FGM-148 Javelin] missiles", "[Dhanush
    missiles]", "[Sea Harrier] jets")."""
    nouns = {label: {noun.lower() for noun in label_nouns} for label, label_nouns in head_nouns.items()}
    for match in _longest_first(matches):
        doc, end = match.doc, match.end
        if end >= len(doc) or not doc[end].is_lower or not doc[end - 1].whitespace_:
            continue
        if doc[end].lower_ not in nouns.get(match.label_, ()):
            continue
        if any(m.label != match.label for m in matches if (m.start, m.end) == (match.start, match.end)):
            continue
        overlapping = [e for e in entities if _overlap(e, match)]
        if any((e.start, e.end, e.label) in sure for e in overlapping) or not all(
            e.start == match.start and all(t.is_lower for t in doc[end : e.end]) for e in overlapping
        ):
            continue
        before = [
            e
            for e in entities
            if e.end == match.start and e.label == match.label and doc[e.end - 1].whitespace_ and _has_digit(e)
        ]
        mention = (
            Span(doc, before[0].start, end, label=match.label, span_id=before[0].id or match.id) if before else match
        )
        entities = sorted([e for e in entities if e not in overlapping and e not in before] + [mention])
    return entities


def _joined_with_its_name(entities: list[Span], matches: Sequence[Span]) -> list[Span]:
    """The entities, each that a record's match made (its id) and that has a digit joined with a match of the same
    record without a digit right after it, after a space, and the entity there, if it has exactly the match's
    boundaries ("FIM-92K" and "Stinger" -> "FIM-92K Stinger"), and the version after the name where the ner's entities
    there lie inside it (_version_after: "FIM-92K Stinger Block I")."""
    names = {(m.start, m.id): m for m in matches if not _has_digit(m)}
    by_start = {e.start: e for e in entities}
    joined, dropped = [], set()
    for entity in entities:
        if (entity.start, entity.end) in dropped:
            continue
        name = names.get((entity.end, entity.id)) if entity.id_ and _has_digit(entity) else None
        after = by_start.get(entity.end) if name is not None else None
        free = (
            name is not None
            and entity.doc[entity.end - 1].whitespace_
            and (
                after is None
                and not any(_overlap(name, e) for e in entities)
                or after is not None
                and after.end == name.end
            )
        )
        if free:
            if after is not None:
                dropped.add((after.start, after.end))
            end = name.end
            version_end = _version_after(name)
            inside = _entities_inside(entities, name.end, version_end) if version_end is not None else None
            if inside is not None:
                # a version after the name is the name's too, as the training data annotates it ("RGM-84L-4 Harpoon
                # Block II"); the ner's entities wholly inside it go
                dropped |= inside
                end = version_end
            entity = Span(entity.doc, entity.start, end, label=entity.label, span_id=entity.id)
        joined.append(entity)
    return [e for e in joined if (e.start, e.end) not in dropped]


def _entities_inside(entities: Iterable[Span], start: int, end: int) -> set[tuple[int, int]] | None:
    """The (start, end) of the entities over the tokens from start to end, where all of them lie inside those tokens;
    None where one runs out of them."""
    over = [e for e in entities if e.start < end and e.end > start]
    return None if any(e.start < start or e.end > end for e in over) else {(e.start, e.end) for e in over}


def _alias_before_its_version(entity: Span, matches: Iterable[Span], labels: Sequence[str]) -> Span | None:
    """A match of labels that starts the entity, which ends inside the version after the match ("Eurofighter Typhoon
    Tranche" of "Eurofighter Typhoon Tranche 4"), or the entity up to such a match of its label inside it, which ends
    it or whose version it ends inside ("FIM-92K Stinger" of "FIM-92K Stinger Block I", "RGM-84L-4 Harpoon" of
    "RGM-84L-4 Harpoon Block", where the ner read the designation and the name as one); None if there is none."""
    for match in matches:
        if match.start == entity.start and match.end < entity.end and match.label_ in labels:
            version_end = _version_after(match)
            if version_end is not None and entity.end <= version_end:
                return match
    for match in matches:
        if entity.start < match.start and match.end <= entity.end and match.label == entity.label:
            version_end = _version_after(match) if match.label_ in labels else None
            if version_end is not None and entity.end <= version_end:
                return Span(entity.doc, entity.start, match.end, label=match.label, span_id=match.id)
    return None


def _alias_before_generic_words(entity: Span, matches: Iterable[Span]) -> Span | None:
    """The longest match that starts the entity and is followed in it, after a space, by lower-case words (and
    hyphens) only: "Lancet" in "Lancet kamikaze drones", not "Anzac" in "Anzac-class"; None if there is none."""
    doc = entity.doc
    found = [
        m
        for m in matches
        if m.start == entity.start
        and m.end < entity.end
        and doc[m.end - 1].whitespace_
        and all(t.is_lower or t.text == "-" for t in doc[m.end : entity.end])
    ]
    return max(found, key=len, default=None)


def names_of_one_record(matches: Sequence[Span]) -> list[Span]:
    """A match for each designation followed, after a space, by a name without a digit of the same record, or each
    such name followed by a designation, the two as one ("FIM-92K Stinger", "AIM-120C AMRAAM", "Exocet MM40 Block
    3C": a system's designation and its name, one mention, as the training data annotates all 7 of its names before a
    designation of their record)."""
    by_start: dict[int, list[Span]] = {}
    for match in matches:
        by_start.setdefault(match.start, []).append(match)
    return [
        Span(first.doc, first.start, second.end, label=first.label, span_id=first.id)
        for first in matches
        if first.id_ and first.doc[first.end - 1].whitespace_
        for second in by_start.get(first.end, ())
        if second.id == first.id and _has_digit(first) != _has_digit(second)
    ]


def _has_digit(span: Span) -> bool:
    return any(c.isdigit() for c in span.text)


def without_exercise_words(matches: Iterable[Span]) -> list[Span]:
    """The matches, each without a word for an exercise at its end ("Malabar exercise" -> "Malabar")."""
    return [
        Span(m.doc, m.start, m.end - 1, label=m.label, span_id=m.id)
        if len(m) > 1 and m[-1].lower_ in EXERCISE_WORDS
        else m
        for m in matches
    ]


def _made_of_names_of_two_kinds(entity: Span, matches: Iterable[Span]) -> bool:
    """Whether matches inside the entity, longest first and not overlapping, cover all of it but determiners,
    punctuation and lower-case words after the last match, with two labels or more ("US Army THAAD", "US Army THAAD
    batteries"; not "KC-135R Stratotanker", two aliases of one label). The last match may run on past the entity's
    end, which the ner cut short ("[RAAF F-35A Lightning] II": "RAAF" and "F-35A Lightning II")."""
    tiling: list[Span] = []
    for match in _longest_first(m for m in matches if entity.start <= m.start < entity.end):
        if not any(_overlap(match, other) for other in tiling):
            tiling.append(match)
    covered = {i for match in tiling for i in range(match.start, match.end)}
    last = max((m.end for m in tiling), default=entity.start)
    rest = [entity.doc[i] for i in range(entity.start, entity.end) if i not in covered]
    return len({m.label for m in tiling}) > 1 and all(
        t.is_punct or t.lower_ in DETERMINERS or (t.i >= last and t.is_lower) for t in rest
    )


def _is_name_and_edition(entity: Span, match: Span) -> bool:
    """Whether the entity is the match followed by one edition token: a number of one to four digits ("KAMANDAG 9",
    "BALTOPS 24", "RIMPAC 2024"; the ner proposed it, so a single digit is no count here), a year and its iteration
    ("Juniper Oak 23.2") or a Roman numeral ("UNITAS LXVI")."""
    edition = entity[-1].text
    return (
        entity.start == match.start
        and entity.end == match.end + 1
        and ((edition.isdigit() and len(edition) <= 4) or _is_edition(edition))
    )


def _is_year(text: str) -> bool:
    """A two- or four-digit year ("24", "2024")."""
    return text.isdigit() and len(text) in (2, 4)


def _edition_after(match: Span) -> int | None:
    """The end of the match's edition that no ner entity has to propose: a weapon's or platform's version
    (_version_after: "SM-2 Block IIIC", "KSS-III Batch-II", as the training data annotates them), an edition before a
    word for an exercise ("Han Kuang 41 exercise", "Keen Sword 25 drills"; the word says the number is no count:
    "BALTOPS 24 ships" is), or a known operation's or exercise's edition before punctuation, the text's end, a
    capitalised word or a stop word ("Talisman Sabre 25, the largest", "BALTOPS 25 in the Baltic", "UNITAS LXV.");
    None where there is none."""
    doc = match.doc
    if match.label_ != "OPERATION" and (end := _version_after(match)) is not None:
        return end
    if match.end >= len(doc) or not _is_edition(doc[match.end].text):
        return None
    after = doc[match.end + 1] if match.end + 1 < len(doc) else None
    if after is not None and after.lower_ in EXERCISE_WORDS:
        return match.end + 1
    if match.label_ == "OPERATION" and (after is None or after.is_punct or after.is_stop or not after.is_lower):
        return match.end + 1
    return None


def _version_after(match: Span) -> int | None:
    """The end of a version word and its version right after the match, spaced or hyphenated ("Block IIIC", "Batch-II",
    "Increment 2"); None where there is none."""
    after = match.doc[match.end : match.end + 3]
    if len(after) < 2 or after[0].text not in VERSION_WORDS:
        return None
    version = after[2] if after[1].text == "-" and len(after) == 3 else after[1]
    return version.i + 1 if VERSION.fullmatch(version.text) else None


def _is_edition(text: str) -> bool:
    """A year (_is_year: "24", "2024"), a two-digit year and its iteration after a point ("23.2", of "Juniper Oak
    23.2") or an upper-case Roman numeral ("LXVI")."""
    return _is_year(text) or bool(ITERATION.fullmatch(text) or ROMAN_NUMERAL.fullmatch(text))


def _iteration_taken(entities: Iterable[Span], doc: Doc, end: int) -> tuple[int, set[tuple[int, int]]]:
    """The end of an operation's name with the iteration joined to its edition, which ends at end ("Red Flag 25-1"),
    where the ner's entities there lie inside the iteration, and those entities, which give way to it; end and none
    where there is no iteration or an entity runs on past it."""
    iteration_end = _iteration_after(doc, end)
    inside = _entities_inside(entities, end, iteration_end) if iteration_end > end else None
    return (iteration_end, inside) if inside is not None else (end, set())


def _iteration_after(doc: Doc, end: int) -> int:
    """The end of an exercise's iteration joined by a hyphen to the two-digit year that ends at end ("Red Flag 25-1",
    "Cope Thunder 25-2", as the training data annotates "Red Flag-Nellis 25-2"); end where there is none."""
    year, hyphen, iteration = doc[end - 1], doc[end : end + 1], doc[end + 1 : end + 2]
    joined = not year.whitespace_ and hyphen.text == "-" and not hyphen[0].whitespace_
    if year.text.isdigit() and len(year.text) == 2 and joined and iteration.text.isdigit() and len(iteration.text) == 1:
        return end + 2
    return end


def _before_of_a_name(entity: Span, match: Span) -> Span:
    """The entity up to the "of" right before the match, where the entity runs on past that "of" into the match, ends
    inside it and has another label; the entity itself otherwise (one that runs on past the match is a longer name)."""
    of = match.start - 1
    into = entity.start < of < entity.end - 1 and entity.end <= match.end
    if into and entity.doc[of].lower_ == "of" and match.label != entity.label:
        return Span(entity.doc, entity.start, of, label=entity.label, span_id=entity.id)
    return entity


def _runs_on_with_a_name(entity: Span, match: Span) -> bool:
    """Whether the entity has a token outside the match that is capitalised or has a digit (not a determiner; a
    number word is not a name: "[KAAN] fifth-generation fighters")."""
    doc = entity.doc
    outside = [doc[i] for i in range(entity.start, entity.end) if not match.start <= i < match.end]
    return any(
        (token.is_title or token.is_upper or any(c.isdigit() for c in token.text)) and token.lower_ not in DETERMINERS
        for token in outside
    )


def _longest_first(spans: Iterable[Span]) -> list[Span]:
    """The spans longest first, then in text order: the order in which matches are taken."""
    return sorted(spans, key=lambda span: (span.start - span.end, span.start))


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
