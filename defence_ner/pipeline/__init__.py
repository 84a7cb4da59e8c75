"""What a pipeline of this project needs registered in spaCy, in one place: importing this package
(which `import defence_ner` does) registers what the configs name: the rule merge, the
knowledge-base merges, the document-consistency component, the encoder-precision component and the
entity-swap augmenter. The modules that run in a trained pipeline (rules, knowledge, consistency,
precision) depend on spaCy and torch only, so that `spacy package --code` can ship them inside the
wheel, where they register themselves on load."""

from defence_ner.pipeline import augment, consistency, knowledge, precision, rules

__all__ = ["augment", "consistency", "knowledge", "precision", "rules"]
