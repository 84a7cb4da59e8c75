"""UTF-8 input read so that a byte that is not UTF-8 is a bad record located by file and line, not a
UnicodeDecodeError that stops the whole corpus.

Readers open text files with errors="surrogateescape" (UTF8), which turns each such byte into a lone
surrogate (U+DC80..U+DCFF) that no valid UTF-8 text contains, then check each record with check_utf8.
"""

import re
from pathlib import Path

from defence_ner.errors import CorpusFormatError

UTF8 = {"encoding": "utf-8-sig", "errors": "surrogateescape"}  # open(path, **UTF8); utf-8-sig drops a BOM
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def undecodable(text: str, first_line: int = 1, start: int = 0, end: int | None = None) -> tuple[int, str] | None:
    """(line, "byte 0x.. at column ..") of the first byte of text[start:end] that was not UTF-8, or None
    if there is none; text starts on line first_line of its file."""
    match = _UNDECODABLE.search(text, start, len(text) if end is None else end)
    if match is None:
        return None
    position = match.start()
    line = first_line + text.count("\n", 0, position)
    column = position - text.rfind("\n", 0, position)
    return line, f"byte 0x{ord(match.group()) - 0xDC00:02X} at column {column}"


def check_utf8(text: str, path: Path, line: int = 1) -> str:
    """text as it was read, or a CorpusFormatError at the line of its first byte that was not UTF-8."""
    found = undecodable(text, line)
    if found is not None:
        line, byte = found
        raise CorpusFormatError(path, line, f"not valid UTF-8: {byte} (save the file as UTF-8)")
    return text
