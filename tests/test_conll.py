import pytest
from corpora import SENTENCES, conll_lines

from defence_ner.conll import read_conll
from defence_ner.errors import CorpusFormatError
from defence_ner.report import ConversionReport

MAPPING = {"PER": "PERSON", "LOC": "LOCATION", "WEAPON": "WEAPON", "MISC": "drop"}


def read(tmp_path, text, nlp, mapping=MAPPING, **kwargs):
    path = tmp_path / "data.conll"
    path.write_text(text, encoding="utf-8")
    report = ConversionReport()
    docs = list(read_conll(path, nlp.vocab, mapping, report, "test", **kwargs))
    report.check_balanced()
    return docs, report


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_iob2_sentences_become_docs(tmp_path, nlp):
    docs, _ = read(tmp_path, "John\tB-PER\nSmith\tI-PER\nvisited\tO\nMosul\tB-LOC\n\nA\tO\nrifle\tB-WEAPON\n", nlp)
    assert [ents(d) for d in docs] == [[("John Smith", "PERSON"), ("Mosul", "LOCATION")], [("rifle", "WEAPON")]]
    assert docs[0].user_data == {"doc_id": "data.conll:1", "source": "test"}
    assert docs[1].user_data["doc_id"] == "data.conll:6"


def test_iob1_inside_tag_opening_a_span_is_read_and_counted(tmp_path, nlp):
    docs, report = read(tmp_path, "John\tI-PER\nSmith\tI-PER\nand\tO\nMosul\tI-LOC\n", nlp)
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]
    assert report.totals()["repaired:inside_tag_opens_span"] == {"PER": 1, "LOC": 1}


def test_adjacent_spans_of_one_type_stay_apart(tmp_path, nlp):
    docs, _ = read(tmp_path, "Paris\tB-LOC\nLondon\tB-LOC\n", nlp)
    assert ents(docs[0]) == [("Paris", "LOCATION"), ("London", "LOCATION")]


def test_biluo_tags(tmp_path, nlp):
    docs, _ = read(tmp_path, "John\tB-PER\nSmith\tL-PER\nin\tO\nMosul\tU-LOC\n", nlp)
    assert ents(docs[0]) == [("John Smith", "PERSON"), ("Mosul", "LOCATION")]


def test_docstart_space_separated_columns_and_tag_column(tmp_path, nlp):
    text = "-DOCSTART- -X- O O\n\nJohn NNP B-NP B-PER\nran VBD B-VP O\n"
    docs, _ = read(tmp_path, text, nlp, tag_column=3)
    assert len(docs) == 1 and ents(docs[0]) == [("John", "PERSON")]


def test_token_that_looks_like_a_tag_is_read_by_column(tmp_path, nlp):
    docs, _ = read(tmp_path, "the\tO\nB-52\tB-WEAPON\nflew\tO\n", nlp)
    assert [t.text for t in docs[0]] == ["the", "B-52", "flew"]
    assert ents(docs[0]) == [("B-52", "WEAPON")]


def test_label_mapped_to_drop_is_counted(tmp_path, nlp):
    docs, report = read(tmp_path, "Kurdish\tB-MISC\nfighters\tO\n", nlp)
    assert ents(docs[0]) == []
    assert report.totals()["dropped:label_dropped_by_mapping"] == {"MISC": 1}


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("John\tB-PER\nSmith\n", 2, "expected a token and a tag"),
        ("John\tB-PER\nSmith\tX-PER\n", 2, "malformed tag 'X-PER'"),
        ("\n\nJohn\tB-PER\nSmith\tBPER\n", 4, "malformed tag 'BPER'"),
        ("John\tB-PLANET\n", 1, "labels missing from the label mapping: PLANET"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path, nlp, text, line, reason):
    with pytest.raises(CorpusFormatError, match=reason) as error:
        read(tmp_path, text, nlp)
    assert error.value.line == line
    assert str(error.value).startswith(f"{tmp_path / 'data.conll'}:{line}: ")


def test_tiny_corpus_round_trips_every_entity(tmp_path, nlp, re3d_mapping):
    docs, report = read(tmp_path, "\n".join(conll_lines()), nlp, mapping=re3d_mapping)
    assert len(docs) == len(SENTENCES)
    for doc, (_, spans) in zip(docs, SENTENCES):
        assert [e.text for e in doc.ents] == [value for value, _ in spans]
    assert sum(report.totals()["kept"].values()) == sum(len(spans) for _, spans in SENTENCES)
