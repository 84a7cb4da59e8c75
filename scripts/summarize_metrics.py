"""Write a Markdown summary of every metrics/<test set>_<model>.json written by `spacy evaluate`."""

from pathlib import Path

import typer
from wasabi import msg

from defence_ner.metrics import comparison_table, load_scores

TEST_SETS = {
    "doc": "Document-level test split (whole re3d documents never seen in training)",
    "published": "Published re3d sentence split: re3d-test.conll (never used to choose a model)",
}


def main(metrics_dir: Path = typer.Argument(..., exists=True, file_okay=False), output: Path = typer.Argument(...)) -> None:
    sections = ["# Test scores\n", "F per label and micro P / R / F overall, from `spacy project run evaluate`.\n"]
    for test_set, title in TEST_SETS.items():
        runs = {path.stem.removeprefix(f"{test_set}_"): load_scores(path) for path in sorted(metrics_dir.glob(f"{test_set}_*.json"))}
        if not runs:
            continue
        sections += [f"## {title}\n", comparison_table(runs), ""]
        msg.divider(title)
        msg.table([[name, f"{r['p']:.3f}", f"{r['r']:.3f}", f"{r['f']:.3f}"] for name, r in runs.items()], header=["model", "P", "R", "F"], divider=True)
    output.write_text("\n".join(sections) + "\n", encoding="utf-8")
    msg.good(f"Wrote {output}")


if __name__ == "__main__":
    typer.run(main)
