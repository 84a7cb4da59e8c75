import pytest
from spacy.tokens import Doc
from spacy.training import Example

from defence_ner.corpora.formats.brat import write_brat
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.helpers import ents

MAPPING = {"Person": "PERSON", "Weapon": "WEAPON", "Location": "LOCATION"}
TEXT = "John Smith fired an AK-47 in Mosul."
ANN = "T1\tPerson 0 10\tJohn Smith\nT2\tWeapon 20 25\tAK-47\nT3\tLocation 29 34\tMosul\n"


@pytest.fixture
def brat(tmp_path, read):
    """brat(files, ...) -> (docs, report): files ({relative path: content}) written under tmp_path/corpus, then read."""
    folder = tmp_path / "corpus"

    def run(files, mapping=MAPPING, **kwargs):
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="")
        return read(Source("brat-test", "brat", folder, mapping, **kwargs))

    return run


def test_pairs_become_docs_with_mapped_entities(brat):
    docs, report = brat(
        {"a.txt": TEXT, "a.ann": ANN, "sub/b.txt": "Jane Doe left.", "sub/b.ann": "T1\tPerson 0 8\tJane Doe\n"}
    )
    assert [ents(d) for d in docs] == [
        [("John Smith", "PERSON"), ("AK-47", "WEAPON"), ("Mosul", "LOCATION")],
        [("Jane Doe", "PERSON")],
    ]
    assert [d.user_data for d in docs] == [
        {"doc_id": "a", "source": "brat-test"},
        {"doc_id": "sub/b", "source": "brat-test"},
    ]
    assert report.totals()["kept"] == {"Person": 2, "Weapon": 1, "Location": 1}


def test_offsets_count_crlf_as_two_characters(brat):
    docs, report = brat({"a.txt": "Contact report.\r\nJohn Smith fired.", "a.ann": "T1\tPerson 17 27\tJohn Smith\n"})
    assert ents(docs[0]) == [("John Smith", "PERSON")]
    assert "repaired:text_differs_from_offsets" not in report.totals()


def test_discontinuous_span_is_counted_and_dropped(brat):
    docs, report = brat({"a.txt": TEXT, "a.ann": "T1\tPerson 0 4;5 10\tJohn Smith\nT2\tLocation 29 34\tMosul\n"})
    assert ents(docs[0]) == [("Mosul", "LOCATION")]
    assert report.totals()["raw"] == {"Person": 1, "Location": 1}
    assert report.totals()["dropped:discontinuous_span"] == {"Person": 1}


def test_annotations_that_are_not_text_bound_are_counted(brat):
    ann = ANN + (
        "R1\tLocated_in Arg1:T1 Arg2:T3\t\n"
        "E1\tAttack:T2 Agent:T1\n"
        "A1\tNegated T2\n"
        "M1\tConfidence T1 High\n"
        "N1\tReference T3 Wikipedia:534366\tMosul\n"
        "#1\tAnnotatorNotes T1\tcheck the rank\n"
        "*\tEquiv T1 T3\n"
    )
    docs, report = brat({"a.txt": TEXT, "a.ann": ann})
    assert len(docs[0].ents) == 3
    assert report.totals()["dropped:not_text_bound"] == {
        "relation:Located_in": 1,
        "event:Attack": 1,
        "attribute:Negated": 1,
        "attribute:Confidence": 1,
        "normalization:Reference": 1,
        "note:AnnotatorNotes": 1,
        "equivalence:Equiv": 1,
    }


def test_stored_text_that_differs_keeps_offsets_and_counts_a_repair(brat):
    docs, report = brat({"a.txt": TEXT, "a.ann": "T1\tPerson 0 10\tJon Smith\n"})
    assert ents(docs[0]) == [("John Smith", "PERSON")]
    assert report.totals()["repaired:text_differs_from_offsets"] == {"Person": 1}


@pytest.mark.parametrize(
    "line, reason",
    [
        ("X1\tPerson 0 4\tJohn", "unknown annotation id 'X1'"),
        ("T9\tPerson 4 0\tJohn", "bad offsets '4 0'"),
        ("T9\tPerson a 4\tJohn", "bad offsets 'a 4'"),
        ("T9\tPerson 0 4;5\tJohn", "bad offsets '0 4;5'"),
        ("T9\tPerson 30 99\tMosul", "offset 99 is past the end of the text"),
        ("T9\tPerson 0 4", "missing tab-separated fields"),
        ("R1", "missing tab-separated fields"),
    ],
)
def test_malformed_line_names_ann_file_and_line(tmp_path, brat, line, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        brat({"a.txt": TEXT, "a.ann": f"T1\tPerson 0 10\tJohn Smith\n{line}\n"})
    assert str(error.value).startswith(f"{tmp_path / 'corpus' / 'a.ann'}:2: ")


def test_skip_bad_records_reports_the_line_and_keeps_the_rest(tmp_path, brat):
    docs, report = brat(
        {"a.txt": TEXT, "a.ann": "T1\tPerson 0 10\tJohn Smith\nT2\tWeapon 20\tAK-47\nT3\tLocation 29 34\tMosul\n"},
        skip_bad_records=True,
    )
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]
    assert report.to_dict()["bad_records"]["brat-test"] == [
        {"path": str(tmp_path / "corpus" / "a.ann"), "line": 2, "reason": "bad offsets '20'"}
    ]


def test_ann_without_txt_is_a_bad_record(tmp_path, brat):
    files = {"a.txt": TEXT, "a.ann": ANN, "orphan.ann": ANN}
    with pytest.raises(CorpusFormatError, match="no orphan.txt beside it"):
        brat(files)
    docs, report = brat(files, skip_bad_records=True)
    assert [d.user_data["doc_id"] for d in docs] == ["a"]
    assert report.to_dict()["bad_records"]["brat-test"] == [
        {"path": str(tmp_path / "corpus" / "orphan.ann"), "line": None, "reason": "no orphan.txt beside it"}
    ]


def test_txt_without_ann_is_a_document_without_entities(brat):
    docs, report = brat({"a.txt": TEXT})
    assert [(d.text, ents(d)) for d in docs] == [(TEXT, [])]
    assert report.to_dict()["documents"] == {"brat-test": 1}


def test_unmapped_label_is_an_error_naming_where_it_occurs(tmp_path, brat):
    with pytest.raises(CorpusFormatError, match=f"'Vehicle' \\(1x, first at {tmp_path / 'corpus' / 'a.ann'}:2\\)"):
        brat({"a.txt": TEXT, "a.ann": "T1\tPerson 0 10\tJohn Smith\nT2\tVehicle 20 25\tAK-47\n"})


def test_partial_source_marks_unannotated_tokens_missing(brat):
    docs, _ = brat({"a.txt": "The AK-47 was found.", "a.ann": "T1\tWeapon 4 9\tAK-47\n"}, partial=True)
    example = Example(Doc(docs[0].vocab, words=[t.text for t in docs[0]]), docs[0])
    assert example.get_aligned_ner() == [None, "U-WEAPON", None, None, None]  # None: missing, not "O"


def test_write_then_read_gives_the_same_entities(tmp_path, brat, read):
    docs, _ = brat(
        {
            "a.txt": TEXT,
            "a.ann": ANN,
            "sub/b.txt": "Jane Doe\r\nleft Basra.",
            "sub/b.ann": "T1\tPerson 0 8\tJane Doe\nT2\tLocation 15 20\tBasra\n",
        }
    )
    out = tmp_path / "out"
    write_brat(docs, out)
    assert sorted(p.name for p in out.iterdir()) == ["a.ann", "a.txt", "sub_b.ann", "sub_b.txt"]
    identity = {label: label for label in {e.label_ for d in docs for e in d.ents}}
    again, report = read(Source("brat-out", "brat", out, identity))
    assert [(d.text, ents(d)) for d in again] == [(d.text, ents(d)) for d in docs]
    assert "repaired:text_differs_from_offsets" not in report.totals()


def test_written_file_names_are_safe_and_unique(tmp_path, nlp):
    docs = [nlp.make_doc(text) for text in ("one", "two", "three")]
    docs[0].user_data["doc_id"] = "../a/b"
    docs[1].user_data["doc_id"] = "a_b"
    write_brat(docs, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2.ann",
        "2.txt",
        "a_b-2.ann",
        "a_b-2.txt",
        "a_b.ann",
        "a_b.txt",
    ]
    assert (tmp_path / "out" / "a_b-2.txt").read_text(encoding="utf-8") == "two"
