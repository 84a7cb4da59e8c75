"""Defence and security named-entity recognition as a spaCy project.

Subpackages, one concern each:
- corpora: the manifest, label schema, span policy, format readers and writers, conversion report, splits;
- pipeline: what the trained pipelines run and need registered (rule merge, encoder precision,
  entity-swap augmentation, encoder resolution);
- evaluation: scoring, the evaluation report, plots, error browser, comparison tables;
- experiments: the ablation, the training-settings sweep, the speed benchmark;
- annotation: streaming annotation of archives, its CLI and the Ray engine;
- knowledge_base: the defence knowledge base (corpus/knowledge_base/) and the patterns it gives the pipeline.
"""

from defence_ner import knowledge_base, pipeline  # noqa: F401 (registers what the configs name: one route)
