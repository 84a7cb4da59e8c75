from defence_ner.experiments.sweep import Setting, dev_curve, sweep_table

LOG = """\u2139 Pipeline: ['transformer', 'ner', 'rules']
E    #       LOSS TRANS...  LOSS NER  ENTS_F  ENTS_P  ENTS_R  SCORE\x20
---  ------  -------------  --------  ------  ------  ------  ------
  0       0        6153.85   1120.83    0.00    0.00    0.00    0.00
/tmp/site/thinc/util.py:401: VisibleDeprecationWarning: a warning between rows
  1      50       72293.94  20839.82    2.04    7.04    1.20    0.02
  2     100       58847.53  11686.67   26.78   31.21   23.44    0.27
"""


def test_dev_curve_reads_the_score_column_of_each_evaluation():
    assert dev_curve(LOG) == {0: 0.0, 50: 0.0204, 100: 0.2678}
    assert dev_curve(LOG, "ENTS_P") == {0: 0.0, 50: 0.0704, 100: 0.3121}


def test_dev_curve_of_a_log_without_a_table_is_empty():
    assert dev_curve("Traceback (most recent call last):\n  0  50  1.0\n") == {}


def test_sweep_table_compares_settings_at_the_last_step_all_reached():
    settings = [
        Setting("a", "configs/transformer.cfg", {"training.optimizer.learn_rate.initial_rate": 2e-4}),
        Setting("b", "configs/transformer.cfg", {}),
    ]
    curves = {"a": {50: 0.5, 100: 0.7, 150: 0.6}, "b": {50: 0.55, 100: 0.65}}
    table = sweep_table(settings, curves, {"a": 3.25})
    assert "dev F at step 100" in table
    assert (
        "| a | configs/transformer.cfg | training.optimizer.learn_rate.initial_rate = 0.0002 "
        "| 0.700 | 0.700 (100) | 150 | 3.2 |" in table
    )
    assert "| b | configs/transformer.cfg |  | 0.650 | 0.650 (100) | 100 | – |" in table
