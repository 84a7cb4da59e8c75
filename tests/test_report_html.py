import re
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from defence_ner.evaluation.error_browser import write_error_browser

CHROMIUM = Path("/usr/bin/chromium")


def doc(vocab, words, tags, doc_id):
    d = Doc(vocab, words=words, ents=tags)
    d.user_data["doc_id"] = doc_id
    return d


@pytest.fixture(scope="module")
def pairs():
    vocab = spacy.blank("en").vocab
    words1 = ["General", "Smith", "fired", "the", "AK-47", "near", "<Kabul>", "."]
    gold1 = doc(vocab, words1, ["O", "B-PERSON", "O", "O", "B-WEAPON", "O", "B-LOCATION", "O"], "bbc/1")
    # WEAPON found, PERSON span too wide (FP + FN), LOCATION missed (FN), "fired" spurious (FP)
    pred1 = doc(vocab, words1, ["B-PERSON", "I-PERSON", "B-WEAPON", "O", "B-WEAPON", "O", "O", "O"], "bbc/1")
    words2 = ["Operation", "Sindoor", "began", "on", "Wednesday", "."]
    gold2 = doc(vocab, words2, ["B-OPERATION", "I-OPERATION", "O", "O", "B-TEMPORAL", "O"], "centcom 2")
    pred2 = doc(vocab, words2, ["B-OPERATION", "I-OPERATION", "O", "O", "O", "O"], "centcom 2")
    return [(gold1, pred1), (gold2, pred2)]


@pytest.fixture(scope="module")
def browser(pairs, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "errors.html"
    write_error_browser(pairs, path, "Dev errors <test>")
    return path


class Tree(HTMLParser):
    """Elements as (tag, attrs, text inside), plus the page's scripts and external references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in {"meta", "link", "br", "input", "img"}:
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def find(self, tag, **attrs):
        return [e for e in self.elements if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())]


def parse(path) -> Tree:
    tree = Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    return tree


def test_parsed_page_lists_documents_errors_and_labels(browser):
    tree = parse(browser)
    sections = tree.find("section")
    assert [s["attrs"]["data-doc-id"] for s in sections] == ["bbc/1", "centcom 2"]
    assert [s["attrs"]["id"] for s in sections] == ["doc-bbc-1", "doc-centcom-2"]
    assert sections[0]["attrs"]["data-labels"] == "LOCATION PERSON WEAPON"
    assert sections[1]["attrs"]["data-labels"] == "TEMPORAL"
    assert "3 gold · 3 predicted · 2 FP · 2 FN" in " ".join(sections[0]["text"].split())
    assert "2 gold · 1 predicted · 0 FP · 1 FN" in " ".join(sections[1]["text"].split())

    lists = tree.find("div", **{"data-kind": "false_positives"}) + tree.find("div", **{"data-kind": "false_negatives"})
    assert len(lists) == 4
    fp1, fn1 = lists[0]["text"], lists[2]["text"]
    assert "PERSON" in fp1 and "General Smith" in fp1 and "WEAPON" in fp1 and "fired" in fp1
    assert "LOCATION" in fn1 and "<Kabul>" in fn1 and "Smith" in fn1
    assert "TEMPORAL" in lists[3]["text"] and "Wednesday" in lists[3]["text"]
    labelled = sorted(li["attrs"]["data-label"] for li in tree.find("li") if "data-label" in li["attrs"])
    assert labelled == ["LOCATION", "PERSON", "PERSON", "PERSON", "TEMPORAL", "WEAPON"]  # the near miss too

    options = [o["attrs"]["value"] for o in tree.find("option")]
    assert options == ["", "LOCATION", "OPERATION", "PERSON", "TEMPORAL", "WEAPON"]
    assert tree.find("select", id="label-filter")
    assert tree.find("title")[0]["text"] == "Dev errors <test>"
    assert [a["attrs"]["href"] for a in tree.find("a") if a["attrs"]["href"].startswith("#")][:2] == [
        "#doc-bbc-1",
        "#doc-centcom-2",
    ]


def test_page_escapes_text_and_is_self_contained(browser):
    raw = browser.read_text(encoding="utf-8")
    assert "<Kabul>" not in raw and "&lt;Kabul&gt;" in raw
    assert "<test>" not in raw
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", raw)
    assert "<link" not in raw and "@import" not in raw


def test_near_misses_are_listed_under_the_gold_label(browser):
    near = parse(browser).find("div", **{"data-kind": "near_misses"})
    assert "Smith (PERSON) → General Smith (PERSON): boundary" in " ".join(near[0]["text"].split())


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.fail("headless Chromium is needed at /usr/bin/chromium: apt-get install chromium")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)


def test_chromium_renders_entities_and_runs_the_filter_script(browser, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", browser.as_uri()).stdout
    assert len(re.findall(r'<mark class="entity"', dom)) == 3 + 3 + 2 + 1
    assert 'data-ready="1"' in dom and 'data-filter="all"' in dom
    assert "2 of 2 documents shown" in dom
    assert "&lt;Kabul&gt;" in dom


def test_chromium_label_filter_hides_other_documents_and_items(browser, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", browser.as_uri() + "?label=TEMPORAL").stdout
    assert 'data-filter="TEMPORAL"' in dom
    assert "1 of 2 documents shown" in dom
    assert re.search(r'<section [^>]*id="doc-bbc-1"[^>]*hidden', dom)
    assert not re.search(r'<section [^>]*id="doc-centcom-2"[^>]*hidden', dom)
    assert re.search(r'<li data-label="PERSON" hidden', dom)
    assert re.search(r'<li data-label="TEMPORAL">', dom)


def test_chromium_screenshot(browser, tmp_path):
    shot = tmp_path / "errors.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", browser.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 900)
