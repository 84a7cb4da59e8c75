"""JSON Lines input shared by the readers: one record per line, each bad line a located bad record."""

from collections.abc import Iterator
from pathlib import Path

import srsly

from defence_ner.corpora.conversion_report import ConversionReport
from defence_ner.corpora.formats.encoding import UTF8, check_utf8
from defence_ner.corpora.manifest import Source
from defence_ner.errors import CorpusFormatError


def read_json_lines(
    path: Path, required: tuple[str, ...], source: Source, report: ConversionReport
) -> Iterator[tuple[int, dict]]:
    """Yield (line number, record) for each non-blank line; a broken line (or one that is not UTF-8) or a
    missing field is a bad record."""
    with path.open(**UTF8) as file:
        for line_number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                record = srsly.json_loads(check_utf8(line, path, line_number))
                if not isinstance(record, dict):
                    raise CorpusFormatError(path, line_number, "expected a JSON object")
                missing = [name for name in required if name not in record]
                if missing:
                    raise CorpusFormatError(path, line_number, f"missing field(s): {', '.join(missing)}")
            except CorpusFormatError as error:
                source.bad_record(error, report)
                continue
            except ValueError as error:
                source.bad_record(CorpusFormatError(path, line_number, f"invalid JSON ({error})"), report)
                continue
            yield line_number, record
