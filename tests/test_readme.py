"""The README's generated parts are current: its command tables are what `spacy project document` writes from
project.yml, and its results table is what scripts/results_table.py writes from the committed metrics."""

import re
import subprocess
import sys

from defence_ner.evaluation.comparison import (
    RESULTS_END,
    RESULTS_START,
    linking_table,
    readme_results,
    replace_block,
    results_table,
)
from tests.helpers import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
WEASEL = re.compile(r"<!-- WEASEL: AUTO-GENERATED DOCS START.*?<!-- WEASEL: AUTO-GENERATED DOCS END[^\n]*", re.S)


def test_command_tables_are_what_spacy_project_document_writes(tmp_path):
    generated = subprocess.run(
        [sys.executable, "-m", "spacy", "project", "document", str(PROJECT_DIR)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert WEASEL.search(README).group(0) == WEASEL.search(generated).group(0), (
        "README's command tables are stale: python -m spacy project document --output README.md"
    )


def test_results_table_is_what_the_metrics_say():
    metrics = PROJECT_DIR / "metrics"
    expected = replace_block(README, readme_results(metrics))
    assert README == expected, "README's results are stale: python scripts/results_table.py metrics README.md"


def test_results_table_reads_the_spread_over_seeds_and_the_shipped_pipelines_interval():
    def report(f, weapon):
        interval = {"f": f, "low": f - 0.1, "high": f + 0.1}
        return {
            "labels": ["WEAPON"],
            "support": {"WEAPON": 7, "PERSON": 3},
            "intervals": {"overall": interval, "per_label": {"WEAPON": {"f": weapon, "low": None, "high": None}}},
            "training_seed": 0,
        }

    def figure(mean, low):
        return {"mean": mean, "min": low, "max": mean + 0.01}

    none = {"mean": None, "min": None, "max": None}
    reports = {"probe": {"transformer": report(0.8, 0.5), "cnn": report(0.7, 0.4)}}
    spread = {
        "probe": {
            "transformer": {
                "f": figure(0.78, 0.75),
                "WEAPON": figure(0.5, 0.45),
                "MILITARY_PLATFORM": none,
                "OPERATION": none,
            },
            "cnn": {"f": figure(0.69, 0.68)},
        }
    }
    table = results_table(reports, spread).splitlines()
    assert table[0].endswith("| transformer OPERATION (mean / min) | shipped transformer (seed 0) |")
    assert "| transformer F (mean / min over seeds) | cnn F (mean / min over seeds) |" in table[0]
    assert table[2] == "| probe | 10 | 0.780 / 0.750 | 0.690 / 0.680 | 0.500 / 0.450 | – | – | 0.800 (0.70–0.90) |"
    assert results_table(reports, None).splitlines()[2].startswith("| probe | 10 | not run | not run |")
    linking = {
        "chosen_threshold": 0.6,
        "test": {"mentions": 9, "accuracy": 0.9, "linked_precision": 1.0, "linked_recall": 0.75},
    }
    assert "| knowledge-base linker, blind hold-out set | 9 | 0.600 | 0.900 | 1.000 | 0.750 |" in linking_table(linking)
    # A threshold that links nothing leaves linked precision undefined.
    linking["test"] |= {"linked_precision": None, "linked_recall": 0.0}
    assert "| 9 | 0.600 | 0.900 | – | 0.000 |" in linking_table(linking)
    text = f"a\n{RESULTS_START}\nold\n{RESULTS_END}\nb"
    assert replace_block(text, "new\n") == f"a\n{RESULTS_START}\nnew\n{RESULTS_END}\nb"
