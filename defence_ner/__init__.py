"""Defence and security named-entity recognition: corpus readers, label schema, splits and packaging helpers."""

from . import rules  # noqa: F401 (registers the rule merge that trained pipelines' configs name)
