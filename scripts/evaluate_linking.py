"""Evaluate the knowledge-base linker apart from recognition (defence_ner/evaluation/linking.py): choose its
threshold on a dev part of the linking test set and score the rest; writes Markdown and JSON."""

from pathlib import Path

import spacy
import srsly
import typer
from wasabi import msg

from defence_ner.evaluation.linking import (
    MIN_PRECISION,
    linker_of,
    linking_markdown,
    linking_report,
    read_linking_set,
    score_mentions,
    split_dev,
)
from defence_ner.knowledge_base import load_knowledge_base


def main(
    test_path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Linking test set (JSONL of mentions)"),
    output: Path = typer.Argument(..., help="Markdown report to write (the JSON beside it)"),
    model: str | None = typer.Option(
        None, help="Pipeline with a kb_linker (folder or package); by default one built from --knowledge-base"
    ),
    knowledge_base: Path = typer.Option(Path("corpus/knowledge_base"), exists=True),
    dev: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="Dev mentions for the threshold; by default a part of the test set"
    ),
    dev_fraction: float = typer.Option(0.3, min=0.0, max=1.0, help="Without --dev: the sentences held out as dev"),
    seed: int = typer.Option(0),
    min_precision: float = typer.Option(MIN_PRECISION, min=0.0, max=1.0),
    title: str = typer.Option("Entity linking to the defence knowledge base"),
) -> None:
    if model is None:
        import defence_ner  # noqa: F401  (registers kb_linker)

        nlp = spacy.blank("en")
        nlp.add_pipe("kb_linker", name="linker").initialize(nlp=nlp, records=load_knowledge_base(knowledge_base))
    else:
        nlp = spacy.load(model)
    mentions = read_linking_set(test_path)
    if dev is not None:
        dev_mentions, test_mentions = read_linking_set(dev), mentions
    else:
        dev_mentions, test_mentions = split_dev(mentions, dev_fraction, seed)
    msg.info(f"{len(dev_mentions)} dev and {len(test_mentions)} test mentions")
    report = linking_report(
        score_mentions(nlp, dev_mentions),
        score_mentions(nlp, test_mentions),
        linker_of(nlp).threshold,
        min_precision,
    )
    report |= {
        "test_path": str(test_path),
        "dev_path": str(dev) if dev is not None else f"{dev_fraction:g} of the sentences of {test_path} (seed {seed})",
        "model": model or f"kb_linker over {knowledge_base}",
        "seed": seed,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(linking_markdown(report, title), encoding="utf-8")
    srsly.write_json(output.with_suffix(".json"), report)
    test = report["test"]
    msg.good(
        f"Threshold {report['chosen_threshold']:.6g}: test accuracy@1 {test['accuracy']:.3f}, "
        f"linked precision {test['linked_precision'] or 0:.3f}, recall {test['linked_recall'] or 0:.3f}; wrote {output}"
    )


if __name__ == "__main__":
    typer.run(main)
