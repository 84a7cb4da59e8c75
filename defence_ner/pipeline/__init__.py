"""What a pipeline of this project needs registered in spaCy, in one place: importing this package
(which `import defence_ner` does) registers what the configs name: the tokenizer, the rulers' factory, the rule
merge, the knowledge-base merges, the ner's knowledge features (a recipe on trial:
configs/seeds_knowledge_features.json), the document-consistency component, the knowledge-base linker, the
encoder-precision component, and for training the entity-swap augmenter and the encoder freeze. The modules that run
in a trained pipeline (registration, tokenizer, text_ruler, rules, knowledge, consistency, linker, precision) depend
on spaCy and torch only (the linker also on scikit-learn), so that `spacy package --code` can ship them inside the
wheel, where they register themselves on load (registration.py says how both copies can be imported in one
process)."""

from defence_ner.pipeline import (
    augment,
    consistency,
    encoder,
    knowledge,
    knowledge_features,
    linker,
    precision,
    registration,
    rules,
    text_ruler,
    tokenizer,
)

__all__ = [
    "augment",
    "consistency",
    "encoder",
    "knowledge",
    "knowledge_features",
    "linker",
    "precision",
    "registration",
    "rules",
    "text_ruler",
    "tokenizer",
]
