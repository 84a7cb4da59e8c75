import json

import datasets
import pytest
from datasets import ClassLabel, Dataset, DatasetDict, Features, Sequence, Value
from spacy.tokens import Doc
from spacy.training import Example

from defence_ner.corpora.formats.hf_datasets import write_hf_dataset
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError
from tests.corpora import conll_lines
from tests.helpers import ents

MAPPING = {"PER": "PERSON", "WEAPON": "WEAPON", "LOC": "LOCATION"}
NAMES = ["O", "B-PER", "I-PER", "B-WEAPON", "I-WEAPON", "B-LOC", "I-LOC"]
FEATURES = Features(
    {"id": Value("string"), "tokens": Sequence(Value("string")), "ner_tags": Sequence(ClassLabel(names=NAMES))}
)
ROWS = [
    {"id": "a1", "tokens": ["John", "Smith", "visited", "Mosul"], "ner_tags": ["B-PER", "I-PER", "O", "B-LOC"]},
    {"id": "a2", "tokens": ["A", "rifle", "was", "found"], "ner_tags": ["O", "B-WEAPON", "O", "O"]},
]
EXPECTED = [[("John Smith", "PERSON"), ("Mosul", "LOCATION")], [("rifle", "WEAPON")]]


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No network, and a cache inside tmp_path."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


def dataset(rows, features=FEATURES):
    return Dataset.from_dict({column: [row[column] for row in rows] for column in features}, features=features)


@pytest.fixture
def hf(tmp_path, read):
    def run(path, mapping=MAPPING, options=None, **kwargs):
        return read(Source("hf-test", "hf_datasets", path, mapping, options=options or {}, **kwargs))

    return run


def test_saved_dataset_rows_become_docs(tmp_path, hf):
    dataset(ROWS).save_to_disk(str(tmp_path / "saved"))
    docs, report = hf(tmp_path / "saved")
    assert [ents(d) for d in docs] == EXPECTED
    assert [d.user_data for d in docs] == [{"doc_id": "a1", "source": "hf-test"}, {"doc_id": "a2", "source": "hf-test"}]
    assert docs[0].text == "John Smith visited Mosul"
    assert report.totals()["kept"] == {"PER": 1, "LOC": 1, "WEAPON": 1}


def test_saved_dataset_dict_reads_the_chosen_split(tmp_path, hf):
    DatasetDict({"train": dataset(ROWS[:1]), "test": dataset(ROWS[1:])}).save_to_disk(str(tmp_path / "saved"))
    train, _ = hf(tmp_path / "saved")
    test, _ = hf(tmp_path / "saved", options={"split": "test"})
    assert [ents(d) for d in train] == EXPECTED[:1]
    assert [ents(d) for d in test] == EXPECTED[1:]
    with pytest.raises(CorpusFormatError, match="no split 'dev'; the splits are train, test"):
        hf(tmp_path / "saved", options={"split": "dev"})


def test_local_jsonl_with_string_tags(tmp_path, hf):
    path = tmp_path / "data.jsonl"
    path.write_text(
        "".join(json.dumps({"tokens": r["tokens"], "ner_tags": r["ner_tags"]}) + "\n" for r in ROWS), encoding="utf-8"
    )
    docs, _ = hf(path)
    assert [ents(d) for d in docs] == EXPECTED
    assert [d.user_data["doc_id"] for d in docs] == ["0", "1"]  # no id column: the row index


def test_folder_of_parquet_files(tmp_path, hf):
    (tmp_path / "files").mkdir()
    for i, row in enumerate(ROWS):
        dataset([row]).to_parquet(str(tmp_path / "files" / f"part-{i}.parquet"))
    docs, _ = hf(tmp_path / "files")
    assert [ents(d) for d in docs] == EXPECTED
    assert [d.user_data["doc_id"] for d in docs] == ["a1", "a2"]


def test_custom_column_names(tmp_path, hf):
    features = Features(
        {"key": Value("string"), "words": Sequence(Value("string")), "labels": Sequence(ClassLabel(names=NAMES))}
    )
    rows = [{"key": r["id"], "words": r["tokens"], "labels": r["ner_tags"]} for r in ROWS]
    dataset(rows, features).save_to_disk(str(tmp_path / "saved"))
    docs, _ = hf(tmp_path / "saved", options={"tokens_column": "words", "tags_column": "labels", "id_column": "key"})
    assert [ents(d) for d in docs] == EXPECTED
    assert [d.user_data["doc_id"] for d in docs] == ["a1", "a2"]


@pytest.mark.parametrize(
    "bad_tags, reason",
    [([0, 0, 0], "4 tokens but 3 tags"), ([0, -1, 0, 0], "tag id -1 outside the 7 ClassLabel names")],
)
def test_bad_row_names_the_row_index_or_is_skipped(tmp_path, hf, bad_tags, reason):
    bad = {"id": "b", "tokens": ["The", "B-52", "flew", "home"], "ner_tags": bad_tags}
    rows = [{**ROWS[0], "ner_tags": [NAMES.index(t) for t in ROWS[0]["ner_tags"]]}, bad]
    dataset(rows).save_to_disk(str(tmp_path / "saved"))
    with pytest.raises(CorpusFormatError, match=reason) as error:
        hf(tmp_path / "saved")
    assert str(error.value).startswith(f"{tmp_path / 'saved'}:1: ")
    docs, report = hf(tmp_path / "saved", skip_bad_records=True)
    assert [ents(d) for d in docs] == EXPECTED[:1]
    assert report.to_dict()["bad_records"] == {
        "hf-test": [{"path": str(tmp_path / "saved"), "line": 1, "reason": reason}]
    }


def test_missing_column_is_an_error(tmp_path, hf):
    dataset(ROWS).save_to_disk(str(tmp_path / "saved"))
    with pytest.raises(CorpusFormatError, match="no column 'labels'; the columns are id, tokens, ner_tags") as error:
        hf(tmp_path / "saved", options={"tags_column": "labels"})
    assert error.value.line is None


def test_partial_source_marks_unannotated_tokens_missing(tmp_path, hf):
    rows = [
        {"id": "p", "tokens": ["The", "B-52", "flew", "over", "Iraq"], "ner_tags": ["O", "B-WEAPON", "O", "O", "O"]}
    ]
    dataset(rows).save_to_disk(str(tmp_path / "saved"))
    docs, _ = hf(tmp_path / "saved", partial=True)
    example = Example(Doc(docs[0].vocab, words=[t.text for t in docs[0]]), docs[0])
    assert example.get_aligned_ner() == [None, "U-WEAPON", None, None, None]  # None: missing, not "O"


def test_write_then_read_gives_the_same_entities(tmp_path, read, hf, re3d_mapping):
    path = tmp_path / "data.conll"
    path.write_text("\n".join(conll_lines()), encoding="utf-8")
    docs, _ = read(Source("conll", "conll", path, re3d_mapping))
    write_hf_dataset(docs, tmp_path / "saved")
    labels = {e.label_ for d in docs for e in d.ents}
    saved = datasets.load_from_disk(str(tmp_path / "saved"))
    assert saved.features["ner_tags"].feature.names == ["O"] + [
        f"{p}-{label}" for label in sorted(labels) for p in "BI"
    ]
    again, _ = hf(tmp_path / "saved", mapping={label: label for label in labels})
    assert [ents(d) for d in again] == [ents(d) for d in docs]
    assert [d.user_data["doc_id"] for d in again] == [d.user_data["doc_id"] for d in docs]
