"""What a pipeline of this project needs registered in spaCy, in one place: importing this package
(which `import defence_ner` does) registers the rule merge, the encoder-precision component and the
entity-swap augmenter that the configs name. rules.py and precision.py depend on spaCy and torch
only, so that `spacy package --code` can ship them inside the wheel, where they register
themselves on load."""

from defence_ner.pipeline import augment, precision, rules

__all__ = ["augment", "precision", "rules"]
