"""The factory decorator of the modules that a packaged pipeline ships (`spacy package --code`).

One process may import such a module twice: as defence_ner.pipeline.<module> (the project: its annotate CLI, its
scripts) and as en_defence_ner.<module> (the installed wheel, on spacy.load("en_defence_ner")). spaCy's
Language.factory refuses a second factory of one name from another file (E004), so the project could not load its
own wheel. `factory` keeps the factory already registered when the two modules' text is the same, and refuses,
naming both files, when it is not (a wheel packaged from other code than the defence_ner imported).

This module is self-contained: `spacy package --code` ships it, and the others import it relatively
(`from .registration import factory`), which resolves inside either package; `spacy package` itself imports each
file on its own, where they fall back to Language.factory.
"""

import inspect
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.util import registry


def factory(name: str, **settings: Any) -> Callable[[Callable], Callable]:
    """Language.factory(name, **settings), except for the same module imported a second time (see above)."""

    def register(make: Callable) -> Callable:
        if Language.has_factory(name):
            registered = registry.factories.get(name)
            if _module_text(registered) == _module_text(make):
                return make
            raise ValueError(
                f"The factory {name!r} is registered already from {inspect.getfile(registered)}, whose code differs "
                f"from {inspect.getfile(make)}: a pipeline packaged from other code than the defence_ner imported in "
                "this process. Load it where defence_ner is not imported, or package it again from this code."
            )
        return Language.factory(name, **settings)(make)

    return register


def _module_text(function: Callable) -> str:
    return inspect.getsource(inspect.getmodule(function))
