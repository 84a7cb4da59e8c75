"""A packaged pipeline's copy of the pipeline modules, imported beside the project's in one process."""

import importlib
import shutil
import sys

import pytest
from spacy.language import Language
from spacy.util import registry

from defence_ner.pipeline import consistency
from tests.helpers import PROJECT_DIR

PIPELINE = PROJECT_DIR / "defence_ner" / "pipeline"


def import_copy(tmp_path, package: str, edit: str = ""):
    """Import registration.py and consistency.py copied into a package of their own, as a wheel's --code has them."""
    folder = tmp_path / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    shutil.copy(PIPELINE / "registration.py", folder)
    (folder / "consistency.py").write_text((PIPELINE / "consistency.py").read_text() + edit)
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(f"{package}.consistency")
    finally:
        sys.path.remove(str(tmp_path))


def test_the_same_module_imported_from_a_packaged_copy_keeps_the_registered_factory(tmp_path):
    copy = import_copy(tmp_path, "packaged_copy")
    assert copy.__file__ != consistency.__file__
    assert registry.factories.get("consistency") is consistency.make_consistency
    assert Language.get_factory_meta("consistency").default_config["labels"] == list(consistency.LABELS)


def test_a_copy_with_other_code_is_refused_naming_both_files(tmp_path):
    with pytest.raises(ValueError, match=r"'consistency' is registered already from .*consistency\.py.*differs"):
        import_copy(tmp_path, "other_code", edit="\n# packaged from other code\n")
