"""Split a .spacy file into train/dev(/test) by whole documents, stratified by source and seeded."""

from collections import Counter
from pathlib import Path

import spacy
import srsly
import typer
from wasabi import msg

from defence_ner.docbin import read_docs, write_docs
from defence_ner.split import SplitItem, assign_splits


def main(
    input_path: Path = typer.Argument(..., exists=True, dir_okay=False),
    output_dir: Path = typer.Argument(..., help="Writes train.spacy, dev.spacy and, if --test > 0, test.spacy here"),
    report_path: Path = typer.Argument(..., help="Output split report (JSON)"),
    dev: float = typer.Option(0.15, min=0.0, max=1.0),
    test: float = typer.Option(0.15, min=0.0, max=1.0),
    seed: int = typer.Option(0),
    candidates: int = typer.Option(1, min=1, help="Seeded draws to choose from: the one with label shares nearest the fractions wins"),
) -> None:
    docs = read_docs(input_path, spacy.blank("en").vocab)
    fractions = {"train": 1.0 - dev - test, "dev": dev} | ({"test": test} if test > 0 else {})
    items = [SplitItem(d.user_data["doc_id"], d.user_data["source"], Counter(e.label_ for e in d.ents)) for d in docs]
    assignment = assign_splits(items, fractions, seed, candidates)
    report = {}
    for name in fractions:
        part = [d for d in docs if assignment[d.user_data["doc_id"]] == name]
        write_docs(part, output_dir / f"{name}.spacy")
        report[name] = {
            "documents": len(part),
            "tokens": sum(len(d) for d in part),
            "documents_per_source": dict(sorted(Counter(d.user_data["source"] for d in part).items())),
            "entities_per_label": dict(sorted(Counter(e.label_ for d in part for e in d.ents).items())),
        }
    srsly.write_json(report_path, report)
    labels = sorted({label for r in report.values() for label in r["entities_per_label"]})
    rows = [[label] + [report[n]["entities_per_label"].get(label, 0) for n in fractions] for label in labels]
    rows.append(["documents"] + [report[n]["documents"] for n in fractions])
    rows.append(["tokens"] + [report[n]["tokens"] for n in fractions])
    msg.divider(f"Split of {input_path} (seed {seed}, best of {candidates} draws)")
    msg.table(rows, header=["label", *fractions], divider=True)


if __name__ == "__main__":
    typer.run(main)
