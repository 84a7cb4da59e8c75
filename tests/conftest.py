import pytest

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.convert import convert_source, make_nlp
from defence_ner.corpora.schema import load_label_mapping, load_schema
from tests.helpers import PROJECT_DIR, build_tiny_cased_encoder


@pytest.fixture(scope="session")
def nlp():
    return make_nlp()


@pytest.fixture(scope="session")
def cased_encoder(tmp_path_factory):
    """A tiny cased RoBERTa with a byte-level BPE tokenizer, saved as a Hugging Face model folder."""
    return build_tiny_cased_encoder(tmp_path_factory.mktemp("cased_encoder") / "tiny-roberta")


@pytest.fixture(scope="session")
def re3d_mapping():
    schema = set(load_schema(PROJECT_DIR / "configs" / "schema.json"))
    return load_label_mapping(PROJECT_DIR / "configs" / "mappings" / "re3d.json", schema)


@pytest.fixture
def read(nlp):
    """read(source) -> (docs, report): a source converted as `convert` does, the report checked to balance."""

    def convert(source):
        report = ConversionReport()
        docs = convert_source(source, nlp, report)
        return docs, report

    return convert
