"""Entity linking to the defence knowledge base (corpus/knowledge_base/): the `kb_linker` component runs
after the entities are final (after `consistency`) and sets `ent.kb_id_` to the id of a knowledge-base
record, or leaves it empty.

For each entity whose label has records in the knowledge base (WEAPON, MILITARY_PLATFORM,
ORGANISATION, OPERATION, LOCATION; PERSON, TEMPORAL and the rest are skipped):
1. An id that a knowledge ruler already gave it wins: the entity's own id (`ent.id_`, set by the
   `knowledge` merge) or that of a match with the entity's exact boundaries in `doc.spans[key]`
   for a key of `id_spans_keys`, when that record has the entity's label.
2. Otherwise, if its text is not written as a name (no capital letter, no digit: "fighter jets", "the
   base", "we", class and generic mentions the schema counts as entities), only an alias written the
   same links it. A name's text, case-folded, accents removed and whitespace collapsed, is looked up
   among the names and aliases of the records of its label:
   - written the same but for spaces, hyphens and punctuation ("Su 30 MKI", "J10-CE", "SeaBaby" for
     "Su-30MKI", "J-10CE", "Sea Baby"): that record, score 1.0;
   - an alias ending in a number followed by a short variant suffix ("S-300V4", "Tor-M2DT", "BMP-2K",
     "K9A2", "H-6J": up to three letters and a digit), or an alias with a plural "s" ("Shaheds"): the
     alias's record, score VARIANT_SCORE, unless an alias scores higher below. Not for a ship class:
     a letter after a class's project or type number names another class (Project 17A is not Project 17);
   - written the same but for transliteration ("Kindzhal" for "Kinzhal", "Pantsyr" for "Pantsir",
     "Hyunmu" for "Hyunmoo": see `transliteration_key`) or a final Roman numeral ("Arrow III" for
     "Arrow 3"), when that spelling is one record's only: that record, score SPELLING_SCORE;
   - a designation alias (one with a digit) followed by another alias of its record ("J-20 Mighty
     Dragon"): that record, score SPELLING_SCORE;
   - by the cosine of their character 3-gram TF-IDF vectors (scikit-learn's TfidfVectorizer, analyzer
     "char_wb", and NearestNeighbors with the cosine metric), scaled by the share of the text's weight
     in 3-grams some alias has (so that "S-400 units" does not score 1.0 against "S-400"), among the
     aliases whose numbers, years aside, are the text's numbers (the 93rd brigade is not the 47th, the
     Magura V7 not the V5; an exercise's edition number does not count; a ship class's number keeps the
     letters after it: Project 17B is neither Project 17 nor 17A), not of one family with the text
     (sharing a word while each has a word the other lacks: "Hanwha Systems" is not Hanwha Aerospace),
     and not longer names of which a one-word text is a part ("Strike" is not Naval Strike Missile).
   The best candidate's record is linked when its score is at least `threshold`; on a tie, an alias
   equal to the text, then the record listed first.
The linked record is `span._.kb_record`: a dict with the record's `id`, canonical `name`, `label`,
`class`, `country` and `ambiguous` (None for an unlinked span); `span._.kb_score` is the score of the
link (1.0 for an id a ruler gave, None when unlinked). Both are set on the entity by the linker and
kept in the doc's user_data, so that they travel with the doc (DocBin with user data, nlp.pipe with
n_process > 1) and read the same whichever copy of this module registered them. The records'
aliases stay in the component (`nlp.get_pipe("linker").records[ent.kb_id_]`).

The index is built by `initialize` from plain records (the config's initialize block reads them
with `defence_ner.knowledge_records.v1`) and saved with the pipeline: the records as JSONL, the
vectorizer's vocabulary and idf, the alias matrix and its record rows. A packaged pipeline loads it
offline without the knowledge-base files. Turn it off with spacy.load(..., exclude=["linker"]).

This module is self-contained (spaCy and srsly, scikit-learn, scipy, numpy, stdlib, its sibling registration.py):
`spacy package --code` ships it with the pipeline.
"""

import json
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, minibatch

# scikit-learn and scipy take about two seconds to import: every process that imports defence_ner (each CLI step)
# would pay it, so they are imported where the linker builds or reads its index.
if TYPE_CHECKING:
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

try:
    from .registration import factory
except ImportError:  # `spacy package` imports each --code file on its own, outside any package
    factory = Language.factory

FACTORY = "kb_linker"
THRESHOLD = 0.5
ID_SPANS_KEYS = ("knowledge", "knowledge_ambiguous")
NEIGHBOURS = 10
CACHE_SIZE = 100_000
# The score of a link by a variant suffix or a plural of an alias: sure enough to pass any threshold the linking
# evaluation chooses, below an exact alias (1.0) and below a TF-IDF alias as near.
VARIANT_SCORE = 0.95
VARIANT_SUFFIX = re.compile(r"[a-z]{1,3}\d?")
# The score of a link by a transliterated spelling or by a designation with a name after it: below a variant suffix.
SPELLING_SCORE = 0.9
# Records whose designation takes no variant suffix: a ship class's "Project 17A" or "Type 052D" is another class.
NO_VARIANTS = ("class:",)
# Words a designation is written with in full or short ("Heron Mark II", "Heron Mk II").
ABBREVIATIONS = {"mark": "mk"}
ROMAN_NUMERALS = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}
# Spellings that transliterations of one name (Russian, Ukrainian, Korean, Arabic) differ by, folded to one,
# in this order: "dzh"/"zh"/"dj" (Kindzhal, Kinzhal), "kh"/"h", "y"/"i" (Pantsyr), "oo"/"ou"/"u" (Hyunmoo,
# Houthi), "ei"/"ey"/"i", and doubled letters.
TRANSLITERATIONS = (
    (re.compile(r"d?zh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"y"), "i"),
    (re.compile(r"o[ou]"), "u"),
    (re.compile(r"ei"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
)
YEAR = re.compile(r"(19|20)\d\d")
# Labels whose names carry an edition's number ("Talisman Sabre 25", "Han Kuang 41"): numbers do not part them.
EDITIONS_NUMBERED = {"OPERATION"}
VECTORIZER = {"analyzer": "char_wb", "ngram_range": (3, 3), "lowercase": True}
# What the component does, as the model card may say it.
LINKS = (
    "links each weapon, platform, organisation, operation and location entity to a knowledge-base record: the id a "
    "knowledge ruler gave it; else an alias of its label written the same but for spacing, punctuation and accents, "
    "extended by a variant suffix or plural, spelled the same but for transliteration, or a designation followed by "
    "another alias of its record; else the record whose name or alias is nearest by character 3-gram TF-IDF cosine "
    "among the records of its label with the same numbers, when the score passes the threshold; the id is "
    "`ent.kb_id_` and the record (canonical name, class, country) `ent._.kb_record`"
)


def normalise(text: str) -> str:
    """The form in which a mention and an alias are compared: case-folded, accents removed ("Hwasŏng" is
    "hwasong"), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def compact(text: str) -> str:
    """A normalised text's letters and digits only: the key on which spelling variants of a designation meet."""
    return "".join(c for c in text if c.isalnum())


def transliteration_key(text: str) -> str:
    """A normalised text's compact key with "Mark" as "Mk", a final Roman numeral as a number and the words without
    digits folded: the key on which transliterations of one name meet ("Kindzhal" and "Kinzhal" are "kinjal",
    "Pantsyr-S1" is "pantsirs1", "Arrow III" is "arow3", "Heron Mark II" is "heronmk2")."""
    words = [ABBREVIATIONS.get(word, word) for word in re.split(r"[\s-]+", text)]
    if len(words) > 1 and words[-1] in ROMAN_NUMERALS:
        words[-1] = ROMAN_NUMERALS[words[-1]]
    return "".join(compact(word) if any(c.isdigit() for c in word) else folded(compact(word)) for word in words)


def folded(word: str) -> str:
    """A word of letters with TRANSLITERATIONS folded. A word with digits is a designation and is not folded:
    "052DD" is not "052D", "30MKK" not "30MK"."""
    for spelling, replacement in TRANSLITERATIONS:
        word = spelling.sub(replacement, word)
    return word


def words_of(text: str) -> frozenset[str]:
    """A normalised text's words, each by its transliteration key ("F/A-18E/F" is one word, "fa18ef")."""
    return frozenset(filter(None, (transliteration_key(word) for word in text.split())))


def same_word(a: str, b: str) -> bool:
    """Two word keys are spellings of one word: equal, one (of four letters or more) the other's start ("Israel",
    "Israeli"), or one letter apart, substituted or dropped ("Defence", "Defense")."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < 4:
        return False
    if longer.startswith(shorter):
        return True
    if len(longer) - len(shorter) > 1:
        return False
    return any(longer[:i] + longer[i + 1 :] in (shorter, shorter[:i] + shorter[i + 1 :]) for i in range(len(longer)))


def another_of_the_family(mention: frozenset[str], alias: frozenset[str]) -> bool:
    """Whether two names share a word and each has a word the other lacks: two of one family ("Hanwha Systems" and
    "Hanwha Aerospace", "Joint Expeditionary Force" and "III Marine Expeditionary Force"), not one thing."""
    mention_only = [w for w in mention if not any(same_word(w, v) for v in alias)]
    alias_only = [v for v in alias if not any(same_word(v, w) for w in mention)]
    return len(mention_only) < len(mention) and bool(mention_only) and bool(alias_only)


def part_of_the_name(mention: frozenset[str], alias: frozenset[str]) -> bool:
    """Whether a one-word mention is one word of a longer alias: a part of a name ("Strike" of "Naval Strike
    Missile", "Group" of "Naval Group", "France" of "KNDS France") does not name it."""
    return len(mention) == 1 and len(alias) > 1 and any(same_word(w, v) for w in mention for v in alias)


def name_like(text: str) -> bool:
    """Whether a text is written as a name or designation (a capital letter or a digit): the ner's class and generic
    mentions ("fighter jets", "the base", "we", which the schema counts as entities) name no record."""
    return any(c.isupper() or c.isdigit() for c in text)


def numbers(text: str, with_letters: bool = False) -> tuple[str, ...]:
    """The numbers written in a text but years ("Malabar 2024" is Malabar), leading zeros dropped, and with the
    letters right after them if with_letters ("Type 052D" has "52d"): a look-alike with other numbers is another
    thing."""
    found = re.findall(r"(\d+)([a-z]*)" if with_letters else r"(\d+)()", text)
    return tuple(str(int(n)) + letters for n, letters in found if not YEAR.fullmatch(n))


# The fields of a record that a linked span carries in span._.kb_record (its aliases stay in the component).
RECORD_FIELDS = ("id", "name", "label", "class", "country", "ambiguous")

if not Span.has_extension("kb_record"):
    Span.set_extension("kb_record", default=None)
if not Span.has_extension("kb_score"):
    Span.set_extension("kb_score", default=None)


@factory(
    FACTORY,
    default_config={"threshold": THRESHOLD, "id_spans_keys": list(ID_SPANS_KEYS), "n_neighbors": NEIGHBOURS},
)
def make_kb_linker(
    nlp: Language, name: str, threshold: float, id_spans_keys: list[str], n_neighbors: int
) -> "EntityLinker":
    return EntityLinker(nlp, name, threshold, id_spans_keys, n_neighbors)


class EntityLinker:
    def __init__(
        self,
        nlp: Language,
        name: str = FACTORY,
        threshold: float = THRESHOLD,
        id_spans_keys: Iterable[str] = ID_SPANS_KEYS,
        n_neighbors: int = NEIGHBOURS,
    ):
        self.name = name
        self.threshold = threshold
        self.id_spans_keys = list(id_spans_keys)
        self.n_neighbors = n_neighbors
        self.records: dict[str, dict[str, Any]] = {}
        self.vectorizer: TfidfVectorizer | None = None
        self.matrix: scipy.sparse.csr_matrix | None = None
        self.alias_texts: list[str] = []
        self.alias_records: np.ndarray = np.zeros(0, dtype=np.int64)
        self.record_ids: list[str] = []
        self._indexes: dict[str, tuple[NearestNeighbors, np.ndarray]] = {}
        self._cache: dict[tuple[str, str], tuple[str | None, float]] = {}

    # Building the index

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        records: list[dict[str, Any]] | None = None,
    ) -> None:
        """Build the index from knowledge-base records (dicts with id, name, aliases, label, class, country,
        ambiguous), e.g. `defence_ner.knowledge_base.load_knowledge_base(path)`."""
        if not records:
            raise ValueError(f"[{self.name}] initialize needs the knowledge base's records (records=[...])")
        self.set_records(records)

    def set_records(self, records: Iterable[dict[str, Any]]) -> None:
        self.records = {}
        for record in records:
            if record["id"] in self.records:
                raise ValueError(f"[{self.name}] the id {record['id']!r} is given twice")
            self.records[record["id"]] = dict(record)
        self.record_ids = list(self.records)
        texts: list[str] = []
        rows: list[int] = []
        for row, record in enumerate(self.records.values()):
            for alias in dict.fromkeys(normalise(a) for a in [record["name"], *record["aliases"]]):
                if alias:
                    texts.append(alias)
                    rows.append(row)
        import scipy.sparse
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(**VECTORIZER)
        self.matrix = scipy.sparse.csr_matrix(self.vectorizer.fit_transform(texts))
        self.alias_texts = texts
        self.alias_records = np.asarray(rows, dtype=np.int64)
        self._build_indexes()

    def _build_indexes(self) -> None:
        """One cosine NearestNeighbors per label over the alias rows of that label's records."""
        from sklearn.neighbors import NearestNeighbors

        labels = np.asarray([self.records[self.record_ids[r]]["label"] for r in self.alias_records])
        self._indexes = {}
        self._cache = {}
        self._analyzer = self.vectorizer.build_analyzer()
        # A ship class's designations are compared with their letters ("17A" is not "17").
        self._no_variants = set(
            np.flatnonzero([self.record_ids[r].startswith(NO_VARIANTS) for r in self.alias_records]).tolist()
        )
        self._alias_words = [words_of(text) for text in self.alias_texts]
        self._alias_numbers = [numbers(text, i in self._no_variants) for i, text in enumerate(self.alias_texts)]
        self._compact: dict[tuple[str, str], int] = {}
        transliterated: dict[tuple[str, str], set[int]] = {}
        for label, text, record in zip(labels.tolist(), self.alias_texts, self.alias_records.tolist()):
            key = compact(text)
            if not key:  # an alias of punctuation alone ("—") spells nothing
                continue
            self._compact.setdefault((label, key), record)  # the record listed first keeps a shared key
            transliterated.setdefault((label, transliteration_key(text)), set()).add(record)
        # A transliteration key that two records share says nothing.
        self._transliterated = {key: next(iter(rows)) for key, rows in transliterated.items() if len(rows) == 1}
        for label in sorted(set(labels.tolist())):
            alias_rows = np.flatnonzero(labels == label)
            index = NearestNeighbors(metric="cosine", algorithm="brute")
            index.fit(self.matrix[alias_rows])
            self._indexes[label] = (index, alias_rows)

    @property
    def labels(self) -> set[str]:
        return set(self._indexes)

    # Linking

    def __call__(self, doc: Doc) -> Doc:
        return self._link_docs([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """The docs linked a batch at a time: one neighbour search per label for the whole batch."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._link_docs(list(batch))

    def _link_docs(self, docs: list[Doc]) -> list[Doc]:
        if not self._indexes:
            return docs
        for doc, links in zip(docs, self.link_many([(doc, list(doc.ents)) for doc in docs])):
            if any(link is not None for link in links):
                entities = []
                for ent, link in zip(doc.ents, links):
                    if link is not None:
                        ent = Span(doc, ent.start, ent.end, label=ent.label, kb_id=link[0], span_id=ent.id)
                        ent._.kb_record = self.record(link[0])
                        ent._.kb_score = link[1]
                    entities.append(ent)
                doc.ents = entities
        return docs

    def record(self, record_id: str) -> dict[str, Any] | None:
        """The record's fields that a linked span carries (RECORD_FIELDS), or None for an unknown id."""
        record = self.records.get(record_id)
        return None if record is None else {field: record[field] for field in RECORD_FIELDS}

    def link_spans(self, doc: Doc, spans: list[Span]) -> list[tuple[str, float] | None]:
        """(record id, score) or None for each span, by the rules of the module's docstring."""
        return self.link_many([(doc, spans)])[0]

    def link_many(self, items: list[tuple[Doc, list[Span]]]) -> list[list[tuple[str, float] | None]]:
        """link_spans of each (doc, spans), the spans to score all ranked together."""
        results: list[list[tuple[str, float] | None]] = []
        to_score: list[tuple[int, int, Span]] = []
        for d, (doc, spans) in enumerate(items):
            known = self._ruler_ids(doc)
            links: list[tuple[str, float] | None] = [None] * len(spans)
            for i, span in enumerate(spans):
                if span.label_ not in self._indexes:
                    continue
                given = [span.id_] if span.id_ else []
                given += known.get((span.start, span.end), [])
                record_id = next((r for r in given if self._has_label(r, span.label_)), None)
                if record_id is not None:
                    links[i] = (record_id, 1.0)
                elif name_like(span.text):
                    to_score.append((d, i, span))
                elif (row := self._compact.get((span.label_, compact(normalise(span.text))))) is not None:
                    links[i] = (self.record_ids[row], 1.0)
            results.append(links)
        best = self.best_candidates([span for _, _, span in to_score])
        for (d, i, _), (record_id, score) in zip(to_score, best):
            if record_id is not None and score >= self.threshold:
                results[d][i] = (record_id, score)
        return results

    def best_candidates(self, spans: list[Span]) -> list[tuple[str | None, float]]:
        """The best record of each span's label by the rules of the module's docstring, and its score (None, 0.0
        where none); remembered by label and normalised text (up to CACHE_SIZE of them), as names recur."""
        keys = [(span.label_, normalise(span.text)) for span in spans]
        by_label: dict[str, list[str]] = {}
        for label, mention in dict.fromkeys(key for key in keys if key not in self._cache):
            by_label.setdefault(label, []).append(mention)
        if len(self._cache) + sum(map(len, by_label.values())) > CACHE_SIZE:
            self._cache.clear()
        for label, mentions in by_label.items():
            for mention, ranked in zip(mentions, self.rank(mentions, label, 1)):
                self._cache[(label, mention)] = ranked[0] if ranked else (None, 0.0)
        return [self._cache[key] for key in keys]

    def candidates(self, text: str, label: str, n: int | None = None) -> list[tuple[str, float]]:
        """Up to n (record id, score) pairs of the label's records nearest to text, best first, one per record."""
        return self.rank([text], label, n)[0]

    def rank(self, texts: list[str], label: str, n: int | None = None) -> list[list[tuple[str, float]]]:
        """candidates() of each text, with one transform and one neighbour search for them all."""
        if label not in self._indexes or self.vectorizer is None or not texts:
            return [[] for _ in texts]
        mentions = [normalise(text) for text in texts]
        vectors = self.vectorizer.transform(mentions)
        index, alias_rows = self._indexes[label]
        k = min(max(self.n_neighbors, n or 1), len(alias_rows))
        distances, positions = index.kneighbors(vectors, n_neighbors=k)
        results = []
        for row, mention in enumerate(mentions):
            hits = self._spelling_hits(mention, label)
            mention_words = words_of(mention)
            coverage = self._coverage(mention) if vectors[row].nnz else 0.0
            mention_numbers = None if label in EDITIONS_NUMBERED else (numbers(mention), numbers(mention, True))
            for distance, position in zip(distances[row], positions[row]) if coverage else ():
                alias = alias_rows[position]
                if (
                    mention_numbers is not None
                    and self._alias_numbers[alias] != mention_numbers[alias in self._no_variants]
                ):
                    continue
                if another_of_the_family(mention_words, self._alias_words[alias]) or part_of_the_name(
                    mention_words, self._alias_words[alias]
                ):
                    continue
                score = round(float(1.0 - distance) * coverage, 6)
                hits.append((-score, self.alias_texts[alias] != mention, int(self.alias_records[alias])))
            ranked: list[tuple[str, float]] = []
            seen: set[int] = set()
            for negative_score, _, record in sorted(hits):
                if record not in seen:
                    seen.add(record)
                    ranked.append((self.record_ids[record], -negative_score))
            results.append(ranked[:n] if n else ranked)
        return results

    def _spelling_hits(self, mention: str, label: str) -> list[tuple[float, bool, int]]:
        """(-score, not exact, record row) for an alias spelled like the mention but for spaces and punctuation
        (1.0); else one that the mention extends by a variant suffix after its number or by a plural "s"
        (VARIANT_SCORE); else one spelled like it but for transliteration, or a designation and another alias of
        its record (SPELLING_SCORE)."""
        key = compact(mention)
        if (label, key) in self._compact:  # an alias written exactly as the mention, if any, ranks first
            return [(-1.0, True, self._compact[(label, key)])]
        for cut in range(1, 5):
            stem, suffix = key[:-cut], key[-cut:]
            record = self._compact.get((label, stem))
            if record is None or not stem:
                continue
            if suffix == "s" and len(stem) >= 3:  # "INS" is not the plural of "IN"
                return [(-VARIANT_SCORE, True, record)]
            if (
                stem[-1].isdigit()
                and not stem.isdigit()
                and VARIANT_SUFFIX.fullmatch(suffix)
                and not self.record_ids[record].startswith(NO_VARIANTS)
            ):
                return [(-VARIANT_SCORE, True, record)]
        record = self._transliterated.get((label, transliteration_key(mention)))
        if record is not None:
            return [(-SPELLING_SCORE, True, record)]
        words = mention.split()
        for end in range(1, len(words)):
            head, rest = compact(" ".join(words[:end])), compact(" ".join(words[end:]))
            record = self._compact.get((label, head))
            if record is not None and any(c.isdigit() for c in head) and self._compact.get((label, rest)) == record:
                return [(-SPELLING_SCORE, True, record)]
        return []

    def _coverage(self, mention: str) -> float:
        """The share of the mention's TF-IDF norm in n-grams the index knows. transform() drops the n-grams no
        alias has, so without it "S-400 units" would score 1.0 against "S-400"; an unknown n-gram weighs what
        it would as a term of no alias (the largest idf)."""
        vectorizer = self.vectorizer
        counts = Counter(self._analyzer(mention))
        unseen_idf = float(np.log((1 + len(self.alias_texts)) / 1) + 1)
        known = unknown = 0.0
        for gram, count in counts.items():
            column = vectorizer.vocabulary_.get(gram)
            if column is None:
                unknown += (count * unseen_idf) ** 2
            else:
                known += (count * float(vectorizer.idf_[column])) ** 2
        return float(np.sqrt(known / (known + unknown))) if known else 0.0

    def _ruler_ids(self, doc: Doc) -> dict[tuple[int, int], list[str]]:
        ids: dict[tuple[int, int], list[str]] = {}
        for key in self.id_spans_keys:
            if key in doc.spans:
                for span in doc.spans[key]:
                    if span.id_:
                        ids.setdefault((span.start, span.end), []).append(span.id_)
        return ids

    def _has_label(self, record_id: str, label: str) -> bool:
        record = self.records.get(record_id)
        return record is not None and record["label"] == label

    # Serialisation

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The files to_disk writes, packed with msgpack (nlp.to_bytes, and copies of the pipeline)."""
        with tempfile.TemporaryDirectory() as folder:
            self.to_disk(folder)
            return srsly.msgpack_dumps({path.name: path.read_bytes() for path in sorted(Path(folder).iterdir())})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "EntityLinker":
        with tempfile.TemporaryDirectory() as folder:
            for name, content in srsly.msgpack_loads(data).items():
                (Path(folder) / name).write_bytes(content)
            return self.from_disk(folder)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "records.jsonl").open("w", encoding="utf-8") as file:
            for record in self.records.values():
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
        if self.vectorizer is None or self.matrix is None:
            return
        import scipy.sparse

        vocabulary = {gram: int(column) for gram, column in self.vectorizer.vocabulary_.items()}
        (path / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
        (path / "aliases.json").write_text(json.dumps(self.alias_texts, ensure_ascii=False), encoding="utf-8")
        np.save(path / "idf.npy", self.vectorizer.idf_)
        np.save(path / "alias_records.npy", self.alias_records)
        scipy.sparse.save_npz(path / "alias_matrix.npz", self.matrix)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "EntityLinker":
        path = ensure_path(path)
        records = path / "records.jsonl"
        self.records = {}
        if records.exists():
            with records.open(encoding="utf-8") as file:
                for line in file:
                    if line.strip():
                        record = json.loads(line)
                        self.records[record["id"]] = record
        self.record_ids = list(self.records)
        if not (path / "vocabulary.json").exists():
            return self
        import scipy.sparse
        from sklearn.feature_extraction.text import TfidfVectorizer

        vocabulary = json.loads((path / "vocabulary.json").read_text(encoding="utf-8"))
        self.vectorizer = TfidfVectorizer(**VECTORIZER, vocabulary=vocabulary)
        self.vectorizer.idf_ = np.load(path / "idf.npy")
        self.alias_texts = json.loads((path / "aliases.json").read_text(encoding="utf-8"))
        self.alias_records = np.load(path / "alias_records.npy")
        self.matrix = scipy.sparse.load_npz(path / "alias_matrix.npz").tocsr()
        self._build_indexes()
        return self
