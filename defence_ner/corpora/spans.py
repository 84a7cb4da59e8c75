"""Turn character-offset annotations into a spaCy Doc's entities, counting every span that is not kept.

Policy, applied in this order to the spans of one document:
1. label mapping: a label mapped to "drop" is dropped ("mapped_to_drop": its tokens are outside any
   entity); one mapped to "missing" is dropped and its tokens left unannotated ("mapped_to_missing");
   an unmapped label is an error, or dropped ("unmapped_label") if the source drops unknown labels;
2. confidence: spans below the source's threshold are dropped ("low_confidence");
3. whitespace: surrounding whitespace is stripped (repair "stripped_whitespace"); a span that is
   empty after that, or that crosses a line break, is dropped ("empty_span", "crosses_line_break");
4. alignment to tokens: a span that does not start and end on token boundaries is expanded to the
   tokens it touches (repair "expanded_to_token_boundaries");
5. overlaps: spans are taken by highest confidence, then longest, then earliest start, then label
   name; a span overlapping one already taken is dropped, with the rule that decided it
   ("overlap_lower_confidence", "overlap_shorter", "overlap_tie").
Tokens outside the kept spans are O, except in a partially labelled source, where they are
missing (spaCy's "-"), so that the model is not taught that an unannotated type is no entity;
there, only the tokens of spans mapped to "drop" are O.
A document none of whose spans has a label in source.keep_documents_with (when given) is marked
doc.user_data["left_out"], and all its spans are counted as dropped ("document_left_out").
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
    candidates: list[tuple[SourceSpan, Span]] = []
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
        elif (token_span := _align(doc, span, target, report, name)) is None:
            continue
        elif target == MISSING:
            report.drop(name, "mapped_to_missing", span.label)
            missing.append(token_span)
        else:
            candidates.append((span, token_span))

    kept: list[tuple[SourceSpan, Span]] = []
    by_priority = sorted(candidates, key=lambda c: (-c[0].confidence, -len(c[1].text), c[1].start_char, c[1].label_))
    for span, token_span in by_priority:
        blocker = next((k for k in kept if _overlap(token_span, k[1])), None)
        if blocker is None:
            kept.append((span, token_span))
            report.count(name, KEPT, span.label)
        elif span.confidence < blocker[0].confidence:
            report.drop(name, "overlap_lower_confidence", span.label)
        elif len(token_span.text) < len(blocker[1].text):
            report.drop(name, "overlap_shorter", span.label)
        else:
            report.drop(name, "overlap_tie", span.label)
    entities = sorted((token_span for _, token_span in kept), key=lambda s: s.start)
    unknown = [m for m in missing if not any(_overlap(m, e) for e in entities)]
    not_entities = [o for o in outside if not any(_overlap(o, e) for e in entities + unknown)]
    doc.set_ents(entities, missing=unknown, outside=not_entities, default="missing" if source.partial else "outside")
    return doc


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _align(doc: Doc, span: SourceSpan, target: str, report: ConversionReport, source: str) -> Span | None:
    text = doc.text[span.start : span.end]
    start = span.start + (len(text) - len(text.lstrip()))
    end = span.end - (len(text) - len(text.rstrip()))
    if start >= end:
        report.drop(source, "empty_span", span.label)
        return None
    if (start, end) != (span.start, span.end):
        report.repair(source, "stripped_whitespace", span.label)
    if "\n" in doc.text[start:end]:
        report.drop(source, "crosses_line_break", span.label)
        return None
    label = "" if target == MISSING else target
    token_span = doc.char_span(start, end, label=label, alignment_mode="strict")
    if token_span is None:
        token_span = doc.char_span(start, end, label=label, alignment_mode="expand")
        report.repair(source, "expanded_to_token_boundaries", span.label)
    return token_span
