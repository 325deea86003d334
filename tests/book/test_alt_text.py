"""Every figure in a built chapter has alt text that describes it (issue 16, WCAG 1.1.1).

A chapter's figures get their alt text from the cell that draws them: the code cell's metadata
`"mystnb": {"image": {"alt": "..."}}`, which myst-nb copies to the <img alt> (CONVENTIONS.md). Without it myst-nb
writes the image's file name (`../_images/b479c6...png`), which a screen reader reads out as noise. The test reads
the built HTML (`_build/html`, or BOOK_HTML) and fails on an <img> whose alt is missing, empty, a file name or path,
or shorter than a phrase, naming the chapter and the first line of the cell that drew it.

Widget snapshots are drawn by JavaScript, not written into the HTML: the browser tests check their descriptions.
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
# Fewer words than this is a label, not a description of what a figure shows.
MIN_WORDS = 4
_FILE_NAME = re.compile(r"(^|[\s/\\])[\w.-]+\.(png|jpe?g|gif|svg|webp|pdf)\b|_images/|^[0-9a-f]{16,}$", re.IGNORECASE)


class _Figures(HTMLParser):
    """The <img> tags of a page, each with the first line of the notebook cell it is in (if any)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []  # (src, alt or None, cell's first code line)
        self._depth = 0  # <div> nesting depth
        self._cell_depth = None  # depth of the open cell's <div>, or None outside cells
        self._cell_line = ""
        self._in_code = False
        self._code = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self._depth += 1
            classes = (attrs.get("class") or "").split()
            if "cell" in classes and self._cell_depth is None:
                self._cell_depth, self._cell_line, self._code = self._depth, "", []
            if "cell_input" in classes and self._cell_depth is not None:
                self._in_code = True
        elif tag == "img":
            self.images.append((attrs.get("src", ""), attrs.get("alt"), self._cell_line))

    def handle_endtag(self, tag):
        if tag == "pre" and self._in_code:
            self._in_code = False
            lines = [line for line in "".join(self._code).splitlines() if line.strip()]
            self._cell_line = lines[0].strip()[:80] if lines else ""
        if tag == "div":
            if self._cell_depth == self._depth:
                self._cell_depth = None
            self._depth -= 1

    def handle_data(self, data):
        if self._in_code:
            self._code.append(data)


def alt_text_problems(page_html: str) -> list[str]:
    """What is wrong with the alt text of each <img> on a page, in words (one entry per bad image)."""
    # The article only: the theme's own icons (the launch buttons' logos) sit in the page header with a label.
    start, end = page_html.find("<article"), page_html.rfind("</article>")
    parser = _Figures()
    parser.feed(page_html[start:end] if 0 <= start < end else page_html)
    problems = []
    for src, alt, cell in parser.images:
        where = f"cell starting {cell!r}" if cell else f"image {src[:60]!r}"
        text = (alt or "").strip()
        if not text:
            problems.append(f"{where}: no alt text")
        elif _FILE_NAME.search(text) or text == src:
            problems.append(f"{where}: the alt text is a file name ({text[:60]!r})")
        elif len(text.split()) < MIN_WORDS:
            problems.append(f"{where}: the alt text {text!r} is shorter than a phrase ({MIN_WORDS} words)")
    return problems


def chapter_pages():
    if not (HTML / "index.html").exists():
        if os.environ.get("REQUIRE_BUILD") == "1":
            pytest.fail(f"no built book in {HTML}: run make book", pytrace=False)
        pytest.skip(f"no built book in {HTML}: run make book")
    return sorted((HTML / "chapters").glob("*.html"))


def test_every_chapter_figure_has_descriptive_alt_text():
    pages = chapter_pages()
    assert pages, f"no chapter pages in {HTML / 'chapters'}"
    problems = [f"{page.stem}: {problem}" for page in pages for problem in alt_text_problems(page.read_text())]
    assert problems == [], f"{len(problems)} figure(s) without descriptive alt text:\n" + "\n".join(problems)


def test_the_chapters_have_figures_to_check():
    """Not vacuous: the built chapters hold figures (image outputs of cells)."""
    pages = chapter_pages()
    count = sum(len(re.findall(r"<img\b", page.read_text())) for page in pages)
    assert count >= 20, f"only {count} images in the built chapters"


CELL = '<div class="cell docutils container"><div class="cell_input docutils container"><pre>{code}</pre></div>' \
       '<div class="cell_output docutils container"><img src="../_images/{name}.png" {alt}/></div></div>'


@pytest.mark.parametrize(("alt", "expected"), [
    ("", "no alt text"),
    ('alt=""', "no alt text"),
    ('alt="../_images/b479c6d1e2f3a4b5.png"', "file name"),
    ('alt="figure.png"', "file name"),
    ('alt="b479c6d1e2f3a4b5c6d7"', "file name"),
    ('alt="Loss curve"', "shorter than a phrase"),
])
def test_the_check_fails_on_bad_alt_text(alt, expected):
    page = CELL.format(code="plt.plot(z, sigmoid(z))\nplt.show()", name="b479c6d1e2f3a4b5", alt=alt)
    problems = alt_text_problems(page)
    assert len(problems) == 1 and expected in problems[0], problems
    assert "cell starting 'plt.plot(z, sigmoid(z))'" in problems[0]


def test_the_check_passes_a_description():
    alt = 'alt="The sigmoid rises from 0 to 1, steepest at z = 0 where it is 0.5."'
    assert alt_text_problems(CELL.format(code="plt.show()", name="b479c6d1e2f3a4b5", alt=alt)) == []
