"""Defence and security named-entity recognition: corpus readers, label schema, splits and packaging helpers."""
