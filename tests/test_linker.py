"""The knowledge-base linker (defence_ner/pipeline/linker.py) on a tiny knowledge base and hand-set entities."""

import json

import spacy
from spacy.tokens import Span

import defence_ner  # noqa: F401  (registers the components)
from defence_ner.annotation.stream import AnnotationWriter, annotate, read_records
from defence_ner.evaluation.linking import (
    at_threshold,
    choose_threshold,
    linking_markdown,
    linking_report,
    linking_scores,
    read_linking_set,
    score_mentions,
    split_dev,
)
from defence_ner.model_card import LINKER_REQUIREMENT, build_meta, model_card
from defence_ner.pipeline.linker import (
    SPELLING_SCORE,
    VARIANT_SCORE,
    EntityLinker,
    another_of_the_family,
    name_like,
    part_of_the_name,
    same_word,
    transliteration_key,
    words_of,
)

RECORDS = [
    {
        "id": "weapon:s-400",
        "name": "S-400",
        "aliases": ["S-400 Triumf", "S-400 Triumph", "SA-21 Growler", "SA-21"],
        "label": "WEAPON",
        "class": "surface-to-air missile system",
        "country": "RU",
        "ambiguous": False,
    },
    {
        "id": "weapon:s-300",
        "name": "S-300",
        "aliases": ["SA-10 Grumble", "SA-10"],
        "label": "WEAPON",
        "class": "surface-to-air missile system",
        "country": "RU",
        "ambiguous": False,
    },
    {
        "id": "ship:ins-vikrant",
        "name": "INS Vikrant",
        "aliases": ["Vikrant", "R11"],
        "label": "MILITARY_PLATFORM",
        "class": "aircraft carrier",
        "country": "IN",
        "ambiguous": True,
    },
    {
        "id": "org:indian-navy",
        "name": "Indian Navy",
        "aliases": ["IN", "Bharatiya Nau Sena"],
        "label": "ORGANISATION",
        "class": "navy",
        "country": "IN",
        "ambiguous": True,
    },
]


def linker_nlp(threshold=0.5):
    nlp = spacy.blank("en")
    nlp.add_pipe("kb_linker", name="linker", config={"threshold": threshold})
    nlp.get_pipe("linker").initialize(lambda: [], nlp=nlp, records=RECORDS)
    return nlp


def linked(nlp, text, ents):
    """Run the pipeline's linker on a doc of text whose entities are ents [(mention, label)]."""
    doc = nlp.make_doc(text)
    spans = []
    for mention, label in ents:
        start = text.index(mention)
        spans.append(doc.char_span(start, start + len(mention), label=label))
    doc.ents = spans
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def test_names_and_aliases_link_to_their_record_with_its_class_and_country():
    nlp = linker_nlp()
    doc = linked(
        nlp,
        "Russia moved the S-400 Triumf , an SA-21 Growler battery and more S-400 units .",
        [("S-400 Triumf", "WEAPON"), ("SA-21 Growler", "WEAPON"), ("S-400 units", "WEAPON")],
    )
    assert [e.kb_id_ for e in doc.ents] == ["weapon:s-400"] * 3
    record = doc.ents[1]._.kb_record
    assert (record["name"], record["class"], record["country"]) == ("S-400", "surface-to-air missile system", "RU")
    assert doc.ents[1]._.kb_score == 1.0
    assert 0.5 <= doc.ents[2]._.kb_score < 1.0  # "S-400 units" is near, not equal to, an alias


def test_exact_short_name_links_and_a_near_designation_links_to_its_own_record():
    nlp = linker_nlp()
    doc = linked(
        nlp,
        "S-400 and S-300 and SA-10 Grumble",
        [("S-400", "WEAPON"), ("S-300", "WEAPON"), ("SA-10 Grumble", "WEAPON")],
    )
    assert [e.kb_id_ for e in doc.ents] == ["weapon:s-400", "weapon:s-300", "weapon:s-300"]


def test_spelling_variants_variant_suffixes_and_plurals_link_to_the_alias_record():
    nlp = linker_nlp()
    mentions = [
        ("S 400", "weapon:s-400", 1.0),  # spaces and hyphens do not count
        ("SA21", "weapon:s-400", 1.0),
        ("S-300V4", "weapon:s-300", 0.95),  # a variant suffix after the designation's number
        ("S-400s", "weapon:s-400", 0.95),  # a plural
        ("S-300 PMU2 Favorit", "", None),  # more than a variant suffix: too far from any alias
        ("SA-100", "", None),  # another number is another system, however near the letters
    ]
    text = " , ".join(mention for mention, _, _ in mentions)
    doc = linked(nlp, text, [(mention, "WEAPON") for mention, _, _ in mentions])
    assert [(e.text, e.kb_id_, e._.kb_score) for e in doc.ents] == mentions


def test_an_alias_written_as_the_mention_beats_one_spelled_alike_and_editions_do_not_part_exercises():
    nlp = spacy.blank("en")
    linker = nlp.add_pipe("kb_linker", name="linker")
    linker.initialize(
        nlp=nlp,
        records=[
            record("platform:tornado-gr4", "Tornado GR4", ["Tornados"], "MILITARY_PLATFORM"),
            record("platform:tornado-s", "Tornado-S", [], "MILITARY_PLATFORM"),
            record("op:talisman-sabre", "Talisman Sabre", [], "OPERATION"),
        ],
    )
    assert linker.candidates("Tornado-S", "MILITARY_PLATFORM")[0] == ("platform:tornado-s", 1.0)
    assert linker.candidates("Talisman Sabre 25", "OPERATION")[0][0] == "op:talisman-sabre"


def record(id_, name, aliases, label="MILITARY_PLATFORM"):
    return {"id": id_, "name": name, "aliases": aliases, "label": label, "class": "", "country": "", "ambiguous": 0}


def linker_of_records(records, threshold=0.5) -> EntityLinker:
    nlp = spacy.blank("en")
    linker = nlp.add_pipe("kb_linker", name="linker", config={"threshold": threshold})
    linker.initialize(nlp=nlp, records=records)
    return linker


def best(linker: EntityLinker, text: str, label: str = "MILITARY_PLATFORM") -> tuple[str, float] | None:
    ranked = linker.candidates(text, label)
    return ranked[0] if ranked and ranked[0][1] >= linker.threshold else None


def test_transliterations_roman_numerals_and_mark_meet_on_one_key():
    assert transliteration_key("kindzhal") == transliteration_key("kinzhal") == "kinjal"
    assert transliteration_key("pantsyr-s1") == transliteration_key("pantsir-s1")
    assert transliteration_key("hyunmu-5") == transliteration_key("hyunmoo-5")
    assert transliteration_key("arrow iii") == transliteration_key("arrow 3") == "arow3"
    assert transliteration_key("heron mark ii") == transliteration_key("heron mk 2")
    assert transliteration_key("iii") == "i"  # a Roman numeral alone is no number
    # A word with digits is a designation, spelled as written: "052DD" is not "052D", "30MKK" not "30MK".
    assert transliteration_key("type 052dd") != transliteration_key("type 052d")
    assert transliteration_key("su-30mkk") != transliteration_key("su-30mk")
    linker = linker_of_records(
        [
            record("weapon:kinzhal", "Kinzhal", ["Kh-47M2"], "WEAPON"),
            record("weapon:arrow-3", "Arrow 3", [], "WEAPON"),
            # Two records whose spellings fold to one key: that key links neither.
            record("weapon:a", "Pantsir", [], "WEAPON"),
            record("weapon:b", "Pantsyr", [], "WEAPON"),
        ]
    )
    assert best(linker, "Kindzhal", "WEAPON") == ("weapon:kinzhal", SPELLING_SCORE)
    assert best(linker, "Arrow III", "WEAPON") == ("weapon:arrow-3", SPELLING_SCORE)
    assert transliteration_key("pantsiir") == transliteration_key("pantsyr")
    assert all(score < SPELLING_SCORE for _, score in linker.candidates("Pantsiir", "WEAPON"))


def test_short_designations_take_variant_suffixes_but_ship_classes_do_not():
    linker = linker_of_records(
        [
            record("platform:k9", "K9 Thunder", ["K9"]),
            record("platform:h-6", "H-6", []),
            record("class:shivalik", "Shivalik-class", ["Project 17"]),
            record("class:nilgiri", "Nilgiri-class", ["Project 17A"]),
        ]
    )
    assert best(linker, "K9A2") == ("platform:k9", VARIANT_SCORE)
    assert best(linker, "H-6J") == ("platform:h-6", VARIANT_SCORE)
    assert best(linker, "Project 17AA") is None  # nor by a doubled letter
    assert best(linker, "Project 17A") == ("class:nilgiri", 1.0)
    # Another class: neither the variant rule nor the TF-IDF links Project 17B to Project 17 or 17A.
    assert best(linker, "Project 17B") is None
    assert all(
        record_id not in {"class:shivalik", "class:nilgiri"}
        for record_id, _ in linker.candidates("Project 17B", "MILITARY_PLATFORM")
    )


def test_a_designation_with_another_alias_of_its_record_links_but_not_with_another_records():
    linker = linker_of_records(
        [
            record("platform:j-20", "J-20", ["Mighty Dragon"]),
            record("platform:fa-18", "F/A-18 Hornet", ["FA-18"]),
            record("platform:fa-18ef", "F/A-18E/F Super Hornet", ["Super Hornet"]),
        ]
    )
    assert best(linker, "J-20 Mighty Dragon") == ("platform:j-20", SPELLING_SCORE)
    assert best(linker, "FA-18 Super Hornet")[0] == "platform:fa-18ef"


def test_names_of_one_family_do_not_link_to_each_other_but_spellings_of_one_name_do():
    assert another_of_the_family(words_of("hanwha systems"), words_of("hanwha aerospace"))
    assert another_of_the_family(words_of("joint expeditionary force"), words_of("iii marine expeditionary force"))
    assert not another_of_the_family(words_of("s-400 units"), words_of("s-400"))  # one name, one extra word
    assert not another_of_the_family(words_of("israeli defence forces"), words_of("israel defense forces"))
    assert same_word("defence", "defense") and same_word("israel", "israeli") and not same_word("mk", "mki")
    linker = linker_of_records(
        [
            record("org:hanwha-aerospace", "Hanwha Aerospace", [], "ORGANISATION"),
            record("org:idf", "Israel Defense Forces", ["IDF"], "ORGANISATION"),
        ],
        threshold=0.3,
    )
    assert best(linker, "Hanwha Systems", "ORGANISATION") is None
    assert best(linker, "Israeli Defence Forces", "ORGANISATION")[0] == "org:idf"


def test_generic_mentions_and_parts_of_a_name_do_not_link():
    assert name_like("S-400") and name_like("Kindzhal") and not name_like("fighter jets") and not name_like("we")
    assert part_of_the_name(words_of("strike"), words_of("naval strike missile"))
    assert not part_of_the_name(words_of("c-17 globemasters"), words_of("c-17 globemaster iii"))
    nlp = linker_nlp()
    nlp.get_pipe("linker").set_records(
        RECORDS
        + [
            record("weapon:nsm", "Naval Strike Missile", ["NSM"], "WEAPON"),
            record("org:vikrant-yard", "vikrant", [], "ORGANISATION"),
        ]
    )
    doc = linked(
        nlp,
        "the strike hit the s-400 site ; Strike ; vikrant",
        [("strike", "WEAPON"), ("s-400", "WEAPON"), ("Strike", "WEAPON"), ("vikrant", "ORGANISATION")],
    )
    # Lowercase: only an alias written the same links ("s-400" is the S-400, "vikrant" an alias as written).
    assert [e.kb_id_ for e in doc.ents] == ["", "weapon:s-400", "", "org:vikrant-yard"]


def test_accents_and_case_do_not_count():
    doc = linked(linker_nlp(), "The VIKRÀNT sailed .", [("VIKRÀNT", "MILITARY_PLATFORM")])
    assert doc.ents[0].kb_id_ == "ship:ins-vikrant" and doc.ents[0]._.kb_score == 1.0


def test_an_unknown_name_stays_unlinked():
    doc = linked(linker_nlp(), "They tested the Zircon-X9 .", [("Zircon-X9", "WEAPON")])
    assert doc.ents[0].kb_id_ == "" and doc.ents[0]._.kb_record is None and doc.ents[0]._.kb_score is None


def test_a_label_mismatch_does_not_link_and_labels_without_records_are_skipped():
    doc = linked(
        linker_nlp(),
        "S-400 crews and INS Vikrant met Admiral Vikrant .",
        [("S-400", "ORGANISATION"), ("INS Vikrant", "MILITARY_PLATFORM"), ("Admiral Vikrant", "PERSON")],
    )
    assert [e.kb_id_ for e in doc.ents] == ["", "ship:ins-vikrant", ""]
    assert doc.ents[1]._.kb_record["country"] == "IN"


def test_the_threshold_is_respected():
    text, ents = "More S-400 units arrived .", [("S-400 units", "WEAPON")]
    score = linked(linker_nlp(0.0), text, ents).ents[0]._.kb_score
    assert 0.0 < score < 1.0
    assert linked(linker_nlp(score), text, ents).ents[0].kb_id_ == "weapon:s-400"
    assert linked(linker_nlp(score + 0.01), text, ents).ents[0].kb_id_ == ""


def test_an_id_from_a_knowledge_ruler_is_preferred_when_its_label_agrees():
    nlp = linker_nlp(threshold=0.99)
    doc = nlp.make_doc("The Growler battery and the Navy ship")
    # A ruler's id on the entity itself, and one in doc.spans["knowledge_ambiguous"] with its boundaries.
    growler = Span(doc, 1, 2, label="WEAPON", span_id="weapon:s-400")
    navy = Span(doc, 5, 6, label="ORGANISATION")
    doc.ents = [growler, navy]
    doc.spans["knowledge_ambiguous"] = [Span(doc, 5, 6, label="ORGANISATION", span_id="org:indian-navy")]
    doc = nlp.get_pipe("linker")(doc)
    assert [(e.kb_id_, e.id_) for e in doc.ents] == [("weapon:s-400", "weapon:s-400"), ("org:indian-navy", "")]
    # A ruler id whose record has another label is not taken.
    doc = nlp.make_doc("Vikrant")
    doc.ents = [Span(doc, 0, 1, label="WEAPON", span_id="ship:ins-vikrant")]
    assert nlp.get_pipe("linker")(doc).ents[0].kb_id_ == ""


def test_candidates_are_ranked_per_record_within_the_label():
    linker: EntityLinker = linker_nlp().get_pipe("linker")
    ranked = linker.candidates("SA-21 Grumble", "WEAPON")
    assert ranked[0][0] == "weapon:s-400" and len(ranked) == len({r for r, _ in ranked})
    # Only aliases with the mention's numbers are candidates: the S-300's aliases have none of 21.
    assert "weapon:s-300" not in dict(ranked)
    assert linker.candidates("S-400", "LOCATION") == []
    assert linker.labels == {"WEAPON", "MILITARY_PLATFORM", "ORGANISATION"}


def test_the_linker_round_trips_through_to_disk_and_spacy_load(tmp_path):
    nlp = linker_nlp()
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "linker" / "records.jsonl").is_file()
    loaded = spacy.load(tmp_path / "pipeline")
    text, ents = (
        "The SA-21 Growler and S-400 units near INS Vikrant .",
        [
            ("SA-21 Growler", "WEAPON"),
            ("S-400 units", "WEAPON"),
            ("INS Vikrant", "MILITARY_PLATFORM"),
        ],
    )
    before, after = linked(nlp, text, ents), linked(loaded, text, ents)
    assert (
        [e.kb_id_ for e in after.ents]
        == [e.kb_id_ for e in before.ents]
        == [
            "weapon:s-400",
            "weapon:s-400",
            "ship:ins-vikrant",
        ]
    )
    assert [e._.kb_score for e in after.ents] == [e._.kb_score for e in before.ents]
    assert after.ents[2]._.kb_record == {k: v for k, v in RECORDS[2].items() if k != "aliases"}
    stricter = spacy.load(tmp_path / "pipeline", config={"components": {"linker": {"threshold": 0.99}}})
    assert [e.kb_id_ for e in linked(stricter, text, ents).ents] == ["weapon:s-400", "", "ship:ins-vikrant"]


def test_initialize_from_the_config_reads_the_knowledge_base(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "weapons.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    nlp = spacy.blank("en")
    nlp.add_pipe("kb_linker", name="linker")
    nlp.config["initialize"]["components"]["linker"] = {
        "records": {"@misc": "defence_ner.knowledge_records.v1", "path": str(folder)}
    }
    nlp.initialize()
    assert set(nlp.get_pipe("linker").records) == {r["id"] for r in RECORDS}


def test_annotate_writes_the_linked_id_and_canonical_name_when_the_pipeline_has_a_linker(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "WEAPON", "pattern": "SA-21 Growler"}, {"label": "WEAPON", "pattern": "Zircon-X9"}]
    )
    nlp.add_pipe("kb_linker", name="linker").initialize(nlp=nlp, records=RECORDS)
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "d1", "text": "An SA-21 Growler and a Zircon-X9 ."}) + "\n")
    for pipeline, output in ((nlp, "linked.jsonl"), (spacy.blank("en"), "plain.jsonl")):
        if output == "plain.jsonl":
            pipeline.add_pipe("entity_ruler").add_patterns([{"label": "WEAPON", "pattern": "Zircon-X9"}])
        with AnnotationWriter(tmp_path / output, tmp_path / "errors.jsonl") as writer:
            annotate(pipeline, read_records([tmp_path / "in.jsonl"]), writer, 8, 1, progress=False)
    linked = json.loads((tmp_path / "linked.jsonl").read_text())["entities"]
    assert [(e["text"], e["kb_id"], e["kb_name"]) for e in linked] == [
        ("SA-21 Growler", "weapon:s-400", "S-400"),
        ("Zircon-X9", "", None),
    ]
    plain = json.loads((tmp_path / "plain.jsonl").read_text())["entities"]
    assert plain == [{"start": 23, "end": 32, "label": "WEAPON", "text": "Zircon-X9"}]


def mention(text, surface, label, gold):
    start = text.index(surface)
    return {"text": text, "mention": surface, "start": start, "end": start + len(surface), "label": label, "gold": gold}


MENTIONS = [
    mention("Russia moved the SA-21 Growler south.", "SA-21 Growler", "WEAPON", "weapon:s-400"),
    mention("More S-400 units arrived.", "S-400 units", "WEAPON", "weapon:s-400"),
    mention("The Zircon-X9 flew.", "Zircon-X9", "WEAPON", "none"),
    mention("An S-300 battery fired.", "S-300", "WEAPON", "weapon:s-400"),  # a wrong gold: the linker must miss it
    mention("INS Vikrant sailed.", "INS Vikrant", "MILITARY_PLATFORM", "ship:ins-vikrant"),
    mention("The Indian Navy said so.", "Indian Navy", "ORGANISATION", "none"),  # linked, but gold says none
]


def test_linking_scores_count_accuracy_at_1_and_linked_precision_and_recall(tmp_path):
    path = tmp_path / "linking.jsonl"
    path.write_text("".join(json.dumps(m) + "\n" for m in MENTIONS))
    scored = score_mentions(linker_nlp(), read_linking_set(path))
    assert [m["predicted"] for m in scored] == [
        "weapon:s-400",
        "weapon:s-400",
        None,
        "weapon:s-300",
        "ship:ins-vikrant",
        "org:indian-navy",
    ]
    scores = linking_scores(scored, 0.5)
    # Right: Growler, S-400 units, Zircon-X9 (none, unlinked), INS Vikrant. Linked 5, of which 3 right; gold ids 4.
    assert (scores["accuracy"], scores["linked_precision"], scores["linked_recall"]) == (4 / 6, 3 / 5, 3 / 4)
    assert scores["per_label"]["ORGANISATION"] == {
        "mentions": 1,
        "gold_linked": 0,
        "predicted_linked": 1,
        "accuracy": 0.0,
        "linked_precision": 0.0,
        "linked_recall": None,
    }
    # The answers at a threshold are those of the component run with that threshold.
    for threshold in (0.5, 0.99):
        nlp = linker_nlp(threshold)
        predicted = []
        for m in MENTIONS:
            doc = nlp.make_doc(m["text"])
            doc.ents = [doc.char_span(m["start"], m["end"], label=m["label"])]
            predicted.append(nlp.get_pipe("linker")(doc).ents[0].kb_id_ or None)
        assert at_threshold(scored, threshold) == predicted


def test_the_threshold_maximises_accuracy_with_precise_links_and_ties_go_higher():
    def scored(*pairs):
        return [
            {"label": "WEAPON", "gold": gold, "predicted": predicted, "score": score}
            for gold, predicted, score in pairs
        ]

    dev = scored(
        ("weapon:a", "weapon:a", 1.0),
        ("weapon:b", "weapon:b", 0.8),
        ("none", "weapon:c", 0.7),
        ("weapon:d", "weapon:d", 0.6),
        ("weapon:e", "weapon:e", 0.55),
    )
    # At 0.55: accuracy 4/5 but precision 4/5 < 0.95; at 0.8: accuracy 3/5 with precision 1.
    chosen = choose_threshold(dev)
    assert chosen["threshold"] == 0.8 and chosen["accuracy"] == 3 / 5 and chosen["linked_precision"] == 1.0
    assert choose_threshold(dev, min_precision=0.8)["threshold"] == 0.55
    # Every threshold from 0 to 0.6 links both right: the highest of them.
    assert choose_threshold(scored(("weapon:a", "weapon:a", 0.9), ("weapon:b", "weapon:b", 0.6)))["threshold"] == 0.6
    # When every link is wrong, linking nothing is chosen.
    assert choose_threshold(scored(("none", "weapon:a", 0.9)))["predicted_linked"] == 0


def test_dev_split_keeps_a_sentence_whole_and_the_report_is_written(tmp_path):
    mentions = MENTIONS + [mention("More S-400 units arrived.", "S-400", "WEAPON", "weapon:s-400")]
    dev, test = split_dev(mentions, 0.5, seed=1)
    assert len(dev) + len(test) == len(mentions)
    assert not {m["text"] for m in dev} & {m["text"] for m in test}
    nlp = linker_nlp()
    report = linking_report(score_mentions(nlp, dev), score_mentions(nlp, test), 0.5)
    text = linking_markdown(report, "Linking")
    assert "| test |" in text and "## Test, per label" in text
    assert f"Environment: spacy {spacy.__version__}, " in text
    assert report["test"]["mentions"] == len(test) and report["configured_threshold"] == 0.5
    # The script adds which files were dev and test; the report then says so.
    named = linking_markdown(report | {"dev_path": "team.jsonl", "test_path": "holdout.jsonl"}, "Linking")
    assert "Dev mentions: team.jsonl; test mentions: holdout.jsonl." in named and "Dev mentions" not in text


def test_the_package_meta_requires_scikit_learn_and_the_card_says_how_to_turn_the_linker_off():
    from tests.test_packaging import SCHEMA, SOURCES, report

    model_meta = {"lang": "en", "labels": {"ner": ["WEAPON"]}, "pipeline": ["ner", "consistency", "linker"]}
    meta = build_meta(model_meta, "defence_ner", "1.0.0", "enc", "fp32", report(0.5, 0.8), report(0.5, 0.8), SOURCES)
    assert meta["requirements"] == [LINKER_REQUIREMENT]
    card = " ".join(model_card(meta, SCHEMA, [], report(0.5, 0.8), None).split())
    assert "- `linker`: the knowledge-base linker" in card and 'exclude=["linker"])' in card


def test_the_linker_round_trips_through_bytes():
    nlp = linker_nlp()
    copy = spacy.blank("en")
    copy.add_pipe("kb_linker", name="linker")
    copy.from_bytes(nlp.to_bytes())
    text, ents = "More S-400 units and INS Vikrant .", [("S-400 units", "WEAPON"), ("INS Vikrant", "MILITARY_PLATFORM")]
    assert [(e.kb_id_, e._.kb_score) for e in linked(copy, text, ents).ents] == [
        (e.kb_id_, e._.kb_score) for e in linked(nlp, text, ents).ents
    ]


def test_every_rule_survives_the_round_trip_and_an_alias_of_punctuation_spells_nothing():
    linker = linker_of_records(
        [
            record("weapon:kinzhal", "Kinzhal", ["—"], "WEAPON"),
            record("platform:j-20", "J-20", ["Mighty Dragon"]),
            record("class:shivalik", "Shivalik-class", ["Project 17"]),
            record("org:hanwha", "Hanwha Aerospace", [], "ORGANISATION"),
        ]
    )
    copy = spacy.blank("en").add_pipe("kb_linker", name="linker")
    copy.from_bytes(linker.to_bytes())
    mentions = [
        ("Kindzhal", "WEAPON"),
        ("J-20 Mighty Dragon", "MILITARY_PLATFORM"),
        ("Project 17B", "MILITARY_PLATFORM"),
        ("Hanwha Systems", "ORGANISATION"),
        ("abc", "WEAPON"),
    ]
    assert [copy.candidates(text, label) for text, label in mentions] == [
        linker.candidates(text, label) for text, label in mentions
    ]
    assert [best(copy, text, label) for text, label in mentions] == [
        ("weapon:kinzhal", SPELLING_SCORE),
        ("platform:j-20", SPELLING_SCORE),
        None,
        None,
        None,
    ]
