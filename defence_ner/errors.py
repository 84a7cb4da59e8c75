from pathlib import Path


class CorpusFormatError(ValueError):
    """Malformed input, located by file and line so that the user can fix the record."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")
