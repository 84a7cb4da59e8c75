"""Time the conversion of synthetic documents of 10k, 100k and 1M characters (offset format and CoNLL)
and write a Markdown table. A benchmark, not a test: run it with nothing else busy on the machine."""

from pathlib import Path

import typer
from wasabi import msg

from defence_ner.experiments.convert_speed import FORMATS, SIZES, benchmark, markdown_table

app = typer.Typer()


@app.command()
def main(
    output: Path = typer.Argument(Path("metrics/convert_speed.md"), help="Markdown table to write"),
    sizes: str = typer.Option(",".join(map(str, SIZES)), help="Document sizes in characters, comma-separated"),
    formats: str = typer.Option(",".join(FORMATS), help="Formats to time: prodigy, conll"),
) -> None:
    timings = benchmark([int(size) for size in sizes.split(",")], formats.split(","))
    for t in timings:
        msg.info(
            f"{t.format} {t.characters:,} characters: {t.seconds:.2f} s, {t.microseconds_per_character:.2f} µs/char"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown_table(timings), encoding="utf-8")
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    app()
