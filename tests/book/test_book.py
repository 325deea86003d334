"""Book-level checks: the table of contents, the notebooks as committed, and the built HTML.

The HTML checks need `_build/html` (made by `make book`, which `make test` runs first). Without it they skip,
unless REQUIRE_BUILD=1 (CI), where a missing build is a failure.
"""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def toc_files():
    """Every `file:` entry of _toc.yml, in order, without extension."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
    return files


def load(path):
    return json.loads(path.read_text())


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists():
    listed = toc_files()
    notebooks = {f"chapters/{p.stem}" for p in CHAPTERS}
    assert notebooks, "no notebooks in chapters/"
    assert notebooks - set(listed) == set(), "notebooks missing from _toc.yml"
    for entry in listed:
        matches = [ROOT / f"{entry}{ext}" for ext in (".ipynb", ".md")]
        assert any(m.exists() for m in matches), f"_toc.yml lists {entry}, which does not exist"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3", "kernelspec must be python3 (nbval --nbval-current-env)"
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"cell {index} has stored outputs: commit notebooks clean"
            assert cell.get("execution_count") is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_imports_lib_and_has_one_title(path):
    nb = load(path)
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert re.search(r"^\s*(from lib\b|import lib\b)", code, re.M), "a chapter imports the library"
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    titles = re.findall(r"^# \S.*$", markdown, re.M)
    assert len(titles) == 1, f"exactly one H1 title expected, found {titles}"
    assert re.search(r"^## Summary\s*$", markdown, re.M), "every chapter ends with a summary"


# The longest code line that fits the text column of the built book at a 1280px-wide window (book.css sets
# cell code at 12px); the browser tests check the rendered pages themselves.
CODE_LINE_LIMIT = 88


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_code_lines_fit_the_text_column(path):
    too_long = [f"cell {index}: {line}" for index, cell in enumerate(load(path)["cells"])
                if cell["cell_type"] == "code"
                for line in "".join(cell["source"]).split("\n") if len(line) > CODE_LINE_LIMIT]
    assert not too_long, f"{len(too_long)} line(s) over {CODE_LINE_LIMIT} characters:\n" + "\n".join(too_long)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_follow_the_format(path):
    """Every exercise has a gated dropdown solution whose code carries the solution markers."""
    nb = load(path)
    cells = nb["cells"]
    labels = []
    for cell in cells:
        if cell["cell_type"] == "markdown":
            labels += re.findall(r"```\{exercise(?:-start)?\}[^\n]*\n:label:\s*(\S+)", "".join(cell["source"]))
    for label in labels:
        starts = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                  and re.search(r"\{solution-start\}\s+" + re.escape(label) + r"\b", "".join(c["source"]))]
        assert len(starts) == 1, f"exercise {label}: expected one solution-start block"
        start_text = "".join(cells[starts[0]]["source"])
        assert re.search(r":class:\s*dropdown", start_text), f"exercise {label}: the solution must be a dropdown"
        end = next(i for i in range(starts[0] + 1, len(cells))
                   if cells[i]["cell_type"] == "markdown" and "{solution-end}" in "".join(cells[i]["source"]))
        inside = ["".join(c["source"]) for c in cells[starts[0] + 1:end] if c["cell_type"] == "code"]
        assert any("### BEGIN SOLUTION" in s and "### END SOLUTION" in s for s in inside), \
            f"exercise {label}: the solution code needs ### BEGIN SOLUTION / ### END SOLUTION markers"
        after = [c for c in cells[end + 1:] if c["cell_type"] == "code"]
        assert after and re.search(r"\bcheck_\w+\(", "".join(after[0]["source"])), \
            f"exercise {label}: the cell after the solution must call lib.checks"


def test_numbered_chapters_have_exercises():
    for path in CHAPTERS:
        if path.stem.startswith(tuple(f"0{i}" for i in range(1, 10))):
            text = "".join("".join(c["source"]) for c in load(path)["cells"])
            assert "## Exercises" in text and "{exercise" in text, f"{path.name} needs exercises"


# --- the built HTML ---------------------------------------------------------------------------------------

class ExternalRefs(HTMLParser):
    """Collects the URLs a page would LOAD (scripts, styles, fonts, images, frames), not the links it shows."""

    def __init__(self):
        super().__init__()
        self.loads = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(r in rel for r in ("stylesheet", "preload", "icon", "modulepreload", "prefetch")):
                self.loads.append(attrs["href"])
        if tag == "object" and attrs.get("data"):
            self.loads.append(attrs["data"])


def is_external(url):
    return bool(re.match(r"^(https?:)?//", url.strip(), re.I))


def built_pages():
    if not (HTML / "index.html").exists():
        if os.environ.get("REQUIRE_BUILD") == "1":
            pytest.fail("REQUIRE_BUILD=1 but _build/html is missing: run make book first")
        pytest.skip("the book is not built (make book)")
    return sorted(HTML.rglob("*.html"))


def test_built_book_has_every_toc_page():
    built_pages()
    for entry in toc_files():
        assert (HTML / f"{entry}.html").exists(), f"{entry}.html was not built"


def test_built_html_loads_nothing_from_outside():
    offenders = []
    for page in built_pages():
        parser = ExternalRefs()
        parser.feed(page.read_text(errors="replace"))
        offenders += [f"{page.relative_to(HTML)}: {url}" for url in parser.loads if is_external(url)]
        # Widget and MathJax loaders read their URLs from attributes and config, not from tags.
        for url in re.findall(r"data-jupyter-widgets-cdn=\"([^\"]+)\"", page.read_text(errors="replace")):
            if is_external(url):
                offenders.append(f"{page.relative_to(HTML)}: widget CDN {url}")
    for css in (HTML / "_static").rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(errors="replace")):
            if is_external(url):
                offenders.append(f"{css.relative_to(HTML)}: {url}")
        for url in re.findall(r"@import\s+['\"]([^'\"]+)", css.read_text(errors="replace")):
            if is_external(url):
                offenders.append(f"{css.relative_to(HTML)}: @import {url}")
    assert not offenders, "the built book loads from outside:\n" + "\n".join(offenders[:40])


def test_built_chapters_executed_and_show_no_error_output():
    for page in built_pages():
        text = page.read_text(errors="replace")
        assert "Traceback (most recent call last)" not in text, f"{page.name} shows a traceback"
        assert 'class="output traceback' not in text, f"{page.name} shows a failed cell"


class ProseText(HTMLParser):
    """The text of a page outside its code cells, scripts and styles: what MyST should have turned into markup."""

    def __init__(self):
        super().__init__()
        self.text, self._skip_divs, self._skip_tag = [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip_tag = tag
        elif tag == "div" and (self._skip_divs or "cell" in (dict(attrs).get("class") or "").split()):
            self._skip_divs += 1

    def handle_endtag(self, tag):
        if tag == self._skip_tag:
            self._skip_tag = None
        elif tag == "div" and self._skip_divs:
            self._skip_divs -= 1

    def handle_data(self, data):
        if not self._skip_divs and not self._skip_tag:
            self.text.append(data)


# MyST a reader should never see as text: a directive fence or option, or a role that was not parsed.
UNPARSED_MYST = re.compile(r"(```|:::)\s*\{[\w:-]+\}|^:(class|label|nonumber):|\{(ref|doc|cite|numref|eq|prf:ref)\}`",
                           re.M)


def unparsed_myst(html):
    parser = ProseText()
    parser.feed(html)
    return [m.group(0) for m in UNPARSED_MYST.finditer("".join(parser.text))]


def test_built_pages_show_no_unparsed_myst():
    offenders = [f"{page.relative_to(HTML)}: {found}" for page in built_pages()
                 for found in unparsed_myst(page.read_text(errors="replace"))]
    assert not offenders, "MyST shown as text (a broken directive or role):\n" + "\n".join(offenders[:40])


def test_the_unparsed_myst_check_finds_a_broken_admonition():
    broken = ('<p>```{admonition} The notes (correction 2)\n:class: warning</p><div class="highlight"><pre>'
              "## Heading</pre></div>")
    assert unparsed_myst(broken) == ["```{admonition}", ":class:"]
    assert unparsed_myst('<div class="cell docutils"><pre>{ref}`x`</pre></div><p>fine</p>') == []


def test_the_external_load_check_catches_external_loads():
    """The external-load check itself: a CDN script, stylesheet and image are found, links are not."""
    parser = ExternalRefs()
    parser.feed('<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" href="//fonts.x/y.css">'
                '<img src="http://img.example.org/a.png"><a href="https://example.org/">a link</a>'
                '<script src="_static/local.js"></script>')
    assert [u for u in parser.loads if is_external(u)] == [
        "https://cdn.example.org/x.js", "//fonts.x/y.css", "http://img.example.org/a.png"]


def _source_citations(entry):
    """The citations of one book page's source (tools/citations.py), in order."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("citations", ROOT / "tools" / "citations.py")
    citations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(citations)
    bibliography = citations.load_bibliography(ROOT / "references.bib")
    path = next(ROOT.glob(entry + ".*"))
    if path.suffix == ".md":
        texts = [path.read_text(encoding="utf-8")]
    else:
        texts = ["".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown"]
    return [found.words for text in texts for found in citations.find_citations(text, bibliography, entry)]


def test_citations_in_the_html_read_as_in_the_notebooks():
    """The book links each citation to the bibliography (sphinxcontrib-bibtex) in the words a reader of the notebook
    sees: (Nielsen, 2015) or Nielsen (2015), as the build's style author_year_round writes them."""
    built_pages()
    problems, counted = {}, 0
    for entry in toc_files():
        page = (HTML / f"{entry}.html").read_text(errors="replace")
        spans = re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', page, re.S)
        shown = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", span)).replace("&amp;", "&").strip() for span in spans]
        expected = _source_citations(entry)
        counted += len(expected)
        if shown != expected:
            problems[entry] = {"shown": shown, "in the source": expected}
    assert counted >= 50, f"only {counted} citations in the sources"
    assert not problems, f"citations that read differently in the HTML: {problems}"
