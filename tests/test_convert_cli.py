"""The convert command: user errors as one message and a non-zero exit, empty sources, outputs all or nothing."""

import os
import subprocess
import sys

import pytest
import srsly
from typer.testing import CliRunner

from tests.corpora import SENTENCES, conll_lines
from tests.helpers import PROJECT_DIR, load_script

convert_cli = load_script("convert")

MAPPING = PROJECT_DIR / "configs" / "mappings" / "re3d.json"
SCHEMA = PROJECT_DIR / "configs" / "schema.json"


def source_block(name: str, path, fmt: str = "conll", extra: str = "") -> str:
    return f'\n[sources.{name}]\nformat = "{fmt}"\npath = "{path}"\nmapping = "{MAPPING}"\n{extra}'


@pytest.fixture
def project(tmp_path):
    """(manifest path, output folder): a manifest of two CoNLL sources, "good" and "other", both readable."""
    (tmp_path / "good.conll").write_text("\n".join(conll_lines(SENTENCES[:2])) + "\n", encoding="utf-8")
    (tmp_path / "other.conll").write_text("\n".join(conll_lines(SENTENCES[2:3])) + "\n", encoding="utf-8")
    manifest = tmp_path / "manifest.cfg"
    manifest.write_text(
        f'[schema]\npath = "{SCHEMA}"\n\n[sources]\n'
        + source_block("good", tmp_path / "good.conll")
        + source_block("other", tmp_path / "other.conll")
    )
    return manifest, tmp_path / "out"


def run(manifest, out, *args):
    return CliRunner().invoke(convert_cli.app, [str(manifest), str(out), *args])


def outputs(out) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) if out.exists() else []


def assert_user_error(result, *expected):
    """Exit status 1 from a handled error (no exception escaped), one message naming what is wrong."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output


def test_a_manifest_converts_to_one_spacy_file_per_source_and_a_report(project):
    manifest, out = project
    result = run(manifest, out)
    assert result.exit_code == 0, result.output
    assert outputs(out) == ["reports/convert.json", "sources/good.spacy", "sources/other.spacy"]
    assert srsly.read_json(out / "reports/convert.json")["documents"] == {"good": 2, "other": 1}


def test_a_manifest_mistake_prints_one_message_naming_the_manifest(project):
    manifest, out = project
    manifest.write_text(manifest.read_text() + "skip_bad_record = true\n")
    result = run(manifest, out)
    assert_user_error(result, str(manifest), "[sources.other] unknown key 'skip_bad_record'")
    assert outputs(out) == []


def test_a_missing_mapping_key_is_a_message_not_a_key_error_traceback(tmp_path, project):
    manifest, out = project
    manifest.write_text(manifest.read_text().replace(f'mapping = "{MAPPING}"\n', "", 1))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "convert.py"), str(manifest), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "KeyError" not in done.stderr
    assert done.stderr.strip() == f"✘ {manifest}: [sources.good] missing key 'mapping'"


def test_an_unknown_reader_option_is_refused(project):
    manifest, out = project
    manifest.write_text(manifest.read_text() + "\n[sources.other.options]\ntag_colum = 1\n")
    assert_user_error(run(manifest, out), "[sources.other.options] unknown key 'tag_colum'")


def test_a_wrong_format_name_is_refused_before_anything_is_converted_or_written(project):
    manifest, out = project
    manifest.write_text(manifest.read_text().replace('"conll"', '"conl"'))
    assert_user_error(run(manifest, out), "format: unknown format 'conl'")
    assert outputs(out) == []


def test_a_missing_input_is_refused_before_anything_is_converted(project):
    manifest, out = project
    (manifest.parent / "other.conll").unlink()
    assert_user_error(run(manifest, out), f"{manifest.parent / 'other.conll'}: source 'other': no such file")
    assert outputs(out) == []


def test_a_bad_record_prints_file_and_line_and_exits_non_zero(project):
    manifest, out = project
    (manifest.parent / "other.conll").write_bytes(b"Sm\xe9th\tB-Person\n")
    assert_user_error(run(manifest, out), f"{manifest.parent / 'other.conll'}:1: not valid UTF-8")


def test_an_empty_source_is_warned_about_and_listed_in_the_table(project):
    manifest, out = project
    (manifest.parent / "other.conll").write_text("")
    result = run(manifest, out)
    assert result.exit_code == 0, result.output
    assert "other: no documents" in result.output
    assert any(line.split()[:2] == ["other", "0"] for line in result.output.splitlines())
    report = srsly.read_json(out / "reports/convert.json")
    assert report["documents"] == {"good": 2, "other": 0} and report["empty_sources"] == ["other"]


def test_fail_on_empty_exits_non_zero_and_writes_nothing(project):
    manifest, out = project
    (manifest.parent / "other.conll").write_text("")
    assert_user_error(run(manifest, out, "--fail-on-empty"), "no documents in source(s): other")
    assert outputs(out) == []


def test_a_source_whose_records_were_all_bad_is_listed_in_the_table(project):
    manifest, out = project
    manifest.write_text(manifest.read_text() + "skip_bad_records = true\n")
    (manifest.parent / "other.conll").write_bytes(b"Sm\xe9th\tB-Person\n\nJ\xf6hn\tB-Person\n")
    result = run(manifest, out)
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if line.startswith("other ")]
    assert rows == [["other", "0", "0", "0", "0", "0", "2"]]
    assert "other: no documents" in result.output


def test_a_failed_run_removes_the_previous_outputs_of_its_sources_and_report(project):
    manifest, out = project
    assert run(manifest, out).exit_code == 0
    (out / "sources" / "unrelated.spacy").write_bytes(b"kept")
    (manifest.parent / "other.conll").write_bytes(b"Sm\xe9th\tB-Person\n")
    assert run(manifest, out).exit_code == 1
    assert outputs(out) == ["sources/unrelated.spacy"]


def test_outputs_are_moved_into_place_from_temporary_files_in_the_same_folder(project, monkeypatch):
    manifest, out = project
    moves = []
    real_replace = os.replace

    def replace(source, target):
        moves.append((source, target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    assert run(manifest, out).exit_code == 0
    assert sorted(str(target) for _, target in moves) == [
        str(out / "reports/convert.json"),
        str(out / "sources/good.spacy"),
        str(out / "sources/other.spacy"),
    ]
    assert all(os.path.dirname(source) == os.path.dirname(target) for source, target in moves)
    assert outputs(out) == ["reports/convert.json", "sources/good.spacy", "sources/other.spacy"]


@pytest.mark.parametrize("fmt, kind", [("conll", "a file, not a folder"), ("re3d", "a folder, not a file")])
def test_an_input_of_the_wrong_kind_is_refused_before_anything_is_converted(project, fmt, kind):
    manifest, out = project
    wrong = manifest.parent / "good.conll"  # a file
    if fmt == "conll":
        wrong = manifest.parent / "folder"
        wrong.mkdir()
    manifest.write_text(
        f'[schema]\npath = "{SCHEMA}"\n\n[sources]\n'
        + source_block("good", manifest.parent / "good.conll")
        + source_block("other", wrong, fmt)
    )
    assert_user_error(run(manifest, out), f"{wrong}: source 'other': expected {kind}")
    assert outputs(out) == []
