"""The static slide decks (`make slides`, tools/make_slides.py) in headless Chromium, as a lecturer shows them.

Each chapter's deck `_build/slides/NN_name.slides.html` is served on 127.0.0.1 and stepped through from its first
slide to its last with Reveal.next() (what the right-arrow key does: every fragment, every slide). Per deck: math
typeset by MathJax 2 with no raw TeX left ($..$, \\( \\), \\frac ...), no raw MyST ({doc}`..`, ```{exercise},
:::{hint}, :label:), no solution, every figure loaded and every widget snapshot rendered, no request outside the
local server, no console error, and every slide inside the 1280x720 canvas (nothing below its bottom edge, no code
that scrolls sideways). A screenshot of each deck's tallest slide goes to _build/slides_screenshots/ (and of every
slide with SLIDES_SCREENSHOTS=all).

The tests skip when no decks have been made, unless REQUIRE_BUILD=1 (set by .ci/run). SLIDES_DIR points them at
decks made elsewhere (`python tools/make_slides.py BUILD_DIR OUT_DIR`).
"""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import RAW_TEX_PATTERNS, BrowserRecord, StaticServer, open_offline_page, require

ROOT = Path(__file__).resolve().parents[2]
SLIDES = Path(os.environ.get("SLIDES_DIR") or ROOT / "_build" / "slides").resolve()
CHAPTERS = sorted(path.stem for path in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
# The canvas tools/make_slides.py gives reveal.js: what a 1280x720 projector shows, scaled to the window.
WIDTH, HEIGHT = 1280, 720
SETTLE_TIMEOUT_MS = 60_000
# MyST that must not reach a slide: a role, a colon fence, a directive's option line, a (label)= target.
RAW_MYST_PATTERNS = [r"\{[a-z][\w:+-]*\}", r":::", r"^\s*:(label|class|name|nonumber|open):", r"\([\w:.-]+\)="]

_STEP_JS = r"""
async ({rawTexPatterns, rawMystPatterns, timeoutMs, shots}) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const deadline = Date.now() + timeoutMs;
  const typeset = () => Promise.race([new Promise((r) => MathJax.Hub.Queue(r)), sleep(timeoutMs)]);
  const result = {mathjaxLoaded: typeof window.MathJax === "object" && !!window.MathJax.Hub};
  if (result.mathjaxLoaded) await typeset();

  // Math: every TeX script MathJax found has its rendered frame; no error boxes, no undefined macros.
  const scripts = [...document.querySelectorAll('script[type^="math/tex"]')];
  result.mathScripts = scripts.length;
  result.untypesetMath = scripts.filter((s) => !document.getElementById(s.id + "-Frame"))
    .map((s) => s.textContent.slice(0, 80));
  result.mathErrors = [...document.querySelectorAll(".mjx-merror, .MathJax_Error")]
    .map((el) => el.textContent.slice(0, 80));
  result.mathErrors.push(...[...document.querySelectorAll(".MathJax_CHTML .mjx-mtext")]
    .filter((el) => el.textContent.startsWith("\\")).map((el) => `undefined macro ${el.textContent}`));

  // Text a reader sees (code, scripts and MathJax's output excluded): raw TeX anywhere, raw MyST in markdown.
  const skip = "pre, code, script, style, .MathJax_CHTML, .MJX_Assistive_MathML, .MathJax_Preview, .MathJax_Error";
  const textOf = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent && !parent.closest(skip)) texts.push(node.textContent);
    }
    return texts.join(" ");
  };
  const found = (text, patterns, flags) => patterns.map((p) => {
    const m = text.match(new RegExp(p, flags));
    if (!m) return null;
    const i = Math.max(0, m.index - 30);
    return text.slice(i, m.index + m[0].length + 30).replace(/\s+/g, " ");
  }).filter(Boolean);
  result.rawTex = found(textOf(document.querySelector(".reveal .slides")), rawTexPatterns, "");
  const markdown = [...document.querySelectorAll(".jp-RenderedMarkdown")];
  result.rawMyst = [];
  for (const cell of markdown) result.rawMyst.push(...found(textOf(cell), rawMystPatterns, "m"));
  // A directive fence that was not translated renders as a code block whose language is "{name}".
  result.rawMyst.push(...[...document.querySelectorAll(".jp-RenderedMarkdown code")]
    .filter((c) => /language-\{/.test(c.className)).map((c) => c.className + ": " + c.textContent.slice(0, 60)));
  result.markdownCells = markdown.length;

  // Figures and widget snapshots.
  const imgs = [...document.querySelectorAll(".reveal img")];
  await Promise.race([Promise.all(imgs.map((img) => img.complete ? null : new Promise((r) => {
    img.addEventListener("load", r, {once: true}); img.addEventListener("error", r, {once: true});
  }))), sleep(Math.max(0, deadline - Date.now()))]);
  result.images = imgs.length;
  result.brokenImages = imgs.filter((img) => !(img.complete && img.naturalWidth > 0))
    .map((img) => (img.getAttribute("src") || "").slice(0, 80));
  result.imagesWithoutAlt = imgs.filter((img) => img.closest(".jp-RenderedImage") && !img.getAttribute("alt")).length;
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  result.widgetViews = views.length;
  const rendered = () => views.filter((s) => {
    const prev = s.previousElementSibling;
    return prev && prev.classList.contains("widget-subarea") && prev.children.length > 0;
  }).length;
  while (rendered() < views.length && Date.now() < deadline) await sleep(100);
  result.widgetsRendered = rendered();
  // A widget inside a snapshot that failed to render shows the renderer's error box instead.
  result.widgetErrors = [...document.querySelectorAll(".jupyter-widgets-error-widget")]
    .map((el) => el.textContent.trim().slice(0, 160));

  // Step through the deck as the right-arrow key does; measure each slide as it is shown (fragments take their
  // place in the layout before they appear, so the first view of a slide is its full height).
  Reveal.slide(0, 0, -1);
  result.totalSlides = Reveal.getTotalSlides();
  result.slides = [];
  const seen = new Set();
  // A slide's math is re-rendered when it is shown (MathJax 2 measured it while hidden): wait until every
  // formula on it has its rendered frame again, twice in a row.
  const settled = async (slide) => {
    await typeset();
    const until = Date.now() + 10000;
    const ready = () => [...slide.querySelectorAll('script[type^="math/tex"]')]
      .filter((s) => !s.closest("aside.notes"))
      .every((s) => { const f = document.getElementById(s.id + "-Frame"); return f && f.offsetWidth > 0; });
    for (let ok = 0; ok < 2 && Date.now() < until; await sleep(50)) ok = ready() ? ok + 1 : 0;
  };
  for (let step = 0; step < 10000; step++) {
    const slide = Reveal.getCurrentSlide();
    await settled(slide);
    const {h, v} = Reveal.getIndices();
    const key = `${h}/${v}`;
    if (!seen.has(key)) {
      seen.add(key);
      // Where the lowest cell ends, in the canvas' own pixels (the canvas is scaled to the window). Cells, not
      // every element: the lines of a long code cell below its scrolling box are clipped, not off the slide.
      const scale = Reveal.getScale();
      const top = slide.getBoundingClientRect().top;
      let bottom = 0;
      for (const el of slide.querySelectorAll(".jp-Cell")) {
        if (el.closest("aside.notes")) continue;
        const box = el.getBoundingClientRect();
        if (box.height > 0) bottom = Math.max(bottom, (box.bottom - top) / scale);
      }
      const wide = [...slide.querySelectorAll("pre, table")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent.trim().slice(0, 60));
      const words = slide.textContent.replace(/\s+/g, " ").trim();
      result.slides.push({index: key, bottom: Math.round(bottom), wide, title: words.slice(0, 70)});
      if (shots === "all") await window.__slideShot(key);
    }
    if (Reveal.isLastSlide() && !Reveal.availableFragments().next) break;
    Reveal.next();
  }
  return result;
}
"""


# The current slide's formulas are all rendered (after the re-rendering that showing a slide starts).
_MATH_SHOWN_JS = """() => [...Reveal.getCurrentSlide().querySelectorAll('script[type^="math/tex"]')]
  .filter((s) => !s.closest("aside.notes"))
  .every((s) => { const f = document.getElementById(s.id + "-Frame"); return f && f.offsetWidth > 0; })"""


@dataclass
class DeckAudit(BrowserRecord):
    """What a lecturer stepping through one deck would notice; each *_problems() lists failed checks in words."""

    html: str = ""

    def math_problems(self):
        d = self.dom
        out = []
        if not d["mathjaxLoaded"]:
            out.append("MathJax did not load")
        if d["untypesetMath"]:
            out.append(f"{len(d['untypesetMath'])} formula(s) not typeset, e.g. {d['untypesetMath'][0]!r}")
        if d["mathErrors"]:
            out.append(f"MathJax errors: {d['mathErrors'][:5]}")
        if d["rawTex"]:
            out.append(f"raw TeX on a slide: {d['rawTex']}")
        return out

    def myst_problems(self):
        return [f"raw MyST on a slide: {text!r}" for text in self.dom["rawMyst"]]

    def fit_problems(self):
        out = []
        for slide in self.dom["slides"]:
            if slide["bottom"] > HEIGHT:
                out.append(f"slide {slide['index']} is {slide['bottom']}px tall (> {HEIGHT}): {slide['title']!r}")
            out += [f"slide {slide['index']}: scrolls sideways: {text!r}" for text in slide["wide"]]
        return out


@pytest.fixture(scope="session")
def slides_dir() -> Path:
    if not any(SLIDES.glob("*.slides.html")):
        require(f"no slide decks in {SLIDES}: run make slides", "REQUIRE_BUILD")
    return SLIDES


@pytest.fixture(scope="session")
def slides_server(slides_dir):
    with StaticServer(slides_dir) as server:
        yield server


@pytest.fixture(scope="session")
def deck_audit(browser, slides_dir, slides_server):
    """`deck_audit(chapter)`: the audit of one chapter's deck (loaded and stepped through once)."""
    cache = {}
    shots_dir = slides_dir.parent / "slides_screenshots"
    shots = os.environ.get("SLIDES_SCREENSHOTS", "tallest")

    def audit(chapter: str) -> DeckAudit:
        if chapter not in cache:
            path = slides_dir / f"{chapter}.slides.html"
            if not path.is_file():
                pytest.fail(f"chapter {chapter} has no deck {path.name}", pytrace=False)
            cache[chapter] = audit_deck(browser, slides_server, path, shots_dir, shots)
        return cache[chapter]

    return audit


def audit_deck(browser, server, path: Path, shots_dir: Path, shots: str = "tallest") -> DeckAudit:
    """Open one deck (served by `server`), step through it and record what a lecturer would notice."""
    chapter = path.name.removesuffix(".slides.html")
    url = server.url(path.name)
    deck = DeckAudit(url=url, html=path.read_text(encoding="utf-8"))
    context, page = open_offline_page(browser, server.url("").rstrip("/"), deck,
                                      viewport={"width": WIDTH, "height": HEIGHT})
    if shots == "all":
        shots_dir.mkdir(parents=True, exist_ok=True)
    page.expose_function("__slideShot", lambda key: page.screenshot(
        path=str(shots_dir / f"{chapter}__{key.replace('/', '-')}.png")))
    try:
        page.goto(url, wait_until="load", timeout=SETTLE_TIMEOUT_MS)
        page.wait_for_function("window.Reveal && window.Reveal.isReady()", timeout=SETTLE_TIMEOUT_MS)
        deck.dom = page.evaluate(_STEP_JS, {"rawTexPatterns": RAW_TEX_PATTERNS, "shots": shots,
                                            "rawMystPatterns": RAW_MYST_PATTERNS, "timeoutMs": SETTLE_TIMEOUT_MS})
        if shots != "none" and deck.dom["slides"]:
            tallest = max(deck.dom["slides"], key=lambda s: s["bottom"])
            h, v = (int(i) for i in tallest["index"].split("/"))
            page.evaluate(f"Reveal.slide({h}, {v}, 1000)")
            page.evaluate("() => new Promise((r) => MathJax.Hub.Queue(r))")
            page.wait_for_function(_MATH_SHOWN_JS, timeout=SETTLE_TIMEOUT_MS)
            shots_dir.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots_dir / f"{chapter}__tallest.png"))
    finally:
        context.close()
    return deck


def _text(html):
    """A deck's words without its tags (code is highlighted span by span)."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def _solution_prose(chapter):
    """From each solution's prose in the chapter, its longest run of plain words (how it would read on a slide)."""
    notebook = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    runs, inside = [], False
    for cell in notebook["cells"]:
        text = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        inside = inside or "{solution-start}" in text
        if inside and text:
            prose = re.sub(r"(?s)^```\{solution-start\}.*?\n```", "", text)
            words = re.findall(r"[A-Za-z][A-Za-z ,]{30,}[A-Za-z]", prose)
            if words:
                runs.append(max(words, key=len))
        inside = inside and "{solution-end}" not in text
    return runs


def _built_notebook(chapter):
    path = ROOT / "_build" / "jupyter_execute" / "chapters" / f"{chapter}.ipynb"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def test_every_chapter_has_a_deck(slides_dir):
    missing = [c for c in CHAPTERS if not (slides_dir / f"{c}.slides.html").is_file()]
    assert missing == [], f"chapters without a deck in {slides_dir}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_math_is_typeset(deck_audit, chapter):
    deck = deck_audit(chapter)
    assert deck.math_problems() == [], deck.url
    assert deck.dom["mathScripts"] > 0, f"{deck.url}: no formula found: is the deck's MathJax configured?"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_raw_myst(deck_audit, chapter):
    deck = deck_audit(chapter)
    assert deck.dom["markdownCells"] > 0, deck.url
    assert deck.myst_problems() == [], deck.url


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_slide_fits_the_projector(deck_audit, chapter):
    deck = deck_audit(chapter)
    assert deck.fit_problems() == [], deck.url


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stepping_reaches_every_slide(deck_audit, chapter):
    """Reveal.next() from the first slide visits every slide; a chapter is more than a handful of slides."""
    deck = deck_audit(chapter)
    assert len(deck.dom["slides"]) == deck.dom["totalSlides"], deck.url
    assert deck.dom["totalSlides"] >= 8, f"{deck.url}: {deck.dom['totalSlides']} slides: is the slide metadata there?"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_figures_and_widget_snapshots(deck_audit, chapter):
    deck = deck_audit(chapter)
    d = deck.dom
    assert d["brokenImages"] == [], deck.url
    assert d["imagesWithoutAlt"] == 0, f"{deck.url}: figures without alt text (cell metadata mystnb.image.alt)"
    assert d["widgetsRendered"] == d["widgetViews"], f"{deck.url}: widget snapshots that did not render"
    assert d["widgetErrors"] == [], f"{deck.url}: a widget in a snapshot failed to render"
    built = _built_notebook(chapter)
    if built is not None:
        figures = sum("image/png" in o.get("data", {}) for c in built["cells"] for o in c.get("outputs", []))
        if figures:
            assert d["images"] > 0, f"{deck.url}: the chapter draws {figures} figures, the deck shows none"
        if "widgets" in built.get("metadata", {}):
            assert d["widgetViews"] > 0, f"{deck.url}: the chapter saved widgets, the deck shows none"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_request_leaves_the_server(deck_audit, chapter):
    deck = deck_audit(chapter)
    assert deck.network_problems() == [], deck.url


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_console_has_no_errors(deck_audit, chapter):
    deck = deck_audit(chapter)
    assert deck.console_problems() == [], deck.url


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_are_left_out(deck_audit, chapter):
    """A lecturer shows the exercise, not its answer: no solution code, solution prose or check cell."""
    deck = deck_audit(chapter)
    text = _text(deck.html)
    assert "BEGIN SOLUTION" not in text, f"{deck.url}: solution code on a slide"
    assert 'raise NotImplementedError("Exercise' not in text, f"{deck.url}: an answer cell (stubbed) on a slide"
    assert not re.search(r"check_exercise\(\s*\"ex-", text), f"{deck.url}: a check cell on a slide"
    shown = [run for run in _solution_prose(chapter) if run in text]
    assert shown == [], f"{deck.url}: solution prose on a slide"
    assert re.search(r"Exercise \d+\.1\b", text), f"{deck.url}: the exercises are missing"


def test_the_checks_catch_a_bad_deck(browser, slides_dir, tmp_path):
    """Each check fails on a deck that has the fault: a good deck with raw MyST, raw TeX, a request to another
    host, a slide taller than the canvas and a console error written into it."""
    good = next(iter(sorted(slides_dir.glob("*.slides.html"))))
    (tmp_path / "_assets").symlink_to(slides_dir / "_assets")
    html = good.read_text(encoding="utf-8")
    cell = '<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown">{}</div></div>'
    faults = (cell.format("<p>See {doc}<code>04_perceptron</code> and the fraction \\frac{a}{b}.</p>")
              + cell.format('<div style="height: 2000px">tall</div><img src="http://example.invalid/x.png" alt="x">')
              + "<script>console.error('a deliberate error')</script>")
    bad = html.replace('<div class="slides">', '<div class="slides"><section>' + faults + "</section>", 1)
    assert bad != html
    (tmp_path / "00_bad.slides.html").write_text(bad, encoding="utf-8")
    with StaticServer(tmp_path) as server:
        deck = audit_deck(browser, server, tmp_path / "00_bad.slides.html", tmp_path / "shots", "none")
    assert any("{doc}" in p for p in deck.myst_problems()), deck.myst_problems()
    assert any("frac" in p for p in deck.math_problems()), deck.math_problems()
    assert any("example.invalid" in p for p in deck.network_problems()), deck.network_problems()
    assert any("slide 0/0" in p for p in deck.fit_problems()), deck.fit_problems()
    assert any("deliberate" in p for p in deck.console_problems()), deck.console_problems()
