"""The meta.json that `spacy package` builds the en_defence_ner wheel with."""

from .metrics import load_scores

LICENSE = "CC BY-NC 3.0 (inherited from the BBC Online part of re3d; non-commercial use only)"


def build_meta(
    model_meta: dict, name: str, version: str, encoder: str, doc_scores_path, published_scores_path, sources: dict
) -> dict:
    """Merge the trained pipeline's meta with test scores, data sources, licences and the encoder."""
    doc = load_scores(doc_scores_path)
    published = load_scores(published_scores_path)
    source_list = [
        {"name": f"{info['name']}: {part}", "url": info["url"], "license": licence}
        for info in sources.values()
        for part, licence in info["licenses"].items()
    ]
    licences = "; ".join(f"{s['name']}: {s['license']}" for s in source_list)
    description = (
        "Named-entity recognition for defence and security text: weapons, military platforms, vehicles, "
        "organisations, people, locations, nationalities, dates, quantities, money, document references, "
        f"communications identifiers, frequencies, coordinates, URLs and operations. Encoder: {encoder}. "
        f"Test micro F {doc['f']:.3f} on held-out re3d documents; {published['f']:.3f} on the published "
        "re3d sentence split (same recipe trained on that split's train file). "
        "Trained on data under these licences: "
        f"{licences}. Because the BBC Online part of re3d is CC BY-NC 3.0, this model is for non-commercial use only."
    )
    return model_meta | {
        "name": name,
        "version": version,
        "description": description,
        "license": LICENSE,
        "sources": source_list,
        "encoder": encoder,
        "performance": {"ents_p": doc["p"], "ents_r": doc["r"], "ents_f": doc["f"], "ents_per_type": doc["per_type"]},
        "evaluation": {
            "document_level_test": doc,
            "published_sentence_split_test": published,
        },
    }
