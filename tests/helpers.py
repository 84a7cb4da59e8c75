"""Helpers the tests share (fixtures live in conftest.py)."""

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import spacy
import srsly

PROJECT_DIR = Path(__file__).resolve().parents[1]
# The training config's data paths, wherever the tests run from.
DATA_PATHS = {
    "paths.gazetteers": str(PROJECT_DIR / "corpus" / "gazetteers"),
    "paths.knowledge_base": str(PROJECT_DIR / "corpus" / "knowledge_base"),
    "paths.rules": str(PROJECT_DIR / "configs" / "patterns" / "rules.json"),
}


def load_script(name: str) -> ModuleType:
    """One of scripts/*.py as a module (scripts/ is not a package), so a test can call its typer app."""
    spec = importlib.util.spec_from_file_location(f"{name}_cli", PROJECT_DIR / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def rules_pipeline():
    """A blank pipeline with the rule component exactly as the transformer config builds it."""
    config = spacy.util.load_config(PROJECT_DIR / "configs" / "transformer.cfg")
    nlp = spacy.blank("en")
    settings = {k: v for k, v in config["components"]["rules"].items() if k != "factory"}
    nlp.add_pipe(config["components"]["rules"]["factory"], name="rules", config=settings)
    nlp.get_pipe("rules").add_patterns(srsly.read_json(PROJECT_DIR / "configs" / "patterns" / "rules.json"))
    return nlp


MARKUP_ENTITY = re.compile(r"\[([^\[\]]+)\]\([^()\s]+\)")


def team_corpus_text() -> list[str]:
    """The sentences of the team's defence-news corpus (corpus/defence_news/*.md) without their markup."""
    lines = []
    for path in sorted((PROJECT_DIR / "corpus" / "defence_news").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                lines.append(MARKUP_ENTITY.sub(r"\1", line.strip()))
    return lines


def build_tiny_cased_encoder(folder: Path, vocab_size: int = 1000, seed: int = 0) -> Path:
    """Save a tiny cased RoBERTa (2 layers, hidden size 32, random weights from `seed`) with a byte-level
    BPE tokenizer trained on the team corpus into `folder`, as a Hugging Face model folder: a stand-in
    for `--vars.encoder roberta-base` that needs no download."""
    import torch
    from tokenizers import ByteLevelBPETokenizer, processors
    from transformers import RobertaConfig, RobertaModel, RobertaTokenizerFast

    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    bpe = ByteLevelBPETokenizer(add_prefix_space=False, trim_offsets=True)
    bpe.train_from_iterator(team_corpus_text(), vocab_size=vocab_size, min_frequency=2, special_tokens=specials)
    bpe.post_processor = processors.RobertaProcessing(
        ("</s>", bpe.token_to_id("</s>")), ("<s>", bpe.token_to_id("<s>")), trim_offsets=True, add_prefix_space=False
    )
    tokenizer = RobertaTokenizerFast(tokenizer_object=bpe._tokenizer, model_max_length=512)
    tokenizer.add_special_tokens(
        {"bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>"}
        | {"unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"}
    )
    config = RobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=514,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    RobertaModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
