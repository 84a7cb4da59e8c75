"""The ner's knowledge features (pipeline/knowledge_features.py): the ids each token gets from the knowledge base's
matches, and the layer that embeds them beside the encoder's vectors."""

import numpy
import pytest
import spacy
from spacy.tokens import Span
from thinc.api import Model

from defence_ner.experiments.components import trained_components, untrained_pipeline
from defence_ner.experiments.seeds import Recipe, load_seed_spec
from defence_ner.pipeline.knowledge_features import knowledge_features, token_ids
from tests.helpers import DATA_PATHS, PROJECT_DIR

LABELS = ["WEAPON", "MILITARY_PLATFORM"]
KEYS = ["sure", "ambiguous"]


def _doc():
    nlp = spacy.blank("en")
    doc = nlp("The frigate HMS Kent fired a Sea Ceptor missile")
    doc.spans["sure"] = [
        Span(doc, 2, 4, label="MILITARY_PLATFORM"),
        Span(doc, 6, 8, label="WEAPON"),
        Span(doc, 7, 8, label="MILITARY_PLATFORM"),
    ]
    doc.spans["ambiguous"] = [Span(doc, 3, 4, label="MILITARY_PLATFORM")]
    return doc


def test_each_token_gets_the_longest_match_over_it_and_whether_it_begins_it():
    ids = token_ids(_doc(), KEYS, LABELS, dropout=0)
    # Per key: 0 none, then (begin, inside) for each label; the second key's ids follow the first's five.
    assert ids[:, 0].tolist() == [0, 0, 3, 4, 0, 0, 1, 2, 0]
    assert ids[:, 1].tolist() == [5, 5, 5, 8, 5, 5, 5, 5, 5]


def test_a_key_the_doc_lacks_is_no_match_and_dropout_one_drops_every_match():
    doc = _doc()
    assert token_ids(doc, ["absent"], LABELS, dropout=0).tolist() == [[0]] * len(doc)
    assert set(token_ids(doc, KEYS, LABELS, dropout=1.0)[:, 0].tolist()) == {0}


def test_a_match_of_a_label_the_setting_lacks_is_an_error():
    with pytest.raises(ValueError, match="'MILITARY_PLATFORM', not one of"):
        token_ids(_doc(), KEYS, ["WEAPON"], dropout=0)


def _fake_tok2vec(width: int, received: list) -> Model:
    """Ones for every token; its backprop keeps the gradients it is given."""

    def forward(model, docs, is_train):
        def backprop(d_vectors):
            received.extend(d_vectors)
            return docs

        return [model.ops.alloc2f(len(doc), width) + 1 for doc in docs], backprop

    return Model("fake_tok2vec", forward, dims={"nO": width})


def test_the_layer_appends_the_features_and_learns_them_from_their_gradients():
    received: list = []
    layer = knowledge_features(_fake_tok2vec(3, received), KEYS, LABELS, width=2, dropout=0)
    doc = _doc()
    layer.initialize(X=[doc])
    assert layer.get_dim("nO") == 5
    table = layer.get_param("E")
    table += numpy.arange(table.size, dtype="f").reshape(table.shape)
    (output,), backprop = layer([doc], is_train=True)
    assert output.shape == (len(doc), 5)
    assert output[:, :3].tolist() == [[1.0] * 3] * len(doc)
    # "Kent": inside the sure platform match (id 4) and beginning the ambiguous one (id 8).
    assert output[3, 3:].tolist() == (table[4] + table[8]).tolist()
    d_output = numpy.zeros_like(output)
    d_output[3] = [10, 20, 30, 1, 2]
    backprop([d_output])
    assert received[0][3].tolist() == [10, 20, 30]
    gradient = layer.get_grad("E")
    assert gradient[4].tolist() == [1, 2] and gradient[8].tolist() == [1, 2]
    assert numpy.abs(gradient).sum() == 6


def test_the_rulers_the_ner_reads_run_with_the_trained_components():
    config = {
        "nlp": {"pipeline": ["transformer", "features", "ner", "rules"]},
        "components": {"transformer": {"model": {}}, "features": {}, "ner": {"model": {}}, "rules": {}},
        "training": {"annotating_components": ["features"]},
    }
    assert trained_components(config) == ["transformer", "features", "ner"]


def test_the_lever_spec_trains_the_configured_recipe_with_the_rulers_before_the_ner_and_their_features():
    spec = load_seed_spec(PROJECT_DIR / "configs" / "seeds_knowledge_features.json", "corpus")
    assert spec.models["transformer"] == Recipe("configs/transformer.cfg")
    lever = spec.models["transformer_knowledge_features"]
    config = spacy.util.load_config(PROJECT_DIR / lever.config, overrides=lever.overrides, interpolate=True)
    rulers = ["knowledge_features", "knowledge_features_ambiguous"]
    configured = spacy.util.load_config(PROJECT_DIR / "configs" / "transformer.cfg")["nlp"]["pipeline"]
    assert config["nlp"]["pipeline"] == [configured[0], *rulers, *configured[1:]]
    assert config["training"]["annotating_components"] == rulers
    tok2vec = config["components"]["ner"]["model"]["tok2vec"]
    assert tok2vec["@architectures"] == "defence_ner.KnowledgeFeatures.v1" and tok2vec["spans_keys"] == rulers
    assert tok2vec["tok2vec"]["@architectures"] == "spacy-transformers.TransformerListener.v1"
    # The rulers are read by the ner, so their output is kept with the ner's: the components after it are the config's.
    assert trained_components(config) == ["transformer", *rulers, "ner"]
    nlp = untrained_pipeline(PROJECT_DIR / lever.config, lever.overrides | DATA_PATHS)
    assert nlp.pipe_names == configured[2:]
