"""A self-contained HTML error browser: gold and predicted entities side by side, with each document's errors.

One file, no network: the CSS and the label filter's script are inline, the entities are drawn by spaCy's displacy.
"""

import html
import re
import warnings
from pathlib import Path

from spacy import displacy
from spacy.tokens import Doc

from defence_ner.evaluation.scoring import errors

ERROR_KINDS = (
    ("false_positives", "False positives", "predicted, not in gold"),
    ("false_negatives", "False negatives", "in gold, not predicted"),
    ("near_misses", "Near misses", "overlapping gold, wrong span or label"),
)

# Light, distinguishable backgrounds (dark text stays readable on all of them); assigned in sorted label order.
PALETTE = (
    "#7aecec",
    "#bfeeb7",
    "#feca74",
    "#ff9561",
    "#aa9cfc",
    "#c887fb",
    "#9cc9cc",
    "#ffeb80",
    "#ff8197",
    "#f0d0ff",
    "#bfe1d9",
    "#e4e7d2",
    "#c9d8ff",
    "#ffd1dc",
    "#d2f5a6",
    "#f5c6a5",
    "#b5e3ff",
    "#e0c8a0",
    "#cfcfcf",
    "#a8e6cf",
)


def document_errors(gold: Doc, pred: Doc) -> dict[str, list[dict]]:
    """scoring.errors with each near miss as one listed item: "gold text → predicted text (kind)" under the
    gold label."""
    found = errors(gold, pred)
    found["near_misses"] = [
        {
            **miss["pred"],
            "text": f"{miss['gold']['text']} ({miss['gold']['label']}) → "
            f"{miss['pred']['text']} ({miss['pred']['label']}): {miss['kind']}",
            "label": miss["gold"]["label"],
        }
        for miss in found["near_misses"]
    ]
    return found


def label_colors(labels) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(sorted(labels))}


def _anchor(doc_id, taken: set[str]) -> str:
    """A stable element id from the document id: the same id gives the same anchor on every run."""
    base = "doc-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", str(doc_id)).strip("-") or "unnamed")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _render(doc: Doc, colors: dict[str, str]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # W006: a document without entities is normal here
        return displacy.render(doc, style="ent", page=False, jupyter=False, options={"colors": colors})


def _error_list(kind: str, heading: str, hint: str, items: list[dict], colors: dict[str, str]) -> str:
    esc = html.escape
    rows = "".join(
        f'<li data-label="{esc(str(item["label"]))}">'
        f'<span class="tag" style="background: {colors.get(str(item["label"]), "#eee")}">'
        f"{esc(str(item['label']))}</span> "
        f"<q>{esc(str(item['text']))}</q> "
        f'<span class="chars">[{int(item["start_char"])}:{int(item["end_char"])}]</span></li>'
        for item in items
    )
    body = f'<ul class="errors">{rows}</ul>' if items else '<p class="none">none</p>'
    return (
        f'<div class="error-list {esc(kind)}" data-kind="{esc(kind)}">'
        f'<h3>{esc(heading)} <span class="count">{len(items)}</span> <small>{esc(hint)}</small></h3>{body}</div>'
    )


def _doc_section(anchor: str, doc_id, gold: Doc, pred: Doc, errs: dict, colors: dict[str, str]) -> str:
    esc = html.escape
    fp, fn = errs.get("false_positives", []), errs.get("false_negatives", [])
    error_labels = sorted({str(item["label"]) for kind, _, _ in ERROR_KINDS for item in errs.get(kind, [])})
    summary = (
        f'<span class="n-gold">{len(gold.ents)}</span> gold · <span class="n-pred">{len(pred.ents)}</span> predicted · '
        f'<span class="n-fp">{len(fp)}</span> FP · <span class="n-fn">{len(fn)}</span> FN'
    )
    if errs.get("near_misses"):
        summary += f' · <span class="n-near">{len(errs["near_misses"])}</span> near misses'
    lists = "".join(
        _error_list(kind, heading, hint, errs[kind], colors) for kind, heading, hint in ERROR_KINDS if kind in errs
    )
    return (
        f'<section class="doc" id="{esc(anchor)}" data-doc-id="{esc(str(doc_id))}" '
        f'data-labels="{esc(" ".join(error_labels))}" '
        f'data-errors="{len(fp) + len(fn)}">'
        f'<h2><a href="#{esc(anchor)}">{esc(str(doc_id))}</a></h2>'
        f'<p class="summary">{summary}</p>'
        f'<div class="pair"><div class="side gold"><h3>Gold</h3>{_render(gold, colors)}</div>'
        f'<div class="side pred"><h3>Predicted</h3>{_render(pred, colors)}</div></div>'
        f'<div class="lists">{lists}</div></section>'
    )


CSS = """
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: #fafafa;
}
header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ddd; padding: 0.6em 1.2em; z-index: 1; }
header h1 { font-size: 1.3em; margin: 0 0 0.3em; }
header label { font-weight: 600; }
main { padding: 0.5em 1.2em 2em; }
nav.index { font-size: 0.85em; margin: 0.5em 0 1em; line-height: 1.8; }
nav.index a { margin-right: 0.8em; color: #245; }
section.doc { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.6em 1em; margin: 0 0 1em; }
section.doc h2 { font-size: 1.05em; margin: 0.2em 0; }
section.doc h2 a { color: inherit; text-decoration: none; }
.summary { margin: 0.2em 0 0.6em; color: #555; font-size: 0.9em; }
.summary span { font-weight: 700; color: #222; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
@media (max-width: 800px) { .pair { grid-template-columns: 1fr; } }
.side { border: 1px solid #eee; border-radius: 4px; padding: 0 0.6em; min-width: 0; }
.side h3, .error-list h3 {
  font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; color: #666; margin: 0.5em 0 0.2em;
}
.side.gold h3 { color: #2a6b2a; }
.side.pred h3 { color: #2a4a8b; }
.lists { display: grid; grid-template-columns: repeat(auto-fit, minmax(16em, 1fr)); gap: 0 1em; }
.error-list small { text-transform: none; letter-spacing: 0; color: #999; font-weight: normal; }
.error-list .count { color: #222; }
.false_positives h3 { color: #a33; }
.false_negatives h3 { color: #a60; }
ul.errors { margin: 0.2em 0 0.5em; padding-left: 1.2em; font-size: 0.9em; }
ul.errors li { margin: 0.15em 0; }
.tag { font-size: 0.75em; font-weight: 700; padding: 0.1em 0.4em; border-radius: 0.3em; background: #eee; }
.chars { color: #999; font-size: 0.8em; }
.none { color: #999; font-size: 0.85em; margin: 0.2em 0 0.5em; }
.side mark.entity { white-space: nowrap; }
[hidden] { display: none !important; }
"""

SCRIPT = """
(function () {
  var select = document.getElementById("label-filter");
  var docs = Array.prototype.slice.call(document.querySelectorAll("section.doc"));
  var links = Array.prototype.slice.call(document.querySelectorAll("nav.index a"));
  var count = document.getElementById("visible-count");
  function apply() {
    var label = select.value;
    var shown = 0;
    docs.forEach(function (doc) {
      var labels = (doc.getAttribute("data-labels") || "").split(" ");
      var visible = !label || labels.indexOf(label) >= 0;
      doc.hidden = !visible;
      if (visible) { shown += 1; }
      doc.querySelectorAll("li[data-label]").forEach(function (li) {
        li.hidden = !!label && li.getAttribute("data-label") !== label;
      });
    });
    links.forEach(function (a) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      a.hidden = !!target && target.hidden;
    });
    count.textContent = shown + " of " + docs.length + " documents shown";
    document.body.setAttribute("data-filter", label || "all");
  }
  var wanted = new URLSearchParams(window.location.search).get("label");
  if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
    select.value = wanted;
  }
  select.addEventListener("change", apply);
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""


def write_error_browser(pairs: list[tuple[Doc, Doc]], path: Path, title: str) -> None:
    """Write one self-contained HTML page browsing gold against predicted entities, document by document.

    pairs: (gold, predicted) docs over the same text; the doc id is gold.user_data["doc_id"], else the index.
    Errors are strict (same span and label), from scoring.errors.
    """
    esc = html.escape
    rows = []
    for i, (gold, pred) in enumerate(pairs):
        errs = document_errors(gold, pred)
        rows.append((gold.user_data.get("doc_id", i), gold, pred, errs))
    labels = set()
    for _, gold, pred, errs in rows:
        labels.update(e.label_ for e in gold.ents)
        labels.update(e.label_ for e in pred.ents)
        labels.update(str(item["label"]) for kind, _, _ in ERROR_KINDS for item in errs.get(kind, []))
    colors = label_colors(labels)

    taken: set[str] = set()
    sections, index = [], []
    for doc_id, gold, pred, errs in rows:
        anchor = _anchor(doc_id, taken)
        sections.append(_doc_section(anchor, doc_id, gold, pred, errs, colors))
        n_err = len(errs.get("false_positives", [])) + len(errs.get("false_negatives", []))
        index.append(f'<a href="#{esc(anchor)}">{esc(str(doc_id))} ({n_err})</a>')

    options = '<option value="">all labels</option>' + "".join(
        f'<option value="{esc(label)}">{esc(label)}</option>' for label in sorted(labels)
    )
    totals = {kind: sum(len(errs.get(kind, [])) for *_, errs in rows) for kind, _, _ in ERROR_KINDS}
    near = f", {totals['near_misses']} near misses" if totals["near_misses"] else ""
    note = " (strict: same span and label)"
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{esc(title)}</h1>
<label for="label-filter">Errors of label</label>
<select id="label-filter">{options}</select>
<span id="visible-count">{len(rows)} documents</span>
· {sum(len(g.ents) for _, g, _, _ in rows)} gold, {sum(len(p.ents) for _, _, p, _ in rows)} predicted,
{totals["false_positives"]} FP, {totals["false_negatives"]} FN{near}{note}
</header>
<main>
<nav class="index">{" ".join(index)}</nav>
{"".join(sections)}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
