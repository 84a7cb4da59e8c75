"""Knowledge features for the ner: what the knowledge base knows about each token, as an input to the ner beside the
encoder's vectors.

Rulers before the ner (span_ruler, annotate_ents false) keep the knowledge base's matches in doc.spans; this layer
gives each token, for each of those span keys, the label of the longest match over it and whether the token begins
it, embeds those, and concatenates the sum to the encoder's vector for the token. The ner so learns how far to trust
a known name in context, rather than having the knowledge rulers after it overrule it. In training a whole match is
left out with probability `dropout`, so that the ner does not learn that a name it has never seen is no name.

This module is self-contained, so that `spacy package --code` can ship it with a pipeline that uses it (none does yet:
the recipe was not kept, docs/experiments.md).
"""

from collections.abc import Sequence

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model
from thinc.types import Floats2d, Ints2d


@registry.architectures("defence_ner.KnowledgeFeatures.v1")
def knowledge_features(
    tok2vec: Model[list[Doc], list[Floats2d]],
    spans_keys: Sequence[str],
    labels: Sequence[str],
    width: int,
    dropout: float,
) -> Model[list[Doc], list[Floats2d]]:
    """tok2vec's vectors, each followed by `width` features from the matches in doc.spans[key] for each of
    spans_keys whose label is one of labels (a match of another label is an error: the base and the setting
    disagree)."""
    n_ids = len(spans_keys) * (1 + 2 * len(labels))
    model: Model[list[Doc], list[Floats2d]] = Model(
        "knowledge_features",
        _forward,
        init=_init,
        layers=[tok2vec],
        dims={"nO": None, "width": width, "n_ids": n_ids},
        params={"E": None},
        attrs={"spans_keys": tuple(spans_keys), "labels": tuple(labels), "dropout": dropout},
    )
    if tok2vec.has_dim("nO"):
        model.set_dim("nO", tok2vec.get_dim("nO") + width)
    return model


def _init(model: Model, X: list[Doc] | None = None, Y: object = None) -> None:
    tok2vec = model.layers[0]
    tok2vec.initialize(X=X)
    # Zero: the ner starts as it would without the features, and learns what they are worth.
    model.set_param("E", model.ops.alloc2f(model.get_dim("n_ids"), model.get_dim("width")))
    if tok2vec.has_dim("nO"):
        model.set_dim("nO", tok2vec.get_dim("nO") + model.get_dim("width"))


def _forward(model: Model, docs: list[Doc], is_train: bool):
    tok2vec = model.layers[0]
    vectors, backprop_tok2vec = tok2vec(docs, is_train)
    table = model.get_param("E")
    ids = [
        model.ops.asarray2i(
            token_ids(doc, model.attrs["spans_keys"], model.attrs["labels"], model.attrs["dropout"] if is_train else 0)
        )
        for doc in docs
    ]
    features = [table[doc_ids].sum(axis=1) for doc_ids in ids]
    outputs = [model.ops.xp.hstack((vector, feature)) for vector, feature in zip(vectors, features)]

    def backprop(d_outputs: list[Floats2d]):
        width = vectors[0].shape[1] if vectors else 0
        d_table = model.ops.alloc2f(*table.shape)
        for doc_ids, d_output in zip(ids, d_outputs):
            d_features = model.ops.as_contig(d_output[:, width:])
            for column in range(doc_ids.shape[1]):
                model.ops.scatter_add(d_table, model.ops.as_contig(doc_ids[:, column]), d_features)
        model.inc_grad("E", d_table)
        return backprop_tok2vec([model.ops.as_contig(d_output[:, :width]) for d_output in d_outputs])

    return outputs, backprop


def token_ids(doc: Doc, spans_keys: Sequence[str], labels: Sequence[str], dropout: float) -> Ints2d:
    """One row per token, one column per spans key: the id of the label of the longest match over the token and
    whether the token begins it (0 and 1 + 2 * label + inside, offset by the key's column), or of no match.
    A key the doc lacks counts as no match (spaCy initialises the ner on docs no ruler has seen)."""
    per_key = 1 + 2 * len(labels)
    ids = numpy.zeros((len(doc), len(spans_keys)), dtype="int32")
    for column, key in enumerate(spans_keys):
        ids[:, column] = column * per_key
        matches = doc.spans[key] if key in doc.spans else []
        # Shortest first, so that the longest match over a token is written last.
        for match in sorted(matches, key=lambda span: (len(span), span.start)):
            if dropout and numpy.random.random() < dropout:
                continue
            if match.label_ not in labels:
                raise ValueError(f"doc.spans[{key!r}] holds a match labelled {match.label_!r}, not one of {labels}")
            label = labels.index(match.label_)
            ids[match.start, column] = column * per_key + 1 + 2 * label
            ids[match.start + 1 : match.end, column] = column * per_key + 2 + 2 * label
    return ids
