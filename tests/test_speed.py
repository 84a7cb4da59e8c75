import os

import torch

from defence_ner.experiments.speed import machine, speed_table


def row(**machine_values):
    return {
        "model": "training/doc/cnn/model-best",
        "precision": "fp32",
        "batch_size": 32,
        "n_process": 2,
        "torch_threads": 1,
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
    table = speed_table([row(cpu_count=64, usable_cpus=16, cpu_quota=None)], min_words=200_000)
    assert "2 CPU cores" not in table
    assert "16 usable CPU cores (of 64 on the machine)" in table
    assert "| torch threads |" in table and "| 32 | 2 | 1 | 20,000 |" in table


def test_table_of_rows_measured_before_the_machine_was_recorded_says_so():
    assert "CPU cores not recorded" in speed_table([row()], min_words=200_000)
