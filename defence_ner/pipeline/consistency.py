"""Document consistency: a name keeps one label through a document, and a short form takes its full
form's label. The `consistency` component runs last and applies one rule, in order:
1. Names. Each entity whose label is in `labels` gives its text as a name with that label; a ship
   after a prefix (`ship_prefixes`: "USS Carl Vinson") also gives its bare name ("Carl Vinson") and, where
   `ship_surnames` is set, a bare name of capitalised words only its last word ("Vinson"), so does an
   operation after its word (`operation_prefixes`: "Operation Sindoor" -> "Sindoor"), and
   a PERSON of two or more capitalised words its last word ("Rear Admiral Jane Doe" -> "Doe"; the word before a
   "Jr." or "III"; none where that word is a title, "Lt. Gen." or "Lt Gen" names no one, nor for a monarch).
   A name takes the label of its surest mention: one that a rule or knowledge-base match made
   (an entity that is also in doc.spans[key] for a key in `sure_spans_keys`) over one the ner made;
   between equally sure mentions, the first. A known record's ambiguous alias (a match in doc.spans[key] for a key
   in `ambiguous_spans_keys`, the record's id its span id) is a sure name with its label where the document
   names the same record by a sure match that is an entity: "Kh-47M2 Kinzhal" ... "the Kinzhal"; where
   `designation_families` is set, also where a sure match of its label that is an entity is the alias and a
   designation after it (a word with a digit, or of capitals): "Akash-NG" ... "Akash", "Leopard 2A7" ... "Leopard".
2. Abbreviations. "Long Form (LF)", where Long Form is an entity of any label and LF one
   capitalised token: LF becomes a name with the long form's label. Where `initials` is set, an entity of
   three capitalised words or more (and, of, the, for, on, in aside) also gives its initials as a sure name with
   its label ("Human Rights Watch" -> "HRW"): a mention spelled with a name's initials is read from that name.
3. Every occurrence of a name (the same tokens) that no entity covers becomes an entity with the
   name's label, and an entity with exactly a name's boundaries and another label takes the
   name's label if the name is sure (or if `relabel_unsure` is set: then a name only the ner gave
   also relabels the ner's other mentions of it, first mention first; where `ship_names_over_persons` is set, a
   ship's bare name or surname relabels the ner's persons: "HNoMS Fridtjof Nansen" ... "Nansen"). Occurrences that
   overlap an entity only in part are left alone.
4. Drones. Where `attack_drone_documents` is set, in a document whose drone names (a name right before "drone",
   "drones", "UAV" or "UAVs") are more often weapons than platforms, a class mention of drones (lower-case words
   ending with one of those words, not a sea, naval, surface or reconnaissance drone) that is a platform becomes a
   weapon: the document is about one-way attack drones ("[Shahed] drones" ... "the [drones]").
Names are only those with a capitalised word or a number, so "the ship" or "he" never spread.
Turn it off with spacy.load(..., exclude=["consistency"]).

This module is self-contained (with its sibling registration.py): `spacy package --code` ships it with the pipeline.
"""

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

try:
    from .registration import factory
except ImportError:  # `spacy package` imports each --code file on its own, outside any package
    factory = Language.factory

LABELS = ("WEAPON", "MILITARY_PLATFORM", "OPERATION", "VEHICLE", "PERSON")
SHIP_PREFIXES = (
    "USS", "USNS", "USCGC", "HMS", "HMAS", "HMCS", "HMNZS", "INS", "JS", "ROKS", "FS", "FGS", "TCG", "PNS", "BNS",
    "KRI", "RSS", "BRP", "ORP", "HNLMS", "HDMS", "HNoMS", "HSwMS", "ITS", "ESPS", "NRP", "SPS", "CNS", "ARA", "KD",
    "HTMS", "ROS", "SLNS", "NNS", "ICGS", "ROCS", "RFS", "RFA", "IRIS", "ARC", "BAP", "GNS", "KNS", "FNS", "MV", "MT",
    "FV", "FB", "SS",
)  # fmt: skip
SURE_SPANS_KEYS = ("rules", "knowledge")
# A person's name may end in one; the surname is the word before it ("Ferdinand Marcos Jr." ... "Marcos").
GENERATIONAL_SUFFIXES = ("Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV")
# Words that end a title, not a name, where the ner cut a person before the name ("Lt Gen", "... Admiral").
TITLES = (
    "Gen", "Adm", "Col", "Capt", "Lt", "Maj", "Sgt", "Cdr", "Cmdr", "Brig", "Cdre", "General", "Admiral", "Colonel",
    "Captain", "Lieutenant", "Major", "Commander", "Commodore", "Sergeant", "Marshal", "Minister", "Secretary",
    "President", "Chief", "Director", "Ambassador", "Spokesperson", "Spokesman", "Spokeswoman", "Chairman",
)  # fmt: skip
# A monarch's name and number gives no surname: "King Charles III" ... "Charles" may be a ship's or anyone's.
MONARCHS = ("King", "Queen", "Pope", "Emperor", "Sultan", "Emir", "Prince", "Princess", "Tsar", "Crown")
# A drone's head words, and the words that make a drone a boat or a sensor (such a drone may be a platform whatever
# the document: a sea drone may carry missiles, a reconnaissance drone is reused).
DRONE_WORDS = ("drone", "drones", "uav", "uavs")
PLATFORM_DRONE_WORDS = (
    "sea", "naval", "surface", "maritime", "underwater", "boat", "boats", "reconnaissance", "surveillance", "target",
    "spotter", "observation",
)  # fmt: skip
# The words a name's initials leave out ("Ministry of Defence" -> "MD" is not written; "Human Rights Watch" -> "HRW").
INITIALS_SKIP = ("and", "of", "the", "for", "on", "in")
# What the component does, as the model card says it.
RULE = (
    "keeps one label per name through a document: a weapon, platform, operation, vehicle, person or place named "
    "once, "
    "a ship's bare name after its prefix (and, where configured, a ship's surname: 'USS Thomas Hudner' ... "
    "'Hudner', which corrects a person the ner read there), an operation's after its word ('Operation X') and a "
    "person's surname (not a 'Jr.' or a title) "
    "take the label of their surest mention (a rule or knowledge-base match over the ner, then the first), and so "
    "does an abbreviation defined as "
    "'Long Form (LF)' (and, where configured, a name's initials: 'Human Rights Watch' ... 'HRW', whose label they "
    "set; and, where configured, a known system's ambiguous alias once the document has named the system by a sure "
    "alias: 'Kh-47M2 Kinzhal' ... 'the Kinzhal', or, where configured, by the alias and a designation: 'Akash-NG' ... "
    "'Akash'); uncovered later mentions become entities, and a mention the ner "
    "labelled otherwise takes a rule's or the knowledge base's label; and, where configured, in a document whose "
    "drone names are more often weapons than platforms ('[Shahed] drones'), a class mention of drones read as a "
    "platform is a weapon, unless it is a sea or reconnaissance drone"
)


@factory(
    "consistency",
    default_config={
        "labels": list(LABELS),
        "ship_prefixes": list(SHIP_PREFIXES),
        "sure_spans_keys": list(SURE_SPANS_KEYS),
        "operation_prefixes": [],
        # The defaults keep pipelines saved before the settings existed behaving as they did.
        "relabel_unsure": True,
        "initials": False,
        "ambiguous_spans_keys": [],
        "designation_families": False,
        "ship_surnames": False,
        "ship_names_over_persons": False,
        "attack_drone_documents": False,
    },
)
def make_consistency(
    nlp: Language,
    name: str,
    labels: list[str],
    ship_prefixes: list[str],
    sure_spans_keys: list[str],
    operation_prefixes: list[str],
    relabel_unsure: bool,
    initials: bool,
    ambiguous_spans_keys: list[str],
    designation_families: bool,
    ship_surnames: bool,
    ship_names_over_persons: bool,
    attack_drone_documents: bool,
) -> "DocumentConsistency":
    return DocumentConsistency(
        labels,
        ship_prefixes,
        sure_spans_keys,
        relabel_unsure,
        operation_prefixes,
        initials,
        ambiguous_spans_keys,
        designation_families,
        ship_surnames,
        ship_names_over_persons,
        attack_drone_documents,
    )


class DocumentConsistency:
    def __init__(
        self,
        labels: Iterable[str],
        ship_prefixes: Iterable[str],
        sure_spans_keys: Iterable[str],
        relabel_unsure: bool = True,
        operation_prefixes: Iterable[str] = (),
        initials: bool = False,
        ambiguous_spans_keys: Iterable[str] = (),
        designation_families: bool = False,
        ship_surnames: bool = False,
        ship_names_over_persons: bool = False,
        attack_drone_documents: bool = False,
    ):
        self.labels = set(labels)
        self.ship_prefixes = set(ship_prefixes)
        self.operation_prefixes = set(operation_prefixes)
        self.sure_spans_keys = list(sure_spans_keys)
        self.relabel_unsure = relabel_unsure
        self.initials = initials
        self.ambiguous_spans_keys = list(ambiguous_spans_keys)
        self.designation_families = designation_families
        self.ship_surnames = ship_surnames
        self.ship_names_over_persons = ship_names_over_persons
        self.attack_drone_documents = attack_drone_documents

    def __call__(self, doc: Doc) -> Doc:
        ship_names = {(e.start, e.end): self.ship_names(e) for e in doc.ents if e.label_ in self.labels}
        names = self.names(doc, ship_names)
        if names:
            over_persons = set()
            if self.ship_names_over_persons:
                over_persons = {name for found in ship_names.values() for name in found}
            doc.ents = self.spread(doc, names, over_persons)
        if self.attack_drone_documents and is_about_attack_drones(doc):
            doc.ents = [
                Span(doc, e.start, e.end, label="WEAPON", span_id=e.id)
                if e.label_ == "MILITARY_PLATFORM" and is_drone_class_mention(e)
                else e
                for e in doc.ents
            ]
        return doc

    def ship_names(self, entity: Span) -> list[tuple[str, ...]]:
        """A ship's names after its prefix: its bare name ("USS Thomas Hudner" -> "Thomas Hudner") and, where
        `ship_surnames` is set, the last word of a bare name of capitalised words only ("Hudner"; not of "Prince of
        Wales")."""
        texts = tuple(t.text for t in entity)
        if len(texts) < 2 or texts[0] not in self.ship_prefixes:
            return []
        bare = texts[1:]
        if self.ship_surnames and len(bare) > 1 and bare[-1].isalpha() and all(t[:1].isupper() for t in bare):
            return [bare, bare[-1:]]
        return [bare]

    def names(
        self, doc: Doc, ship_names: dict[tuple[int, int], list[tuple[str, ...]]]
    ) -> dict[tuple[str, ...], tuple[bool, str]]:
        """{name as token texts: (whether it is sure, label)}, by rules 1 and 2; ship_names: each entity of the labels'
        ship_names, by its (start, end)."""
        sure = {(s.start, s.end, s.label) for key in self.sure_spans_keys if key in doc.spans for s in doc.spans[key]}
        chosen: dict[tuple[str, ...], tuple[bool, str]] = {}  # name -> (sure, label)

        def offer(tokens: Iterable[str], label: str, is_sure: bool) -> None:
            name = tuple(tokens)
            if not any(t[:1].isupper() or t[:1].isdigit() for t in name):
                return
            if name not in chosen or (is_sure and not chosen[name][0]):
                chosen[name] = (is_sure, label)

        for ent in doc.ents:
            is_sure = (ent.start, ent.end, ent.label) in sure
            texts = [t.text for t in ent]
            if ent.label_ in self.labels:
                offer(texts, ent.label_, is_sure)
                for name in ship_names[(ent.start, ent.end)]:
                    offer(name, ent.label_, is_sure)
                if ent.label_ == "OPERATION" and len(texts) > 1 and texts[0] in self.operation_prefixes:
                    offer(texts[1:], ent.label_, is_sure)
                if ent.label_ == "PERSON" and (surname := person_surname(texts)):
                    offer([surname], ent.label_, is_sure)
            if self.initials and (letters := initials(ent)):
                offer([letters], ent.label_, True)
            abbreviation = doc[ent.end : ent.end + 3]
            if len(abbreviation) == 3 and abbreviation[0].text == "(" and abbreviation[2].text == ")":
                if abbreviation[1].text[:1].isupper() and len(abbreviation[1]) > 1:
                    offer([abbreviation[1].text], ent.label_, is_sure)
        if self.ambiguous_spans_keys:
            entities = {(e.start, e.end, e.label) for e in doc.ents}
            named = [
                s for key in self.sure_spans_keys if key in doc.spans for s in doc.spans[key]
                if (s.start, s.end, s.label) in entities
            ]  # fmt: skip
            named_records = {s.id_ for s in named if s.id_}
            for key in self.ambiguous_spans_keys:
                for match in doc.spans.get(key, ()):
                    if match.label_ in self.labels and (
                        match.id_ in named_records
                        or self.designation_families
                        and any(s.label == match.label and is_designated(s.text, match.text) for s in named)
                    ):
                        offer([t.text for t in match], match.label_, True)
        return chosen

    def spread(
        self, doc: Doc, names: dict[tuple[str, ...], tuple[bool, str]], over_persons: Iterable[tuple[str, ...]] = ()
    ) -> list[Span]:
        """The entities with every uncovered occurrence of a name added, and same-boundary entities relabelled; a
        name in over_persons (a ship's) also relabels the ner's persons of its boundaries."""
        over_persons = set(over_persons)
        by_start = {(e.start, e.end): e for e in doc.ents}
        covered = {i for e in doc.ents for i in range(e.start, e.end)}
        first_tokens: dict[str, list[tuple[str, ...]]] = {}
        for name in sorted(names, key=len, reverse=True):
            first_tokens.setdefault(name[0], []).append(name)
        entities = dict(by_start)
        i = 0
        while i < len(doc):
            for name in first_tokens.get(doc[i].text, ()):
                end = i + len(name)
                if tuple(t.text for t in doc[i:end]) != name:
                    continue
                is_sure, label = names[name]
                existing = entities.get((i, end))
                relabels = (
                    is_sure
                    or self.relabel_unsure
                    or existing is not None
                    and existing.label_ == "PERSON"
                    and name in over_persons
                )
                if existing is not None and existing.label_ != label and relabels:
                    entities[(i, end)] = Span(doc, i, end, label=label)
                elif existing is None and not any(j in covered for j in range(i, end)):
                    entities[(i, end)] = Span(doc, i, end, label=label)
                    covered.update(range(i, end))
                    i = end - 1
                break
            i += 1
        return sorted(entities.values())


def is_about_attack_drones(doc: Doc) -> bool:
    """Whether the document's drone names, entities with a capital or a digit right before a drone word ("[Shahed]
    drones", "[Orlan-10] UAVs"), are more often weapons than platforms."""
    drone_names = [
        e.label_
        for e in doc.ents
        if e.end < len(doc) and doc[e.end].lower_ in DRONE_WORDS and any(c.isupper() or c.isdigit() for c in e.text)
    ]
    return drone_names.count("WEAPON") > drone_names.count("MILITARY_PLATFORM")


def is_drone_class_mention(entity: Span) -> bool:
    """Whether the entity is lower-case words ending with a drone word ("low-flying drones", "the drones", "UAVs"),
    none of them, nor the word before it, one of a sea or reconnaissance drone's (not "sea drones", "naval [drones]",
    "reconnaissance drones")."""
    tokens = [t for t in entity if t.text != "-"]
    if not tokens:
        return False
    *words, head = tokens
    before = [entity.doc[entity.start - 1]] if entity.start > 0 else []
    return (
        head.lower_ in DRONE_WORDS
        and all(t.is_lower for t in words)
        and not any(t.lower_ in PLATFORM_DRONE_WORDS for t in [*words, *before])
    )


def person_surname(texts: list[str]) -> str | None:
    """The surname of a person's name of two or more capitalised words: its last word, or the word before a
    generational suffix ("Ferdinand Marcos Jr." -> "Marcos"); None where that word is a title, with a period or
    without ("Chief of Naval Operations Adm.", "Lt Gen", "Chief of the Defence Staff Admiral"), or the name is a
    monarch's and its number ("King Charles III"), which names no one alone."""
    if texts and texts[0] in MONARCHS:
        return None
    if texts and texts[-1] == ".":  # "Sr" "." as the tokenizer may split it
        texts = texts[:-1]
    if texts and texts[-1] in GENERATIONAL_SUFFIXES:
        texts = texts[:-1]
    if len(texts) < 2 or not all(t[:1].isupper() for t in texts[-2:]):
        return None
    if texts[-1].endswith(".") or texts[-1] in TITLES:
        return None
    return texts[-1]


def is_designated(name: str, alias: str) -> bool:
    """Whether name is alias followed, after a hyphen or a space, by a designation: a word with a digit or of two
    capitals or more ("Akash-NG", "Leopard 2A7", "Patriot PAC-3"; not "Hobart-class" or "Tiger Hill")."""
    for separator in ("-", " "):
        if name.startswith(alias + separator) and (rest := name[len(alias) + 1 :].split()):
            word = rest[0]
            return any(c.isdigit() for c in word) or (word.isupper() and sum(c.isalpha() for c in word) > 1)
    return False


def initials(span: Span) -> str | None:
    """The initials of a name of three capitalised words or more, function words aside ("Human Rights Watch" ->
    "HRW", "People's Liberation Army" -> "PLA"); None for any other span ("the coalition", "Lama Fakih")."""
    words = [t for t in span if t.is_alpha and t.lower_ not in INITIALS_SKIP]
    if len(words) < 3 or not all(t.text[:1].isupper() for t in words):
        return None
    return "".join(t.text[0] for t in words)
