import os
import time

import spacy
import torch
from typer.testing import CliRunner

from defence_ner.environment import environment
from defence_ner.experiments import speed
from defence_ner.experiments.speed import machine, speed_table
from tests.helpers import load_script

benchmark_speed_cli = load_script("benchmark_speed")


def row(**machine_values):
    return {
        "model": "training/doc/cnn/model-best",
        "precision": "fp32",
        "batch_size": 32,
        "n_process": 2,
        "torch_threads": 1,
        "load_seconds": 4.2,
        "words": 200_000,
        "seconds": 10.0,
        "words_per_second": 20_000,
        "peak_memory_mb": 900,
        "strict_f": 0.6,
    } | machine_values


def test_machine_reports_what_this_process_may_use():
    found = machine()
    assert found["cpu_count"] == os.cpu_count()
    assert found["usable_cpus"] == len(os.sched_getaffinity(0))
    assert found["torch_threads"] == torch.get_num_threads()


def test_table_states_the_measured_cores_not_a_fixed_number():
    table = speed_table([row(cpu_count=64, usable_cpus=16, cpu_quota=None)], min_words=200_000, env=environment())
    assert "2 CPU cores" not in table
    assert "16 usable CPU cores (of 64 on the machine)" in table
    assert "| torch threads |" in table and "| 32 | 2 | 1 | 4.2 | 20,000 |" in table
    assert "Environment: spacy " in table and "Where the time goes" not in table


def test_table_of_rows_measured_before_the_machine_was_recorded_says_so():
    assert "CPU cores not recorded" in speed_table([row()], min_words=200_000, env=environment())


def test_the_cost_of_components_is_their_share_of_the_pipelines_time_in_one_process():
    stages = {
        "model": "pkg",
        "precision": "bf16",
        "batch_size": 64,
        "torch_threads": 2,
        "words": 200_000,
        "seconds": {"tokenizer": 2.0, "transformer": 30.0, "ner": 4.0, "knowledge": 1.0, "linker": 3.0},
    }
    table = speed_table([row()], 200_000, environment(), stages, [["linker"], ["knowledge", "ner"]])
    assert "| transformer | 30.0 | 75.0% |" in table
    assert "| linker | 3.0 | 7.5% |" in table and "| knowledge, ner | 5.0 | 12.5% |" in table


def test_component_seconds_times_the_tokenizer_and_each_component_over_the_repeated_texts(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "WEAPON", "pattern": "T-72"}])
    nlp.to_disk(tmp_path / "pipeline")
    gold = [nlp.make_doc("Two T-72 tanks were seen near Mosul.")]
    stages = speed.component_seconds(str(tmp_path / "pipeline"), "fp32", gold, min_words=1_000, batch_size=8)
    assert list(stages["seconds"]) == ["tokenizer", "sentencizer", "entity_ruler"]
    assert all(seconds >= 0 for seconds in stages["seconds"].values()) and stages["words"] >= 1_000


def test_load_runs_a_packaged_pipeline_at_the_precision_asked_not_the_packaged_one(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("encoder_precision", config={"precision": "bf16"})
    nlp.to_disk(tmp_path / "pipeline")
    for precision in ("fp32", "int8", "bf16", "auto"):
        assert speed.load(str(tmp_path / "pipeline"), precision).get_pipe("encoder_precision").precision == precision


def test_a_row_says_what_auto_ran_in_on_this_cpu(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "pipeline")
    gold = [nlp.make_doc("Two T-72 tanks were seen near Mosul.")]
    stages = speed.component_seconds(str(tmp_path / "pipeline"), "auto", gold, min_words=100, batch_size=8)
    assert stages["precision"] == "auto (fp32)"
    assert speed.measure(str(tmp_path / "pipeline"), "bf16", gold, 100, 8, 1)["precision"] == "bf16"


def test_measure_times_the_load_apart_from_the_throughput(tmp_path, monkeypatch):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "pipeline")
    real_load = speed.load

    def load_slowly(*args, **kwargs):
        time.sleep(0.5)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(speed, "load", load_slowly)
    gold = [nlp.make_doc("Two T-72 tanks were seen near Mosul.")]
    result = speed.measure(str(tmp_path / "pipeline"), "fp32", gold, min_words=100, batch_size=4, n_process=1)
    assert result["load_seconds"] >= 0.5 > result["seconds"]
    assert result["words"] >= 100 and result["strict_f"] == 0.0


def test_a_cost_of_component_the_pipeline_lacks_fails_before_any_row_is_measured(tmp_path, monkeypatch):
    measured = []

    def fake_process(command, *arguments):
        measured.append(command)
        return {"seconds": {"tokenizer": 1.0, "transformer": 3.0, "ner": 1.0}}

    monkeypatch.setattr(benchmark_speed_cli, "_in_fresh_process", fake_process)
    (tmp_path / "test.spacy").write_bytes(b"")
    args = ["run", str(tmp_path / "speed.md"), "--test-path", str(tmp_path / "test.spacy")]
    args += ["--transformer", "trf", "--cnn", "cnn", "--cost-of", "ner,linker"]
    result = CliRunner().invoke(benchmark_speed_cli.app, args, env={"COLUMNS": "1000"})
    assert result.exit_code == 1 and "['linker']" in result.output
    assert measured == ["stages"] and not (tmp_path / "speed.md").exists()


def test_measure_scores_on_the_gold_tokens_where_the_tokenizer_reads_the_text_otherwise(tmp_path):
    """The typographic tokenizer reads a no-break space as a space; the gold, converted as annotated, keeps it."""
    tokenizer = {"@tokenizers": "defence_ner.typographic_tokenizer.v1"}
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": tokenizer}})
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "LOCATION", "pattern": "Mosul"}])
    nlp.to_disk(tmp_path / "pipeline")
    gold = spacy.blank("en")("The Type\u00a0055 sailed near Mosul.")
    gold.ents = [gold.char_span(gold.text.index("Mosul"), gold.text.index("Mosul") + 5, label="LOCATION")]
    found = speed.measure(str(tmp_path / "pipeline"), "fp32", [gold], min_words=100, batch_size=8, n_process=1)
    assert found["strict_f"] == 1.0 and found["words"] >= 100
