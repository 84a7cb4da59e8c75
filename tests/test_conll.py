import pytest
from spacy.tokens import Doc
from spacy.training import Example

from defence_ner.corpora.formats.conll import write_conll
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.corpora import SENTENCES, conll_lines
from tests.helpers import ents

MAPPING = {"PER": "PERSON", "LOC": "LOCATION", "WEAPON": "WEAPON", "MISC": "drop"}


@pytest.fixture
def conll(tmp_path, read):
    def run(text, mapping=MAPPING, options=None, **kwargs):
        path = tmp_path / "data.conll"
        path.write_text(text, encoding="utf-8")
        return read(Source("test", "conll", path, mapping, options=options or {}, **kwargs))

    return run


def test_iob2_sentences_become_docs(conll):
    docs, _ = conll("John\tB-PER\nSmith\tI-PER\nvisited\tO\nMosul\tB-LOC\n\nA\tO\nrifle\tB-WEAPON\n")
    assert [ents(d) for d in docs] == [[("John Smith", "PERSON"), ("Mosul", "LOCATION")], [("rifle", "WEAPON")]]
    assert docs[0].user_data == {"doc_id": "data.conll:1", "source": "test"}
    assert docs[1].user_data["doc_id"] == "data.conll:6"


def test_inside_tag_opening_a_span_is_read_and_counted_as_repair_in_iob2(conll):
    docs, report = conll("John\tI-PER\nSmith\tI-PER\nand\tO\nMosul\tI-LOC\n")
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]
    assert report.totals()["repaired:inside_tag_opens_span"] == {"PER": 1, "LOC": 1}


def test_iob1_inside_tags_open_spans_without_repair(conll):
    docs, report = conll("John\tI-PER\nSmith\tI-PER\nParis\tI-LOC\nLondon\tB-LOC\n", options={"scheme": "iob1"})
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Paris", "LOCATION"), ("London", "LOCATION")]
    assert "repaired:inside_tag_opens_span" not in report.totals()


def test_adjacent_spans_of_one_type_stay_apart(conll):
    docs, _ = conll("Paris\tB-LOC\nLondon\tB-LOC\n")
    assert ents(docs[0]) == [("Paris", "LOCATION"), ("London", "LOCATION")]


def test_biluo_tags(conll):
    docs, _ = conll("John\tB-PER\nSmith\tL-PER\nin\tO\nMosul\tU-LOC\n")
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]


def test_docstart_groups_sentences_into_documents(conll):
    text = (
        "-DOCSTART- -X- O O\n\nJohn NNP B-NP B-PER\nran VBD B-VP O\n\nMosul NNP B-NP B-LOC\n\n"
        "-DOCSTART- -X- O O\n\nA DT B-NP O\n"
    )
    docs, report = conll(text, options={"tag_column": 3})
    assert [len(list(d.sents)) for d in docs] == [2, 1]
    assert ents(docs[0]) == [("John", "PERSON"), ("Mosul", "LOCATION")]
    assert report.to_dict()["sentences"] == {"test": 3}


def test_token_that_looks_like_a_tag_is_read_by_column(conll):
    docs, _ = conll("the\tO\nB-52\tB-WEAPON\nflew\tO\n")
    assert [t.text for t in docs[0]] == ["the", "B-52", "flew"]
    assert ents(docs[0]) == [("B-52", "WEAPON")]


def test_label_mapped_to_drop_is_counted(conll):
    docs, report = conll("Kurdish\tB-MISC\nfighters\tO\n")
    assert ents(docs[0]) == []
    assert report.totals()["dropped:mapped_to_drop"] == {"MISC": 1}


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("John\tB-PER\nSmith\n", 2, "expected a token and a tag"),
        ("John\tB-PER\nSmith\tX-PER\n", 2, "malformed tag 'X-PER'"),
        ("\n\nJohn\tB-PER\nSmith\tBPER\n", 4, "malformed tag 'BPER'"),
        ("John\tB-PLANET\n", None, "labels missing from the label mapping of source 'test': 'PLANET'"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path, conll, text, line, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        conll(text)
    assert str(error.value).startswith(
        f"{tmp_path / 'data.conll'}:{line}: " if line else f"{tmp_path / 'data.conll'}: "
    )


def test_skip_bad_records_drops_the_sentence_and_reports_it(conll):
    docs, report = conll("John\tB-PER\nSmith\n\nMosul\tB-LOC\n\nA\tX-PER\n", skip_bad_records=True)
    assert [ents(d) for d in docs] == [[("Mosul", "LOCATION")]]
    assert [(r["line"], r["reason"]) for r in report.to_dict()["bad_records"]["test"]] == [
        (2, "expected a token and a tag, got 'Smith'"),
        (6, "malformed tag 'X-PER'"),
    ]


def test_unknown_labels_can_be_dropped_by_the_manifest(conll):
    docs, report = conll("John\tB-PER\non\tO\nMars\tB-PLANET\n", drop_unknown_labels=True)
    assert ents(docs[0]) == [("John", "PERSON")]
    assert report.totals()["dropped:unmapped_label"] == {"PLANET": 1}


def test_partial_source_marks_unannotated_tokens_missing(conll):
    docs, _ = conll("The\tO\nB-52\tB-WEAPON\nflew\tO\nover\tO\nIraq\tO\n", partial=True)
    example = Example(Doc(docs[0].vocab, words=[t.text for t in docs[0]]), docs[0])
    assert example.get_aligned_ner() == [None, "U-WEAPON", None, None, None]  # None: missing, not "O"


def test_write_then_read_gives_the_same_entities(tmp_path, conll, re3d_mapping):
    docs, _ = conll("\n".join(conll_lines()), mapping=re3d_mapping)
    path = tmp_path / "out.conll"
    write_conll(docs, path)
    identity = {label: label for label in {e.label_ for d in docs for e in d.ents}}
    again, _ = conll(path.read_text(), mapping=identity)
    assert [ents(d) for d in again] == [ents(d) for d in docs]


def test_tiny_corpus_round_trips_every_entity(conll, re3d_mapping):
    docs, report = conll("\n".join(conll_lines()), mapping=re3d_mapping)
    assert len(docs) == len(SENTENCES)
    for doc, (_, spans) in zip(docs, SENTENCES):
        assert [e.text for e in doc.ents] == [value for value, _ in spans]
    assert sum(report.totals()["kept"].values()) == sum(len(spans) for _, spans in SENTENCES)


def test_line_with_a_different_column_count_from_the_file_is_a_bad_record(tmp_path, conll):
    text = "Warships\tO\nleft\tO\nPortsmouth Harbour B-LOC\ntoday\tO\n\nMosul\tB-LOC\n"
    with pytest.raises(CorpusFormatError, match="3 columns, but the file's lines have 2") as error:
        conll(text)
    assert (error.value.path, error.value.line) == (tmp_path / "data.conll", 3)

    docs, report = conll(text, skip_bad_records=True)
    assert [ents(d) for d in docs] == [[("Mosul", "LOCATION")]]
    assert [r["line"] for r in report.bad_records["test"]] == [3]


def test_column_count_is_the_files_most_common_one(conll):
    text = "Portsmouth Harbour B-LOC\nwas\tO\nbusy\tO\n"
    with pytest.raises(CorpusFormatError, match="3 columns, but the file's lines have 2") as error:
        conll(text)
    assert error.value.line == 1


def test_malformed_tag_skips_only_its_sentence_of_a_docstart_document(conll):
    text = "-DOCSTART-\tO\n\nJohn\tB-PER\nran\tO\n\nA\tX-PER\n\nMosul\tB-LOC\n\n-DOCSTART-\tO\n\nRaqqa\tB-LOC\n"
    docs, report = conll(text, skip_bad_records=True)
    assert [[s.text for s in d.sents] for d in docs] == [["John ran", "Mosul"], ["Raqqa"]]
    assert [ents(d) for d in docs] == [[("John", "PERSON"), ("Mosul", "LOCATION")], [("Raqqa", "LOCATION")]]
    assert [(r["line"], r["reason"]) for r in report.to_dict()["bad_records"]["test"]] == [(6, "malformed tag 'X-PER'")]
    assert report.to_dict()["sentences"] == {"test": 3}
