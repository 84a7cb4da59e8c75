import re
import subprocess
import sys

import pytest

from defence_ner.side_by_side import run_side_by_side
from tests.helpers import PROJECT_DIR

# Each command waits for the file the other writes: they finish only if they run at once.
WAIT_FOR = (
    "import pathlib, sys, time\n"
    "pathlib.Path(sys.argv[1]).write_text('here')\n"
    "deadline = time.monotonic() + 60\n"
    "while not pathlib.Path(sys.argv[2]).exists():\n"
    "    if time.monotonic() > deadline: sys.exit(3)\n"
    "    time.sleep(0.05)\n"
    "print('met', sys.argv[1])\n"
)


def test_commands_run_at_once_each_with_its_log(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    logs = [tmp_path / "logs" / "a.log", tmp_path / "b.log"]
    finished = run_side_by_side(
        [[sys.executable, "-c", WAIT_FOR, str(a), str(b)], [sys.executable, "-c", WAIT_FOR, str(b), str(a)]], logs
    )
    assert [done.exit_code for done in finished] == [0, 0]
    assert logs[0].read_text() == f"met {a}\n"
    assert logs[1].read_text() == f"met {b}\n"


def test_a_failure_is_reported_with_the_others_results(tmp_path):
    fails = [sys.executable, "-c", "import sys; print('broken input'); sys.exit(2)"]
    works = [sys.executable, "-c", "print('fine')"]
    finished = run_side_by_side([fails, works], [tmp_path / "fails.log", tmp_path / "works.log"])
    assert [done.exit_code for done in finished] == [2, 0]
    assert (tmp_path / "fails.log").read_text() == "broken input\n"


def test_one_log_per_command(tmp_path):
    with pytest.raises(ValueError, match="2 commands but 1 logs"):
        run_side_by_side([["true"], ["true"]], [tmp_path / "only.log"])
    assert not (tmp_path / "only.log").exists()


def test_cli_fails_naming_the_failed_command_and_its_log(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "scripts/side_by_side.py",
            "python -c 'print(\"fine\")'",
            "python -c 'import sys; sys.exit(\"bad config line 3\")'",
            "--log",
            str(tmp_path / "fine.log"),
            "--log",
            str(tmp_path / "bad.log"),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    # wasabi colours and wraps its lines
    printed = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", run.stdout).split())
    assert "Exit code 1 after" in printed and f"(log: {tmp_path / 'bad.log'})" in printed
    assert "bad config line 3" in printed
    assert (tmp_path / "fine.log").read_text() == "fine\n"
