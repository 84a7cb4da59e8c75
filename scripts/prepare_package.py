"""Stage a trained pipeline for `spacy package`: a copy with the encoder precision component first and the
knowledge-base linker last (its index built here from the knowledge base, its threshold the one the linking
evaluation chose on dev), the package's meta.json and its model card (README.md). Package it with
`--code` with the modules of defence_ner/pipeline that run in the pipeline (project.yml's package command)."""

import shutil
from pathlib import Path

import spacy
import srsly
import typer
from wasabi import msg

from defence_ner.corpora.schema import load_schema
from defence_ner.knowledge_base import load_knowledge_base
from defence_ner.model_card import build_meta, model_card


def main(
    model: Path = typer.Argument(..., exists=True, file_okay=False, help="Trained pipeline (model-best)"),
    staging: Path = typer.Argument(..., help="Folder to stage the pipeline in (replaced)"),
    name: str = typer.Option(...),
    version: str = typer.Option(...),
    encoder: str = typer.Option(...),
    precision: str = typer.Option("fp32", help="Encoder precision the package loads with (auto, fp32, bf16, int8)"),
    doc_report: Path = typer.Option(
        ..., exists=True, file_okay=False, help="Evaluation report folder, document-level test split"
    ),
    published_report: Path = typer.Option(
        ..., exists=True, file_okay=False, help="Evaluation report folder, published test file"
    ),
    probe_report: Path = typer.Option(
        ..., exists=True, file_okay=False, help="Evaluation report folder, held-out probe of current defence news"
    ),
    blind_probe_report: Path = typer.Option(
        ..., exists=True, file_okay=False, help="Evaluation report folder, blind probe of current defence news"
    ),
    seeds_report: Path = typer.Option(
        ..., dir_okay=False, help="seeds.md of the seeds command; the card says so where it has not run"
    ),
    linking_report: Path = typer.Option(
        ..., exists=True, dir_okay=False, help="linking.json of evaluate_linking.py: its threshold chosen on dev"
    ),
    knowledge_base: Path = typer.Option(Path("corpus/knowledge_base"), exists=True),
    schema: Path = typer.Option(Path("configs/schema.json"), exists=True),
    sources: Path = typer.Option(Path("configs/sources.json"), exists=True),
) -> None:
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)  # outside `spacy project run`, packages/ may not exist yet
    nlp = spacy.load(model)
    nlp.add_pipe("encoder_precision", first=True, config={"precision": precision})
    linking = srsly.read_json(linking_report)
    linker = nlp.add_pipe("kb_linker", name="linker", last=True, config={"threshold": linking["chosen_threshold"]})
    linker.initialize(nlp=nlp, records=load_knowledge_base(knowledge_base))
    nlp.to_disk(staging)
    doc, published = srsly.read_json(doc_report / "report.json"), srsly.read_json(published_report / "report.json")
    meta = build_meta(
        srsly.read_json(staging / "meta.json"),
        name,
        version,
        encoder,
        precision,
        doc,
        published,
        srsly.read_json(sources),
    )
    srsly.write_json(staging / "meta.json", meta)
    folders = (doc_report, published_report, probe_report, blind_probe_report)
    summaries = [(folder / "report.md").read_text() for folder in folders]
    summaries.append(linking_report.with_suffix(".md").read_text())
    if not seeds_report.exists():
        msg.warn(f"{seeds_report} not found: the model card says the spread over seeds was not measured")
    spread = seeds_report.read_text() if seeds_report.exists() else None
    card = model_card(meta, load_schema(schema), summaries, doc, spread)
    (staging / "README.md").write_text(card, encoding="utf-8")
    msg.good(f"Staged {model} with its meta.json and model card in {staging}")


if __name__ == "__main__":
    typer.run(main)
