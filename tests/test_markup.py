import pytest

from defence_ner.corpora.formats.markup import write_markup
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.helpers import ents

MAPPING = {"ORGANISATION": "ORGANISATION", "WEAPON": "WEAPON", "TEMPORAL": "TEMPORAL", "OPERATION": "OPERATION"}
TEXT = """## in-navy-test
The [Indian Navy](ORGANISATION) test-fired a [BrahMos](WEAPON) on [Tuesday](TEMPORAL).
It was part of [Operation Sindoor](OPERATION).

## second
No entities here.
"""


@pytest.fixture
def markup(tmp_path, read):
    def run(text, **kwargs):
        path = tmp_path / "corpus.md"
        path.write_text(text, encoding="utf-8")
        return read(Source("markup-test", "markup", path, MAPPING, **kwargs))

    return run


def test_sections_become_docs_with_sentences_and_entities(markup):
    docs, report = markup(TEXT)
    assert [d.user_data["doc_id"] for d in docs] == ["in-navy-test", "second"]
    assert docs[0].text == "The Indian Navy test-fired a BrahMos on Tuesday. It was part of Operation Sindoor."
    assert ents(docs[0]) == [
        ("Indian Navy", "ORGANISATION"),
        ("BrahMos", "WEAPON"),
        ("Tuesday", "TEMPORAL"),
        ("Operation Sindoor", "OPERATION"),
    ]
    assert [s.text for s in docs[0].sents] == [
        "The Indian Navy test-fired a BrahMos on Tuesday.",
        "It was part of Operation Sindoor.",
    ]
    assert ents(docs[1]) == []
    assert report.totals()["kept"] == {"ORGANISATION": 1, "WEAPON": 1, "TEMPORAL": 1, "OPERATION": 1}


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("## a\nA stray [bracket here.\n", 2, "outside an entity link"),
        ("## a\nA link with a space [BrahMos](NOT A LABEL).\n", 2, "outside an entity link"),
        ("Before any heading.\n## a\nText.\n", 1, "no '## <id>' heading"),
        ("# A title is a sentence too\n## a\nText.\n", 1, "no '## <id>' heading"),
        ("## a\nA stray closing bracket] here.\n", 2, "outside an entity link"),
        ("## a\nText.\n## a\nMore.\n", 3, "used twice"),
        ("## \nText.\n", 1, "without a document id"),
    ],
)
def test_malformed_input_names_file_and_line(markup, tmp_path, text, line, message):
    with pytest.raises(CorpusFormatError, match=message) as error:
        markup(text)
    assert f"{tmp_path / 'corpus.md'}:{line}" in str(error.value)


def test_bad_section_is_skipped_and_counted_when_asked(markup):
    docs, report = markup("## a\nA stray [bracket.\n## b\n[BrahMos](WEAPON) hit.\n", skip_bad_records=True)
    assert [d.user_data["doc_id"] for d in docs] == ["b"]
    assert [r["line"] for r in report.bad_records["markup-test"]] == [2]


def test_unknown_label_is_refused_with_where_it_occurs(markup, tmp_path):
    with pytest.raises(CorpusFormatError, match=r"'TANK' \(1x, first at .*corpus.md:2"):
        markup("## a\nA [T-90](TANK) rolled in.\n")


def test_write_then_read_gives_the_same_docs(markup, tmp_path):
    docs, _ = markup(TEXT)
    out = tmp_path / "out.md"
    write_markup(docs, out)
    again, _ = markup(out.read_text(encoding="utf-8"))
    assert [(d.text, ents(d), [s.text for s in d.sents]) for d in again] == [
        (d.text, ents(d), [s.text for s in d.sents]) for d in docs
    ]


def test_a_folder_reads_every_markdown_file_with_file_prefixed_ids(tmp_path, read):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "b.md").write_text("## x\n[Exercise Malabar](OPERATION) began.\n", encoding="utf-8")
    (folder / "a.md").write_text("## x\nThe [Indian Navy](ORGANISATION) sailed.\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not read", encoding="utf-8")
    (folder / "README.md").write_text("# About this corpus\nNot read either.\n", encoding="utf-8")
    docs, _ = read(Source("team", "markup", folder, MAPPING))
    assert [(d.user_data["doc_id"], ents(d)) for d in docs] == [
        ("a/x", [("Indian Navy", "ORGANISATION")]),
        ("b/x", [("Exercise Malabar", "OPERATION")]),
    ]


def test_escaped_brackets_and_backslashes_are_literal_text(markup):
    docs, report = markup(
        "## a\nThe [Royal Navy \\[UK\\]](ORGANISATION) was \\[fully\\] ready, said C:\\\\notes \\\\\\[x\\].\n"
    )
    assert docs[0].text == "The Royal Navy [UK] was [fully] ready, said C:\\notes \\[x]."
    assert ents(docs[0]) == [("Royal Navy [UK]", "ORGANISATION")]
    assert report.bad_records == {}


def test_written_brackets_and_backslashes_read_back_as_the_same_text_and_entities(nlp, markup, tmp_path):
    doc = nlp.make_doc("Troops left London [UK] at 0600 [fully] armed via C:\\ops and [Brize Norton].")
    doc.ents = [
        doc.char_span(12, 23, label="ORGANISATION"),  # "London [UK]"
        doc.char_span(doc.text.index("[Brize"), doc.text.index("].") + 1, label="OPERATION"),
    ]
    doc.user_data.update({"doc_id": "brackets", "source": "markup-test"})
    out = tmp_path / "out.md"
    write_markup([doc], out)
    again, report = markup(out.read_text(encoding="utf-8"))
    assert report.bad_records == {}
    assert [(d.text, ents(d)) for d in again] == [(doc.text, ents(doc))]


def test_a_line_starting_with_a_hashtag_is_a_sentence_with_its_entities(markup):
    docs, report = markup(
        "## a\n#BrahMos was test-fired by the [Indian Navy](ORGANISATION).\n# [Sindoor](OPERATION) began.\n"
    )
    assert [s.text for s in docs[0].sents] == [
        "#BrahMos was test-fired by the Indian Navy.",
        "# Sindoor began.",
    ]
    assert ents(docs[0]) == [("Indian Navy", "ORGANISATION"), ("Sindoor", "OPERATION")]
    assert report.totals()["kept"] == {"ORGANISATION": 1, "OPERATION": 1}


def test_a_written_sentence_that_would_read_as_a_heading_is_escaped(nlp, markup, tmp_path):
    doc = nlp.make_doc("## Navy 75 trended on Tuesday.")
    doc.ents = [doc.char_span(doc.text.index("Tuesday"), doc.text.index("."), label="TEMPORAL")]
    doc.user_data.update({"doc_id": "hashtags", "source": "markup-test"})
    out = tmp_path / "out.md"
    write_markup([doc], out)
    again, _ = markup(out.read_text(encoding="utf-8"))
    assert [(d.user_data["doc_id"], d.text, ents(d)) for d in again] == [("hashtags", doc.text, ents(doc))]
