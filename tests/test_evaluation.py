"""The evaluation report, with an entity-ruler pipeline whose predictions are known."""

import shutil
import subprocess

import pytest
import spacy
import srsly
import torch
import typer
from spacy.tokens import Doc, DocBin
from typer.testing import CliRunner

from defence_ner.evaluation.comparison import comparison_table
from defence_ner.evaluation.report import build_report, drop_unannotated, predict, write_report
from tests.helpers import PROJECT_DIR, load_script

PATTERNS = [
    {"label": "WEAPON", "pattern": "AK-47"},
    {"label": "LOCATION", "pattern": "Mosul"},
    {"label": "PERSON", "pattern": "Raqqa"},
]


def gold_docs(nlp):
    texts_and_ents = [
        ("An AK-47 was found in Mosul .", ["O", "B-WEAPON", "O", "O", "O", "B-LOCATION", "O"]),
        ("Fighting in Raqqa continued .", ["O", "O", "B-LOCATION", "O", "O"]),
        ("General Smith visited Mosul .", ["B-PERSON", "I-PERSON", "O", "B-LOCATION", "O"]),
    ]
    docs = []
    for i, (text, tags) in enumerate(texts_and_ents):
        doc = Doc(nlp.vocab, words=text.split(), spaces=[True] * (len(tags) - 1) + [False], ents=tags)
        doc.user_data["doc_id"] = f"d{i}"
        docs.append(doc)
    return docs


def ruler():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    return nlp


def test_report_counts_and_files(tmp_path):
    nlp = ruler()
    gold = gold_docs(nlp)
    predicted, speed = predict(nlp, gold, batch_size=2)
    assert speed["words"] == 17 and speed["batch_size"] == 2 and speed["words_per_second"] > 0
    report = build_report(gold, predicted, speed, n_resamples=50, seed=0, training_seed=7)
    assert report["support"] == {"LOCATION": 3, "PERSON": 1, "WEAPON": 1}
    strict = report["schemes"]["overall"]["strict"]
    # AK-47 and both Mosuls right; Raqqa predicted PERSON (gold LOCATION); General Smith missed.
    assert (strict["correct"], strict["incorrect"], strict["missed"], strict["spurious"]) == (3, 1, 1, 0)
    assert (
        report["confusion"]["matrix"][report["confusion"]["labels"].index("LOCATION")][
            report["confusion"]["columns"].index("PERSON")
        ]
        == 1
    )
    assert (
        report["intervals"]["overall"]["low"]
        <= report["intervals"]["overall"]["f"]
        <= report["intervals"]["overall"]["high"]
    )

    write_report(report, list(zip(gold, predicted)), tmp_path / "report", "Ruler on three documents")
    written = {p.name for p in (tmp_path / "report").iterdir()}
    assert written == {"report.json", "report.md", "confusion.png", "f_per_label.png", "errors.html"}
    assert srsly.read_json(tmp_path / "report" / "report.json")["support"]["LOCATION"] == 3
    summary = (tmp_path / "report" / "report.md").read_text()
    assert "| strict | 0.750 | 0.600 | 0.667 | 3 | 1 | 0 | 1 | 0 |" in summary
    assert "| LOCATION | 3 |" in summary and "words/s (CPU, batch size 2, 1 process)" in summary
    assert "| gold \\ predicted | LOCATION | PERSON | WEAPON | missed |" in summary
    assert "| LOCATION | 2 | 1 | 0 | 0 |" in summary and "| spurious | 0 | 0 | 0 | 0 |" in summary
    assert f"Pipeline trained with seed 7; evaluated with spacy {spacy.__version__}, " in summary
    assert "torch " in summary and f"torch CPU kernels {torch.backends.cpu.get_cpu_capability()}, " in summary
    assert "CPUs." in summary


def test_comparison_puts_runs_side_by_side():
    nlp = ruler()
    gold = gold_docs(nlp)
    perfect = [doc.copy() for doc in gold]
    runs = {
        "ruler": build_report(
            gold, predict(nlp, gold, 8)[0], {"words_per_second": 1000, "batch_size": 8, "n_process": 1}, 20, 0, 0
        ),
        "oracle": build_report(gold, perfect, {"words_per_second": 2000, "batch_size": 8, "n_process": 1}, 20, 0, 0),
    }
    lines = comparison_table(runs).splitlines()
    assert lines[0] == "| label | gold mentions | ruler | oracle |"
    assert lines[2].startswith("| **overall (strict micro F)** | 5 | **0.667**") and "**1.000** (1.00–1.00)" in lines[2]
    assert lines[-1] == "| words per second (CPU) | | 1,000 | 2,000 |"


def test_predictions_keep_the_gold_tokenization():
    nlp = ruler()
    gold = Doc(
        nlp.vocab,
        words=["AK", "-", "47s", "in", "Mosul"],
        spaces=[False, False, True, True, False],
        ents=["O", "O", "O", "O", "B-LOCATION"],
    )
    predicted, _ = predict(nlp, [gold], batch_size=1)
    assert [t.text for t in predicted[0]] == ["AK", "-", "47s", "in", "Mosul"]
    assert [(e.text, e.label_) for e in predicted[0].ents] == [("Mosul", "LOCATION")]


def test_error_browsers_are_a_build_output_not_committed():
    """evaluate writes metrics/*/*/errors.html next to the committed reports; git ignores it."""
    if shutil.which("git") is None or not (PROJECT_DIR / ".git").exists():
        pytest.skip("needs the project's git checkout")

    def git(*args):
        return subprocess.run(["git", "-C", str(PROJECT_DIR), *args], capture_output=True, text=True).stdout

    assert [path for path in git("ls-files", "metrics").splitlines() if path.endswith("errors.html")] == []
    assert git("check-ignore", "--no-index", "metrics/doc/transformer/errors.html").strip()
    assert not git("check-ignore", "--no-index", "metrics/doc/transformer/report.md").strip()


def test_unannotated_labels_are_dropped_only_from_the_sources_that_do_not_annotate_them():
    """Dev mixes re3d (no OPERATION) with the team's corpus (OPERATION annotated): an OPERATION
    prediction is dropped in a re3d document and scored in a team document."""
    nlp = spacy.blank("en")
    words = "Operation Sindoor began .".split()
    re3d = Doc(nlp.vocab, words=words, ents=["O", "O", "O", "O"], user_data={"source": "re3d"})
    team = Doc(
        nlp.vocab, words=words, ents=["B-OPERATION", "I-OPERATION", "O", "O"], user_data={"source": "defence_news"}
    )
    team_without = Doc(nlp.vocab, words=words, ents=["O", "O", "O", "O"], user_data={"source": "defence_news"})
    predicted = [Doc(nlp.vocab, words=words, ents=["B-OPERATION", "I-OPERATION", "O", "O"]) for _ in range(3)]
    removed = drop_unannotated([re3d, team, team_without], predicted, ["OPERATION"])
    assert removed == {"OPERATION": 1}
    assert [len(doc.ents) for doc in predicted] == [0, 1, 1]  # the last one is a false positive, and stays


def evaluate_cli(*args):
    app = typer.Typer()
    app.command()(load_script("evaluate").main)
    return CliRunner().invoke(app, [str(arg) for arg in args])


def test_evaluate_reports_each_of_several_test_sets_as_if_it_were_alone(tmp_path):
    nlp = ruler()
    nlp.to_disk(tmp_path / "pipeline")
    gold = gold_docs(nlp)
    DocBin(docs=gold[:2], store_user_data=True).to_disk(tmp_path / "first.spacy")
    DocBin(docs=gold[2:], store_user_data=True).to_disk(tmp_path / "second.spacy")
    common = ["--n-resamples", 20, "--seed", 0]
    both = evaluate_cli(
        tmp_path / "pipeline",
        *["--test", tmp_path / "first.spacy", "--output", tmp_path / "both" / "first", "--title", "First"],
        *["--test", tmp_path / "second.spacy", "--output", tmp_path / "both" / "second", "--title", "Second"],
        *common,
    )
    alone = evaluate_cli(
        tmp_path / "pipeline",
        *["--test", tmp_path / "second.spacy", "--output", tmp_path / "alone", "--title", "Second"],
        *common,
    )
    assert both.exit_code == 0 and alone.exit_code == 0, both.output + alone.output
    first = srsly.read_json(tmp_path / "both" / "first" / "report.json")
    second = srsly.read_json(tmp_path / "both" / "second" / "report.json")
    assert (first["documents"], second["documents"]) == (2, 1)
    without_speed = {k: v for k, v in second.items() if k != "speed"}
    assert without_speed == {
        k: v for k, v in srsly.read_json(tmp_path / "alone" / "report.json").items() if k != "speed"
    }
    assert (tmp_path / "both" / "second" / "report.md").read_text().startswith("## Second")


def test_evaluate_refuses_a_test_set_without_its_output_and_title(tmp_path):
    nlp = ruler()
    nlp.to_disk(tmp_path / "pipeline")
    DocBin(docs=gold_docs(nlp)).to_disk(tmp_path / "test.spacy")
    result = evaluate_cli(
        tmp_path / "pipeline",
        *["--test", tmp_path / "test.spacy", "--test", tmp_path / "test.spacy", "--output", tmp_path / "out"],
        *["--title", "One"],
    )
    assert result.exit_code != 0
    message = " ".join(result.output.replace("│", " ").split())  # rich draws the error in a box
    assert "give one --output and one --title per --test: 2 --test, 1 --output, 1 --title" in message
    assert not (tmp_path / "out").exists()
