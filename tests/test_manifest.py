from pathlib import Path

import pytest

from defence_ner.corpora.manifest import load_manifest
from defence_ner.errors import CorpusFormatError
from tests.helpers import PROJECT_DIR


@pytest.fixture(autouse=True)
def in_project(monkeypatch):
    monkeypatch.chdir(PROJECT_DIR)


def test_the_repository_manifests_load_with_path_overrides(tmp_path):
    sources = {
        s.name: s
        for s in load_manifest(PROJECT_DIR / "configs/corpora/defence_fewnerd.cfg", {"paths.fewnerd": str(tmp_path)})
    }
    assert set(sources) == {"re3d", "defence_news", "fewnerd_dev", "fewnerd_test", "fewnerd_big_test"}
    assert sources["defence_news"].format == "markup" and sources["defence_news"].split == "train_dev"
    assert (
        sources["re3d"].split == "documents" and sources["re3d"].min_confidence == 0.5 and not sources["re3d"].partial
    )
    assert sources["fewnerd_dev"].partial and sources["fewnerd_dev"].split == "train"
    assert sources["fewnerd_dev"].path == tmp_path / "dev.txt"
    assert sources["fewnerd_dev"].mapping["product_weapon"] == "WEAPON"
    assert "product_weapon" in sources["fewnerd_big_test"].keep_documents_with
    published = {s.name: s.split for s in load_manifest(PROJECT_DIR / "configs/corpora/published.cfg")}
    assert published == {
        "published_train": "train_dev",
        "published_test": "test",
        "defence_news": "train",
        "defence_news_wire": "train",
    }


def test_bad_split_policy_and_mapping_targets_are_refused(tmp_path):
    manifest = tmp_path / "bad.cfg"
    manifest.write_text(
        '[schema]\npath = "configs/schema.json"\n\n[sources]\n\n[sources.x]\nformat = "conll"\npath = "x"\n'
        'mapping = "configs/mappings/re3d.json"\nsplit = "sometimes"\n'
    )
    with pytest.raises(CorpusFormatError, match="split: must be one of"):
        load_manifest(manifest)
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"Person": "HUMAN"}')
    manifest.write_text(
        manifest.read_text().replace("configs/mappings/re3d.json", str(mapping)).replace("sometimes", "train")
    )
    with pytest.raises(CorpusFormatError, match="outside the schema: HUMAN"):
        load_manifest(manifest)


def write_manifest(tmp_path, source_block: str, schema: str = '[schema]\npath = "configs/schema.json"\n\n') -> Path:
    """A manifest with one source, [sources.x], whose block is the given lines (format, path and mapping come first)."""
    manifest = tmp_path / "manifest.cfg"
    manifest.write_text(
        f'{schema}[sources]\n\n[sources.x]\nformat = "conll"\npath = "x.conll"\n'
        f'mapping = "configs/mappings/re3d.json"\n{source_block}'
    )
    return manifest


def refusal(manifest: Path) -> str:
    with pytest.raises(CorpusFormatError) as error:
        load_manifest(manifest)
    assert error.value.path == manifest
    return str(error.value)


@pytest.mark.parametrize("key", ["partial", "skip_bad_records", "drop_unknown_labels"])
def test_a_quoted_boolean_is_refused_naming_the_key_and_the_manifest(tmp_path, key):
    message = refusal(write_manifest(tmp_path, f'{key} = "false"\n'))
    assert str(tmp_path / "manifest.cfg") in message
    assert f"[sources.x] {key}: must be true or false, not the string 'false'" in message


def test_unquoted_booleans_and_numbers_are_read_as_such(tmp_path):
    (source,) = load_manifest(
        write_manifest(tmp_path, "partial = true\nskip_bad_records = false\nmin_confidence = 1\n")
    )
    assert source.partial is True and source.skip_bad_records is False and source.min_confidence == 1.0


@pytest.mark.parametrize(
    "block, expected",
    [
        ("skip_bad_record = true\n", "[sources.x] unknown key 'skip_bad_record' (did you mean 'skip_bad_records'?)"),
        ('min_confidence = "0.5"\n', "[sources.x] min_confidence: must be a number, not the string '0.5'"),
        ("min_confidence = 2\n", "[sources.x] min_confidence: must be at most 1"),
        ('keep_documents_with = "Weapon"\n', "[sources.x] keep_documents_with: must be a list, not the string"),
        ('split = "sometimes"\n', "[sources.x] split: must be one of 'documents', 'train', 'train_dev' or 'test'"),
        ('format = "conl"\n', "[sources.x] format: unknown format 'conl'; known: re3d, conll, brat"),
    ],
)
def test_a_wrong_key_type_or_value_in_a_source_block_is_refused_by_name(tmp_path, block, expected):
    manifest = write_manifest(tmp_path, block)
    if block.startswith("format"):  # the second format line would be a duplicate key
        manifest.write_text(manifest.read_text().replace('format = "conll"\n', "", 1))
    assert expected in refusal(manifest)


def test_every_problem_of_a_manifest_is_listed_at_once(tmp_path):
    message = refusal(write_manifest(tmp_path, 'partial = "false"\nskip_bad_record = true\n'))
    assert "partial: must be true or false" in message and "unknown key 'skip_bad_record'" in message


@pytest.mark.parametrize(
    "options, expected",
    [
        ("tag_colum = 1\n", "[sources.x.options] unknown key 'tag_colum' (did you mean 'tag_column'?)"),
        ('tag_column = "last"\n', "[sources.x.options] tag_column: must be an integer, not the string 'last'"),
        ('scheme = "bio"\n', "[sources.x.options] scheme: must be one of 'iob2', 'iob1' or 'biluo'"),
    ],
)
def test_unknown_or_wrong_reader_options_are_refused(tmp_path, options, expected):
    assert expected in refusal(write_manifest(tmp_path, f"\n[sources.x.options]\n{options}"))


@pytest.mark.parametrize(
    "fmt, options, expected",
    [
        ("label_studio", 'text_key = "body"\n', None),
        ("label_studio", 'text_keys = "body"\n', "unknown key 'text_keys'"),
        ("hf_datasets", 'split = "test"\ntokens_column = "words"\n', None),
        ("re3d", 'scheme = "iob2"\n', "unknown key 'scheme'; this format takes no options"),
    ],
)
def test_each_format_accepts_only_its_own_options(tmp_path, fmt, options, expected):
    manifest = write_manifest(tmp_path, f"\n[sources.x.options]\n{options}")
    manifest.write_text(manifest.read_text().replace('"conll"', f'"{fmt}"'))
    if expected is None:
        assert load_manifest(manifest)[0].format == fmt
    else:
        assert expected in refusal(manifest)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[sources]\n\n[sources.x]\nformat = "conll"\npath = "x"\nmapping = "m.json"\n', "no [schema] block"),
        ('[schema]\npath = "configs/schema.json"\n', "no [sources.<name>] block"),
        (
            '[schema]\npath = "configs/schema.json"\n\n[sources]\n\n[sources.x]\nformat = "conll"\npath = "x"\n',
            "[sources.x] missing key 'mapping'",
        ),
        ('[schema]\npath = "configs/schema.json"\n\n[sources]\nx = 1\n', "sources.x must be a block [sources.x]"),
        ('[paths]\na = "x"\n\n[schema]\npath = ${paths.b}\n', "cannot read the manifest: "),
        ("[schema\n", "cannot read the manifest: "),
    ],
)
def test_a_manifest_without_its_blocks_or_keys_is_refused_not_a_key_error(tmp_path, text, expected):
    manifest = tmp_path / "manifest.cfg"
    manifest.write_text(text)
    message = refusal(manifest)
    assert expected in message and "\n" not in message.partition("cannot read the manifest: ")[2]


def test_an_override_of_a_key_the_manifest_lacks_is_refused(tmp_path):
    manifest = write_manifest(tmp_path, "")
    with pytest.raises(CorpusFormatError, match="cannot read the manifest"):
        load_manifest(manifest, {"sources.y.path": "y"})


@pytest.mark.parametrize(
    "content, expected_line, reason",
    [
        ('{\n  "Person": "PERSON",\n  "Weapon" "WEAPON"\n}\n', 3, "invalid JSON"),
        ('["PERSON"]', None, "must be a JSON object of source label -> schema label"),
        ('{"Person": 1}', None, "must be a JSON object of source label -> schema label"),
        (None, None, "no such file"),
    ],
)
def test_a_broken_or_missing_mapping_file_is_named_with_its_line(tmp_path, content, expected_line, reason):
    mapping = tmp_path / "mapping.json"
    if content is not None:
        mapping.write_text(content)
    manifest = write_manifest(tmp_path, "")
    manifest.write_text(manifest.read_text().replace("configs/mappings/re3d.json", str(mapping)))
    with pytest.raises(CorpusFormatError, match=reason) as error:
        load_manifest(manifest)
    assert error.value.path == mapping and error.value.line == expected_line


def test_a_broken_schema_file_is_named(tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_text('{"labels": ')
    manifest = write_manifest(tmp_path, "", schema=f'[schema]\npath = "{schema}"\n\n')
    with pytest.raises(CorpusFormatError, match="invalid JSON") as error:
        load_manifest(manifest)
    assert error.value.path == schema
