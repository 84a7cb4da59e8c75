"""Turn character-offset annotations into a spaCy Doc's entities, counting every span that is not kept.

Policy, applied in this order to the spans of one document:
1. label mapping: a source label mapped to "drop" is dropped (reason "label_dropped_by_mapping");
2. confidence: spans below the threshold are dropped ("low_confidence");
3. whitespace: surrounding whitespace is stripped (repair "stripped_whitespace"); a span that is
   empty after that, or that crosses a line break, is dropped ("empty_span", "crosses_line_break");
4. alignment to tokens: a span that does not start and end on token boundaries is expanded to the
   tokens it touches (repair "expanded_to_token_boundaries");
5. overlaps: spans are taken by highest confidence, then longest, then earliest start, then label
   name; a span overlapping one already taken is dropped, with the rule that decided it
   ("overlap_lower_confidence", "overlap_shorter", "overlap_tie").
"""

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .report import KEPT, RAW, ConversionReport
from .schema import DROP


@dataclass(frozen=True)
class SourceSpan:
    start: int
    end: int
    label: str  # the source corpus's label, before mapping
    confidence: float = 1.0


def set_entities(
    doc: Doc,
    spans: Iterable[SourceSpan],
    mapping: dict[str, str],
    min_confidence: float,
    report: ConversionReport,
    source: str,
) -> Doc:
    """Set doc.ents from spans under the module's policy; every span is counted in the report."""
    candidates: list[tuple[SourceSpan, Span]] = []
    for span in spans:
        report.count(source, RAW, span.label)
        target = mapping[span.label]
        if target == DROP:
            report.drop(source, "label_dropped_by_mapping", span.label)
            continue
        if span.confidence < min_confidence:
            report.drop(source, "low_confidence", span.label)
            continue
        token_span = _align(doc, span, target, report, source)
        if token_span is not None:
            candidates.append((span, token_span))

    kept: list[tuple[SourceSpan, Span]] = []
    by_priority = sorted(candidates, key=lambda c: (-c[0].confidence, -len(c[1].text), c[1].start_char, c[1].label_))
    for span, token_span in by_priority:
        blocker = next((k for k in kept if token_span.start < k[1].end and k[1].start < token_span.end), None)
        if blocker is None:
            kept.append((span, token_span))
            report.count(source, KEPT, span.label)
        elif span.confidence < blocker[0].confidence:
            report.drop(source, "overlap_lower_confidence", span.label)
        elif len(token_span.text) < len(blocker[1].text):
            report.drop(source, "overlap_shorter", span.label)
        else:
            report.drop(source, "overlap_tie", span.label)
    doc.ents = sorted((token_span for _, token_span in kept), key=lambda s: s.start)
    return doc


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
    token_span = doc.char_span(start, end, label=target, alignment_mode="strict")
    if token_span is None:
        token_span = doc.char_span(start, end, label=target, alignment_mode="expand")
        report.repair(source, "expanded_to_token_boundaries", span.label)
    return token_span
