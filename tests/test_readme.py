"""The README's generated parts are current: its command tables are what `spacy project document` writes from
project.yml, and its results table is what scripts/results_table.py writes from the committed metrics."""

import re
import subprocess
import sys

from defence_ner.evaluation.comparison import RESULTS_END, RESULTS_START, read_test_sets, replace_block, results_table
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
    expected = replace_block(README, results_table(read_test_sets(PROJECT_DIR / "metrics")))
    assert README == expected, "README's results are stale: python scripts/results_table.py metrics README.md"


def test_results_table_reads_f_and_interval_from_the_reports():
    def report(f, weapon):
        interval = {"f": f, "low": f - 0.1, "high": f + 0.1}
        return {
            "labels": ["WEAPON"],
            "support": {"WEAPON": 7, "PERSON": 3},
            "intervals": {"overall": interval, "per_label": {"WEAPON": {"f": weapon, "low": None, "high": None}}},
        }

    table = results_table({"probe": {"transformer": report(0.8, 0.5), "cnn": report(0.7, 0.4)}})
    assert "| probe | 10 | 0.800 (0.70–0.90) | 0.700 (0.60–0.80) | 0.500 | – | – |" in table
    text = f"a\n{RESULTS_START}\nold\n{RESULTS_END}\nb"
    assert replace_block(text, "new\n") == f"a\n{RESULTS_START}\nnew\n{RESULTS_END}\nb"
