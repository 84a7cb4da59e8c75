import functools
from collections.abc import Callable
from pathlib import Path

import typer


class CorpusFormatError(ValueError):
    """Malformed input, located by file and line so that the user can fix the record."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


def exits_on_user_error(command: Callable) -> Callable:
    """Wrap a command so that a CorpusFormatError (the user's manifest or input is wrong) is printed as one
    message on stderr with exit status 1; any other exception is a bug and keeps its traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except CorpusFormatError as error:
            typer.echo(f"✘ {error}", err=True)
            raise typer.Exit(1) from None

    return run
