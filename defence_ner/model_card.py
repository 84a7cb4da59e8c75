"""What `spacy package` builds the en_defence_ner wheel from: its meta.json and its README (the model card).

The card's account of the rule component is quoted from defence_ner/pipeline/rules.py (FINDS,
PRECEDENCE), which documents what its merge does, so the two cannot drift apart.
"""

from defence_ner.pipeline import consistency, knowledge, linker, tokenizer
from defence_ner.pipeline.rules import FINDS, PRECEDENCE

LICENSE = "CC BY-NC 3.0 (inherited from the BBC Online part of re3d; non-commercial use only)"
WEAK_F = 0.5
# What the packaged linker (defence_ner/pipeline/linker.py) imports beyond spaCy: pyproject.toml's pin.
LINKER_REQUIREMENT = "scikit-learn>=1.5,<2.0"


def build_meta(
    model_meta: dict,
    name: str,
    version: str,
    encoder: str,
    precision: str,
    doc_report: dict,
    published_report: dict,
    sources: dict,
) -> dict:
    """Merge the trained pipeline's meta with test scores, data sources, licences and the encoder."""
    source_list = [
        {"name": f"{info['name']}: {part}", "url": info["url"], "license": licence}
        for info in sources.values()
        for part, licence in info["licenses"].items()
    ]
    strict = doc_report["schemes"]["overall"]["strict"]
    description = (
        "Named-entity recognition for defence and security text: weapons, military platforms, vehicles, "
        "organisations, people, locations, nationalities, dates, quantities, money, document references, "
        f"communications identifiers, frequencies, coordinates, URLs and operations. Encoder: {encoder}. "
        f"Strict micro F {strict['f1']:.3f} on held-out re3d documents. Trained on data under these licences: "
        + "; ".join(f"{s['name']}: {s['license']}" for s in source_list)
        + ". Because the BBC Online part of re3d is CC BY-NC 3.0, this model is for non-commercial use only."
    )
    per_label = doc_report["schemes"]["per_label"]
    requirements = list(model_meta.get("requirements", []))
    if "linker" in model_meta.get("pipeline", []) and not any(r.startswith("scikit-learn") for r in requirements):
        requirements.append(LINKER_REQUIREMENT)  # the linker module's own import, which spaCy cannot see
    return model_meta | {
        "requirements": requirements,
        "name": name,
        "version": version,
        "description": description,
        "license": LICENSE,
        "sources": source_list,
        "encoder": encoder,
        "encoder_precision": precision,
        "performance": {
            "ents_p": strict["precision"],
            "ents_r": strict["recall"],
            "ents_f": strict["f1"],
            "ents_per_type": {
                label: {k: s["strict"][key] for k, key in (("p", "precision"), ("r", "recall"), ("f", "f1"))}
                for label, s in per_label.items()
            },
        },
        "evaluation": {"document_level_test": doc_report, "published_sentence_split_test": published_report},
    }


def model_card(meta: dict, schema: dict[str, str], summaries: list[str], doc_report: dict, spread: str | None) -> str:
    """The wheel's README.md: what the model finds, how well, on what data, for what use, and how to retrain it.
    spread: the seeds command's report (metrics/seeds.md), None where it has not run."""
    package = f"{meta['lang']}_{meta['name']}"
    labels = meta["labels"]["ner"]
    schema_rows = "\n".join(f"| {label} | {definition} |" for label, definition in schema.items())
    sources = "\n".join(f"- {s['name']} ({s['url']}): {s['license']}" for s in meta["sources"])
    not_learned = [label for label in schema if label not in labels]
    return f"""# {package} {meta["version"]}

{meta["description"]}

```python
import spacy
nlp = spacy.load("{package}")
doc = nlp("Two T-72 tanks were seen near Mosul on 12 May 2017.")
print([(ent.text, ent.label_) for ent in doc.ents])
```

## What it finds

The defence label schema (re3d's entity schema from Dstl, plus OPERATION). This model predicts:
{", ".join(labels)}.{f" Not learned yet (no training data): {', '.join(not_learned)}." if not_learned else ""}

| label | definition |
|---|---|
{schema_rows}

## Pipeline components

{components(meta, package)}

Before them, the tokenizer (`defence_ner.typographic_tokenizer.v1`, spaCy's English tokenizer otherwise)
{tokenizer.READS}. To tokenize as spaCy's English tokenizer does:
`spacy.load("{package}", config={{"nlp": {{"tokenizer": {{"@tokenizers": "spacy.Tokenizer.v1"}}}}}})`.

How the rules' matches and the ner's entities join (`defence_ner.merge_rule_matches.v1`, the rule
component's `ents_filter`). {PRECEDENCE[0]}
{chr(10).join(f"- {line}" for line in PRECEDENCE[1:])}

## How well

Scores on held-out test data, computed by the project's `evaluate` command (strict: same span and
same label; intervals by bootstrap over documents).

{"".join(summaries)}
{seed_spread(spread)}
## Training data and licences

{sources}

**Non-commercial use only**: the BBC Online part of re3d is CC BY-NC 3.0. Wikipedia parts are CC BY-SA.

## Encoder

`{meta["encoder"]}` through spacy-transformers. The wheel carries the encoder's weights and tokenizer
and loads offline. The encoder runs in {running_precision(meta["encoder_precision"])} on the CPU (the
`encoder_precision` component; see the project's speed table for what each precision costs in words/s and F). To
run it in fp32 on any CPU:
`spacy.load("{package}", config={{"components": {{"encoder_precision": {{"precision": "fp32"}}}}}})`.

## Intended use

Extracting entities from English defence and security reporting (news, ministry releases, intelligence
summaries) for analysts, with a person reviewing what matters. Not for decisions about individuals without
that review.

## Known failure modes

{known_failures(doc_report)}
- Most training text is re3d's, about the Syria/Iraq conflict (2014-2017); the team's corpus of current
  defence news is smaller, so newer systems, units and operations are less reliable (see the probe scores).
- The default encoder is uncased: capitalisation, which marks many system and ship names, is seen only
  through the smaller cased CNN features where the recipe has them.

## Retraining

Clone the project, add your annotations to a corpus manifest (configs/corpora/), and run
`pip install -e . -c constraints.txt && python -m spacy project run all`; the project README says how.
"""


def running_precision(precision: str) -> str:
    """What the encoder_precision component's setting runs the encoder in, in words."""
    return {
        "auto": (
            "bf16 where the CPU computes in bf16 natively (x86 AVX512-BF16 or AMX, which is all it detects), and fp32, "
            "as trained, on any other CPU (an AVX2 CPU emulates bf16, several times slower)"
        ),
        "fp32": "fp32, as trained",
        "bf16": "bf16 (emulated, and several times slower than fp32, on a CPU without native bf16)",
        "int8": "int8 (dynamic quantization of its linear layers)",
    }[precision]


def seed_spread(spread: str | None) -> str:
    """What one training is worth: the recipe's spread over seeds, of which this model is one draw."""
    if spread is None:
        return "The spread of these figures over training seeds was not measured for this build.\n"
    body = spread.split("\n", 1)[1].lstrip()  # its own title gives way to the card's heading
    body = body.replace("\n## ", "\n#### ")  # its sections sit under that heading
    return f"### The recipe over seeds\n\nThis model is one training of its recipe. {body}"


def components(meta: dict, package: str) -> str:
    """A bullet per pipeline component: what it does and how to load the package without it."""
    load = f'spacy.load("{package}"'
    fp32 = '{"components": {"encoder_precision": {"precision": "fp32"}}}'
    without_encoder = (
        '["encoder_precision", "transformer", "ner"]'
        if "encoder_precision" in meta["pipeline"]
        else '["transformer", "ner"]'
    )
    what = {
        "encoder_precision": (
            "runs first and sets the encoder's precision the first time a text passes, after the weights are loaded: "
            f"{running_precision(meta['encoder_precision'])}. To run the encoder in fp32: `{load}, config={fp32})`."
        ),
        "transformer": (
            f"the encoder ({meta['encoder']}); the ner reads its output, so it goes only with the ner: "
            f"`{load}, exclude={without_encoder})` leaves the rules alone."
        ),
        "tok2vec": "the CNN encoder; the ner reads its output, so it goes only with the ner.",
        "ner": (
            "the statistical entity recogniser (spaCy's transition-based ner), trained on the data below. "
            f"Without it (and its encoder), only the rules' entities: `{load}, exclude={without_encoder})`."
        ),
        "rules": (
            f"spaCy's span_ruler after the ner. It finds {FINDS}. Its matches join the ner's entities as "
            f'described below and all of them are also in `doc.spans["rules"]`. Without it, the ner\'s '
            f'entities as the model predicts them: `{load}, exclude=["rules"])`.'
        ),
        "knowledge": (
            f"spaCy's span_ruler over the defence knowledge base: it {knowledge.SURE}. Matches are in "
            f'`doc.spans["knowledge"]` with the record id as `span.id_`. Without it: `{load}, exclude=["knowledge"])`.'
        ),
        "knowledge_ambiguous": (
            f"spaCy's span_ruler over the defence knowledge base: it {knowledge.AMBIGUOUS}. Without it: "
            f'`{load}, exclude=["knowledge_ambiguous"])`.'
        ),
        "consistency": f'it {consistency.RULE}. Without it: `{load}, exclude=["consistency"])`.',
        "linker": (
            f"the knowledge-base linker (scikit-learn TF-IDF, built at training time and shipped in the package): it "
            f'{linker.LINKS}. Without it: `{load}, exclude=["linker"])`.'
        ),
    }
    return "\n".join(
        f"- `{name}`: "
        + what.get(name, f'a component of the trained pipeline. Without it: `{load}, exclude=["{name}"])`.')
        for name in meta["pipeline"]
    )


def known_failures(report: dict) -> str:
    """A bullet per label the model gets wrong more often than right, from the report's strict scores."""
    lines = []
    for label in report["labels"]:
        interval = report["intervals"]["per_label"][label]
        support = report["support"][label]
        if interval["f"] is None or interval["f"] < WEAK_F:
            f = "n/a" if interval["f"] is None else f"{interval['f']:.2f}"
            lines.append(f"- {label}: strict F {f} on {support} test mentions.")
    return "\n".join(lines) if lines else "- No label below strict F 0.5 on the test set."
