"""Small corpora written by the tests, in the formats the project reads."""

import json
from pathlib import Path

# (text, [(entity text, re3d type)]) — every entity text occurs once in its sentence.
SENTENCES = [
    (
        "Colonel John Smith said two T-72 tanks were seen near Mosul on 12 May 2017.",
        [
            ("Colonel John Smith", "Person"),
            ("T-72 tanks", "MilitaryPlatform"),
            ("Mosul", "Location"),
            ("12 May 2017", "Temporal"),
        ],
    ),
    (
        "The Iraqi Army fired AK-47 rifles at Daesh positions in Raqqa.",
        [
            ("The Iraqi Army", "Organisation"),
            ("AK-47 rifles", "Weapon"),
            ("Daesh", "Organisation"),
            ("Raqqa", "Location"),
        ],
    ),
    (
        "Coalition aircraft struck 14 targets with Hellfire missiles on Tuesday.",
        [
            ("Coalition aircraft", "MilitaryPlatform"),
            ("14 targets", "Quantity"),
            ("Hellfire missiles", "Weapon"),
            ("Tuesday", "Temporal"),
        ],
    ),
    (
        "The Foreign Secretary pledged 10 million pounds to Syrian refugees in Jordan.",
        [
            ("The Foreign Secretary", "Person"),
            ("10 million pounds", "Money"),
            ("Syrian", "Nationality"),
            ("Jordan", "Location"),
        ],
    ),
    (
        "Resolution 2254 was adopted by the UN Security Council in New York.",
        [
            ("Resolution 2254", "DocumentReference"),
            ("the UN Security Council", "Organisation"),
            ("New York", "Location"),
        ],
    ),
    (
        "A Russian Su-24 bomber and a civilian airliner were tracked over Latakia.",
        [
            ("Russian", "Nationality"),
            ("Su-24 bomber", "MilitaryPlatform"),
            ("civilian airliner", "Vehicle"),
            ("Latakia", "Location"),
        ],
    ),
]


def entity_record(
    doc_id: str, text: str, value: str, label: str, confidence: float = 1.0, start: int | None = None
) -> dict:
    begin = text.index(value) if start is None else start
    return {
        "_id": f"{doc_id}-{begin}-{label}",
        "documentId": doc_id,
        "begin": begin,
        "end": begin + len(value),
        "type": label,
        "value": value,
        "confidence": confidence,
    }


def write_json_lines(path: Path, records: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def write_re3d_source(root: Path, source: str, documents: list[dict], entities: list) -> Path:
    folder = root / source
    write_json_lines(folder / "documents.json", documents)
    write_json_lines(folder / "entities.json", entities)
    return folder


def write_tiny_re3d(root: Path, n_sources: int = 3, docs_per_source: int = 4) -> Path:
    """A re3d-shaped corpus: each document is a heading and three of SENTENCES, every entity annotated."""
    for s in range(n_sources):
        documents, entities = [], []
        for d in range(docs_per_source):
            doc_id = f"S{s}D{d}"
            chosen = [SENTENCES[(s + d + k) % len(SENTENCES)] for k in range(3)]
            heading = f"Report {doc_id}."  # makes every document's text unique
            text = " ".join([heading] + [sentence for sentence, _ in chosen])
            documents.append({"_id": doc_id, "sourceName": f"Source {s}", "title": doc_id, "text": text})
            offset = len(heading) + 1
            for sentence, spans in chosen:
                for value, label in spans:
                    entities.append(entity_record(doc_id, text, value, label, start=offset + sentence.index(value)))
                offset += len(sentence) + 1
        write_re3d_source(root, f"Source {s}", documents, entities)
    return root


def conll_lines(sentences=SENTENCES) -> list[str]:
    """IOB2 token<TAB>tag lines for the sentences, tokens split on spaces with final punctuation split off."""
    lines = []
    for text, spans in sentences:
        tokens, tags = [], []
        for word in text.split(" "):
            tail = word[-1] if word[-1] in ".," else ""
            tokens += [word[: len(word) - len(tail)]] + ([tail] if tail else [])
        tags = ["O"] * len(tokens)
        for value, label in spans:
            value_tokens = value.split(" ")
            for i in range(len(tokens) - len(value_tokens) + 1):
                if tokens[i : i + len(value_tokens)] == value_tokens and all(
                    t == "O" for t in tags[i : i + len(value_tokens)]
                ):
                    tags[i : i + len(value_tokens)] = [f"B-{label}"] + [f"I-{label}"] * (len(value_tokens) - 1)
                    break
        lines += [f"{token}\t{tag}" for token, tag in zip(tokens, tags)] + [""]
    return lines


def write_tiny_conll_split(folder: Path, repeat: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "re3d-train.conll").write_text("\n".join(conll_lines() * repeat) + "\n", encoding="utf-8")
    (folder / "re3d-test.conll").write_text("\n".join(conll_lines(SENTENCES[:3])) + "\n", encoding="utf-8")
    return folder


def write_tiny_fewnerd(folder: Path) -> Path:
    """Few-NERD-shaped files: fine types, partial labels (each file tags only some types)."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = {
        "dev.txt": [
            [
                ("The", "O"),
                ("F-16", "B-product_airplane"),
                ("flew", "O"),
                ("over", "O"),
                ("Iraq", "B-location_GPE"),
                (".", "O"),
            ],
            [("General", "O"), ("Patton", "B-person_soldier"), ("led", "O"), ("the", "O"), ("army", "O"), (".", "O")],
        ],
        "test.txt": [
            [
                ("Operation", "B-event_attack/battle/war/militaryconflict"),
                ("Torch", "I-event_attack/battle/war/militaryconflict"),
                ("began", "O"),
                (".", "O"),
            ],
            [("A", "O"), ("quiet", "O"), ("film", "O"), ("premiered", "O"), (".", "O")],
        ],
        "big_test.txt": [
            [("The", "O"), ("AK-47", "B-product_weapon"), ("rifle", "O"), ("was", "O"), ("seized", "O"), (".", "O")],
            [
                ("B-52", "B-product_weapon"),
                ("bombers", "O"),
                ("and", "O"),
                ("a", "O"),
                ("Ford", "B-product_car"),
                (".", "O"),
            ],
        ],
    }
    for name, rows in sentences.items():
        (folder / name).write_text(
            "\n\n".join("\n".join(f"{t}\t{tag}" for t, tag in s) for s in rows) + "\n", encoding="utf-8"
        )
    return folder
