import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest
import spacy
from spacy.tokens import Doc

from defence_ner.evaluation.error_browser import label_colors, write_error_browser

CHROMIUM_HINT = "headless Chromium is needed to render the page: apt-get install chromium"
# The labels of the pairs below, so their highlight colours as the page assigns them.
COLORS = label_colors(["LOCATION", "OPERATION", "PERSON", "TEMPORAL", "WEAPON"])


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


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    """Run headless Chromium with a new empty profile; skip the test (with the install hint) where there is none."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(CHROMIUM_HINT)
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    command = [
        executable,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)


def test_without_chromium_the_browser_tests_skip_with_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        chromium(tmp_path, "--dump-dom", "about:blank")


def marks(dom: str) -> list[tuple[str, str, str]]:
    """(background colour, text, label) of each highlighted entity in a DOM dump."""
    found = re.findall(
        r'<mark class="entity" style="background: ([^;"]+);[^"]*">(.*?)<span[^>]*>(.*?)</span>', dom, re.S
    )
    return [(color, " ".join(text.split()), label.strip()) for color, text, label in found]


def test_chromium_renders_entities_and_runs_the_filter_script(browser, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", browser.as_uri()).stdout
    shown = marks(dom)
    assert len(shown) == 3 + 3 + 2 + 1
    # A known entity, highlighted in its label's colour, in gold and in predicted.
    assert shown.count((COLORS["WEAPON"], "AK-47", "WEAPON")) == 2
    assert (COLORS["LOCATION"], "&lt;Kabul&gt;", "LOCATION") in shown
    assert (COLORS["OPERATION"], "Operation Sindoor", "OPERATION") in shown
    assert 'data-ready="1"' in dom and 'data-filter="all"' in dom
    assert "2 of 2 documents shown" in dom


def test_chromium_label_filter_hides_other_documents_and_items(browser, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", browser.as_uri() + "?label=TEMPORAL").stdout
    assert 'data-filter="TEMPORAL"' in dom
    assert "1 of 2 documents shown" in dom
    assert re.search(r'<section [^>]*id="doc-bbc-1"[^>]*hidden', dom)
    assert not re.search(r'<section [^>]*id="doc-centcom-2"[^>]*hidden', dom)
    assert re.search(r'<li data-label="PERSON" hidden', dom)
    assert re.search(r'<li data-label="TEMPORAL">', dom)


def screenshot(tmp_path, uri: str):
    """The page as Chromium paints it in a 1200x900 window, as an RGB image."""
    image = pytest.importorskip("PIL.Image")
    shot = tmp_path / f"shot-{len(list(tmp_path.glob('shot-*')))}.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", uri)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 900)
    return image.open(shot).convert("RGB")


def highlighted_pixels(picture, color: str) -> int:
    """How many pixels have exactly the highlight colour "#rrggbb"."""
    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return dict((c, n) for n, c in picture.getcolors(maxcolors=1 << 24)).get(rgb, 0)


# The first document (PERSON, WEAPON, LOCATION in gold and predicted) is within the first 900 pixels.
SHOWN_FIRST = ("PERSON", "WEAPON", "LOCATION")


def test_chromium_screenshot_shows_the_entity_highlights(browser, tmp_path):
    picture = screenshot(tmp_path, browser.as_uri())
    for label in SHOWN_FIRST:
        assert highlighted_pixels(picture, COLORS[label]) > 300, label
    assert len(picture.getcolors(maxcolors=1 << 24)) > 50  # text, borders and highlights, not a blank page


def test_the_screenshot_check_rejects_a_blank_page(tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    picture = screenshot(tmp_path, blank.as_uri())
    assert all(highlighted_pixels(picture, COLORS[label]) == 0 for label in SHOWN_FIRST)
