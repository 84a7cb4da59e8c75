"""Turn character-offset annotations into a spaCy Doc's entities, counting every span that is not kept.

Policy, applied in this order to the spans of one document:
1. label mapping: a label mapped to "drop" is dropped ("mapped_to_drop": its tokens are outside any
   entity); one mapped to "missing" is dropped and its tokens left unannotated ("mapped_to_missing");
   an unmapped label is an error, or dropped ("unmapped_label") if the source drops unknown labels;
2. confidence: spans below the source's threshold are dropped ("low_confidence");
3. whitespace: surrounding whitespace is stripped (repair "stripped_whitespace"); a span that is
   empty after that, or that crosses a line break, is dropped ("empty_span", "crosses_line_break");
4. alignment to tokens: a span that does not start and end on token boundaries is expanded to the
   tokens it touches (repair "expanded_to_token_boundaries"), unless that would more than double
   it: then it is dropped ("expansion_too_long"). Several spans inside one token (a run of Chinese
   or Japanese characters, which the English tokenizer keeps whole) would otherwise all become
   that token; under this rule at most one of several disjoint spans inside a token can take it;
5. overlaps: spans that needed no expansion are taken first, so that a mis-offset span grown to
   token boundaries never displaces an exact one; then highest confidence, longest, earliest start,
   label name. A span overlapping one already taken is dropped, with the rule that decided it
   ("overlap_repaired_span", "overlap_lower_confidence", "overlap_shorter", "overlap_tie").
Tokens outside the kept spans are O, except in a partially labelled source, where they are
missing (spaCy's "-"), so that the model is not taught that an unannotated type is no entity;
there, only the tokens of spans mapped to "drop" are O.
A document none of whose spans has a label in source.keep_documents_with (when given) is marked
doc.user_data["left_out"], and all its spans are counted as dropped ("document_left_out").
The work is linear in the document's length and its number of spans: spaCy rebuilds Doc.text from
every token each time it is read, so it is read once per document, and overlaps are found through
the tokens each kept span holds rather than by comparing every pair.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from defence_ner.corpora.conversion_report import KEPT, RAW, ConversionReport
from defence_ner.corpora.manifest import Source, stratum
from defence_ner.corpora.schema import DROP, MISSING


@dataclass(frozen=True)
class SourceSpan:
    start: int
    end: int
    label: str  # the source corpus's label, before mapping
    confidence: float = 1.0
    where: str = ""  # file:line, to locate an unmapped label


def set_entities(doc: Doc, spans: Iterable[SourceSpan], source: Source, report: ConversionReport) -> Doc:
    """Set doc's entity annotation from spans under the module's policy; every span is counted in the
    report under the doc's stratum (its source, or the part of it such as a re3d folder)."""
    name = stratum(doc)
    spans = list(spans)
    if source.keep_documents_with and not any(span.label in source.keep_documents_with for span in spans):
        for span in spans:
            report.count(name, RAW, span.label)
            report.drop(name, "document_left_out", span.label)
        doc.user_data["left_out"] = True
        return doc
    text = doc.text  # read once: spaCy rebuilds it from every token on each read
    candidates: list[tuple[SourceSpan, Span, bool]] = []  # (span, token span, expanded)
    missing: list[Span] = []
    outside: list[Span] = []
    for span in spans:
        target = source.map_label(span.label, span.where)
        report.count(name, RAW, span.label)
        if target is None:
            report.drop(name, "unmapped_label", span.label)
        elif target == DROP:
            report.drop(name, "mapped_to_drop", span.label)
            if source.partial and (token_span := doc.char_span(span.start, span.end, alignment_mode="contract")):
                outside.append(token_span)
        elif span.confidence < source.min_confidence:
            report.drop(name, "low_confidence", span.label)
        elif (aligned := _align(doc, text, span, target, report, name)) is None:
            continue
        elif target == MISSING:
            report.drop(name, "mapped_to_missing", span.label)
            missing.append(aligned[0])
        else:
            candidates.append((span, *aligned))

    kept: list[tuple[SourceSpan, Span, bool]] = []
    holder: list[int | None] = [None] * len(doc)  # per token, the index in kept of the span holding it
    by_priority = sorted(
        candidates, key=lambda c: (c[2], -c[0].confidence, -_length(c[1]), c[1].start_char, c[1].label_)
    )
    for span, token_span, expanded in by_priority:
        holders = [holder[i] for i in range(token_span.start, token_span.end) if holder[i] is not None]
        if not holders:
            holder[token_span.start : token_span.end] = [len(kept)] * len(token_span)
            kept.append((span, token_span, expanded))
            report.count(name, KEPT, span.label)
            continue
        blocker, blocker_span, blocker_expanded = kept[min(holders)]  # the first taken, as ranked
        if expanded and not blocker_expanded:
            report.drop(name, "overlap_repaired_span", span.label)
        elif span.confidence < blocker.confidence:
            report.drop(name, "overlap_lower_confidence", span.label)
        elif _length(token_span) < _length(blocker_span):
            report.drop(name, "overlap_shorter", span.label)
        else:
            report.drop(name, "overlap_tie", span.label)
    entities = sorted((token_span for _, token_span, _ in kept), key=lambda s: s.start)
    taken = bytearray(len(doc))  # tokens of an entity, then also of a missing span
    for entity in entities:
        taken[entity.start : entity.end] = b"\x01" * len(entity)
    unknown = [m for m in missing if not any(taken[m.start : m.end])]
    for span in unknown:
        taken[span.start : span.end] = b"\x01" * len(span)
    not_entities = [o for o in outside if not any(taken[o.start : o.end])]
    doc.set_ents(entities, missing=unknown, outside=not_entities, default="missing" if source.partial else "outside")
    return doc


def _length(span: Span) -> int:
    return span.end_char - span.start_char


def _align(
    doc: Doc, text: str, span: SourceSpan, target: str, report: ConversionReport, source: str
) -> tuple[Span, bool] | None:
    """The token span for span (text is doc.text) and whether it had to be expanded, or None if it is dropped."""
    raw = text[span.start : span.end]
    start = span.start + (len(raw) - len(raw.lstrip()))
    end = span.end - (len(raw) - len(raw.rstrip()))
    if start >= end:
        report.drop(source, "empty_span", span.label)
        return None
    if (start, end) != (span.start, span.end):
        report.repair(source, "stripped_whitespace", span.label)
    if "\n" in text[start:end]:
        report.drop(source, "crosses_line_break", span.label)
        return None
    label = "" if target == MISSING else target
    token_span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if token_span is not None:
        return token_span, False
    token_span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if _length(token_span) > 2 * (end - start):
        report.drop(source, "expansion_too_long", span.label)
        return None
    report.repair(source, "expanded_to_token_boundaries", span.label)
    return token_span, True
