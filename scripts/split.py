"""Split the converted sources of a manifest into train/dev/test by each source's split policy.

Documents, not sentences, are the unit; "documents" sources are split about 70/15/15, stratified
by source (and re3d folder) and seeded. Duplicate texts and train/test overlaps are reported.
Extra arguments override the manifest, as for convert.
"""

from collections import Counter
from pathlib import Path

import spacy
import srsly
import typer
from spacy.cli._util import parse_config_overrides
from wasabi import msg

from defence_ner.corpora.manifest import load_manifest, stratum
from defence_ner.corpora.split import build_splits
from defence_ner.docbin import read_docs, write_docs

app = typer.Typer()


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def main(
    ctx: typer.Context,
    manifest: Path = typer.Argument(..., exists=True, dir_okay=False),
    corpus_dir: Path = typer.Argument(
        ..., help="Reads sources/<name>.spacy; writes {train,dev,test}.spacy and reports/split.json"
    ),
    dev: float = typer.Option(0.15, min=0.0, max=1.0),
    test: float = typer.Option(0.15, min=0.0, max=1.0),
    seed: int = typer.Option(0),
    candidates: int = typer.Option(
        1, min=1, help="Seeded draws to choose from: the one with label shares nearest the fractions wins"
    ),
) -> None:
    sources = load_manifest(manifest, parse_config_overrides(ctx.args))
    vocab = spacy.blank("en").vocab
    docs = {s.name: read_docs(corpus_dir / "sources" / f"{s.name}.spacy", vocab) for s in sources}
    splits, findings = build_splits(sources, docs, dev, test, seed, candidates)
    report = {"findings": findings}
    for name, part in splits.items():
        write_docs(part, corpus_dir / f"{name}.spacy")
        report[name] = {
            "documents": len(part),
            "tokens": sum(len(d) for d in part),
            "documents_per_source": dict(sorted(Counter(stratum(d) for d in part).items())),
            "entities_per_label": dict(sorted(Counter(e.label_ for d in part for e in d.ents).items())),
        }
    srsly.write_json(corpus_dir / "reports" / "split.json", report)
    labels = sorted({label for name in splits for label in report[name]["entities_per_label"]})
    rows = [[label] + [report[n]["entities_per_label"].get(label, 0) for n in splits] for label in labels]
    rows += [
        ["documents"] + [report[n]["documents"] for n in splits],
        ["tokens"] + [report[n]["tokens"] for n in splits],
    ]
    msg.divider(f"Split of {corpus_dir} (seed {seed}, best of {candidates} draws)")
    msg.table(rows, header=["label", *splits], divider=True)
    if findings["duplicate_texts"]:
        msg.warn(
            f"{len(findings['duplicate_texts'])} texts occur more than once (kept together in one split): "
            f"see {corpus_dir}/reports/split.json"
        )
    if findings["removed_from_train_or_dev_because_in_test"]:
        msg.warn(
            f"{len(findings['removed_from_train_or_dev_because_in_test'])} train/dev documents removed "
            "because their text is in test"
        )


if __name__ == "__main__":
    app()
