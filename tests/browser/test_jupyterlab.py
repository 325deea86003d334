"""The chapters and the student edition as readers see them in JupyterLab, in Debian's Chromium.

A JupyterLab server (127.0.0.1, a free port, a token, no browser) serves a temporary copy of chapters/ and the
student edition written from it (tools/make_student.py). Notebook windowing is off (`windowingMode: none` in a
private user-settings folder), so every cell is attached and rendered. Each notebook is opened, not executed:
the page's request that would start a kernel is aborted, as is every request that leaves the server.

- With jupyterlab-myst (the book's requirement) the chapters' MyST renders: no rendered markdown cell may show
  directive fences, `:label:`/`:class:` lines, role names or raw display TeX; each exercise is a box, and the
  math is typeset (KaTeX).
- The student edition must read the same in JupyterLab with jupyterlab-myst and in plain JupyterLab (the
  extension disabled, as in Colab or VS Code, which have no MyST): bold "Exercise N.k" headings, hints as
  <details>, typeset math, and no citation key left.

Without Chromium, Playwright or jupyterlab-myst the tests skip, unless REQUIRE_BROWSER=1 (set by `.ci/run`).
LAB_SCREENSHOTS=DIR saves a screenshot of each notebook's first exercise there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT
from .helpers import RAW_TEX_PATTERNS, require

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
START_TIMEOUT_S = 60
# Rendering a long chapter on 2 busy cores takes a few seconds; a stall is a failure, not a wait.
RENDER_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1280, "height": 1000}

# What a reader must never see in rendered markdown: MyST syntax that was not interpreted.
ROLES = r"doc|ref|numref|eq|cite(?::\w+)?|math|term|abbr|download|prf:ref|footcite"
DIRECTIVES = (r"exercise|solution(?:-start|-end)?|hint|admonition|note|warning|tip|important|caution|attention"
              r"|danger|error|seealso|dropdown|math|prf:[\w-]+|figure|margin|sidebar|code-cell")
RAW_MYST_PATTERNS = [
    r"(?:```|:::)\s*\{[\w:-]+\}",  # a directive fence
    r"(?:^|\n)\s*:(?:label|class|name|nonumber|open):",  # a directive option line
    rf"\{{(?:{ROLES})\}}",  # a role name left in the text
    rf"(?:^|\s)\{{(?:{DIRECTIVES})\}}",  # a directive name shown as a code block's language, etc.
    r"(?:^|\n)\([\w:-]+\)=",  # a (label)= target
]

_AUDIT_JS = r"""
({panelId, rawMystPatterns, rawTexPatterns}) => {
  const panel = document.getElementById(panelId);
  const cells = [...panel.querySelectorAll(".jp-Notebook .jp-Cell")];
  const markdown = cells.filter((c) => c.classList.contains("jp-MarkdownCell"));
  const result = {cells: cells.length, markdownCells: markdown.length, rawCells: [], unrendered: 0};
  // Typeset math (KaTeX from jupyterlab-myst, MathJax from plain JupyterLab), its source and errors excluded.
  const mathSel = ".katex, .katex-display, mjx-container, .MathJax, mjx-assistive-mml";
  const codeSel = "pre, code";
  const textOf = (root, skip) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (p && !p.closest(skip)) parts.push(n.textContent);
    }
    return parts.join("");
  };
  markdown.forEach((cell, index) => {
    const out = cell.querySelector(".jp-Cell-inputArea .myst, .jp-Cell-inputArea .jp-RenderedMarkdown");
    if (!out) { result.unrendered += 1; return; }
    const all = textOf(out, mathSel);             // MyST shown as a code block is still raw MyST
    const prose = textOf(out, mathSel + ", " + codeSel);  // code may hold TeX legitimately
    const found = [];
    for (const p of rawMystPatterns) { const m = all.match(new RegExp(p)); if (m) found.push(m[0].trim()); }
    for (const p of rawTexPatterns) { const m = prose.match(new RegExp(p)); if (m) found.push(m[0].trim()); }
    if (found.length) {
      result.rawCells.push({index, found, text: all.trim().replace(/\s+/g, " ").slice(0, 160)});
    }
  });
  result.typesetMath = panel.querySelectorAll(".katex, mjx-container").length;
  result.mathErrors = [...panel.querySelectorAll(".katex-error, mjx-merror")].map((e) => e.textContent.slice(0, 80));
  // sphinx-exercise's solution markers are boxes of the same kind: count the ones headed "Exercise".
  result.exerciseBoxes = [...panel.querySelectorAll(".myst-exercise")]
    .filter((e) => /^\s*Exercise/.test((e.querySelector(".myst-exercise-header") || e).textContent)).length;
  result.exerciseHeadings = [...panel.querySelectorAll(".jp-MarkdownCell strong")]
    .filter((s) => /^Exercise \d+\.\d+/.test(s.textContent)).length;
  result.hints = [...panel.querySelectorAll(".jp-MarkdownCell details > summary")]
    .filter((s) => /Hint/.test(s.textContent)).length;
  result.citationsNotFound = [...panel.querySelectorAll('[title="Citation Not Found"]')].map((e) => e.textContent);
  result.links = [...panel.querySelectorAll(".jp-MarkdownCell a[href]")].map((a) => a.getAttribute("href"));
  result.citationLinks = [...panel.querySelectorAll('.jp-MarkdownCell a[href*="references.bib"]')]
    .map((a) => a.textContent);
  result.text = markdown.map((cell) => textOf(cell.querySelector(".jp-Cell-inputArea") || cell, mathSel)).join("\n");
  return result;
}
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on `root`, with windowing off and optionally some extensions disabled."""

    def __init__(self, root: Path, work: Path, disabled=()):
        self.root, self.token, self.port = root, "t" + os.urandom(12).hex(), _free_port()
        settings = work / "settings" / "@jupyterlab" / "notebook-extension"
        settings.mkdir(parents=True)
        (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
        # No "notified about official Jupyter news?" toast over the notebook (and no request for the news).
        notification = work / "settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True)
        (notification / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
        config = work / "config" / "labconfig"
        config.mkdir(parents=True)
        (config / "page_config.json").write_text(json.dumps({"disabledExtensions": {name: True for name in disabled}}))
        self.env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(work / "settings"),
                        JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"), JUPYTER_CONFIG_DIR=str(work / "config"))
        self.log = work / "jupyterlab.log"
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    pytest.fail(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}", pytrace=False)
                time.sleep(0.2)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class LabPage:
    """One Chromium page with JupyterLab loaded; `audit(path)` opens a notebook and reports what it shows."""

    def __init__(self, browser, lab: JupyterLab, shots: Path | None):
        self.lab, self.shots = lab, shots
        self.context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        self.external, self.errors, self.cache = [], [], {}

        def route(r):
            url = r.request.url
            if not url.startswith(lab.url + "/"):
                self.external.append(url)
                return r.abort("blockedbyclient")
            if r.request.method == "POST" and "/api/sessions" in url:
                return r.abort()  # no kernel: the notebooks are read, not run
            return r.continue_()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{lab.url}/lab?token={lab.token}&reset", wait_until="load", timeout=RENDER_TIMEOUT_MS)
        self.page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=RENDER_TIMEOUT_MS)
        self.page.evaluate("async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }")

    def audit(self, path: str) -> dict:
        if path not in self.cache:
            self.cache[path] = self._audit(path)
        return self.cache[path]

    def _audit(self, path: str) -> dict:
        panel = self.page.evaluate(
            """async (path) => {
                const app = window.jupyterapp;
                await app.commands.execute("application:close-all");
                const widget = await app.commands.execute("docmanager:open", {path, factory: "Notebook"});
                await widget.context.ready;
                await widget.revealed;
                return widget.id;
            }""", path)
        # Rendered = every markdown cell has its output, and nothing changes for half a second (MathJax and
        # jupyterlab-myst's notebook-wide pass re-render cells after the first paint).
        self.page.wait_for_function(
            """(id) => {
                const panel = document.getElementById(id);
                const states = (window.__labRender = window.__labRender || {});
                const state = (states[id] = states[id] || {key: "", since: 0});
                if (!panel) return false;
                const md = [...panel.querySelectorAll(".jp-MarkdownCell")];
                const done = md.filter((c) => c.querySelector(
                    ".jp-Cell-inputArea .myst, .jp-Cell-inputArea .jp-RenderedMarkdown")).length;
                const key = `${md.length}/${done}/${panel.querySelectorAll(".katex, mjx-container").length}`
                    + `/${panel.querySelectorAll(".jp-Notebook *").length}`;
                const now = Date.now();
                if (md.length === 0 || done < md.length || key !== state.key) {
                    state.key = key; state.since = now; return false;
                }
                return now - state.since > 500;
            }""", arg=panel, timeout=RENDER_TIMEOUT_MS, polling=100)
        result = self.page.evaluate(_AUDIT_JS, {"panelId": panel, "rawMystPatterns": RAW_MYST_PATTERNS,
                                                "rawTexPatterns": RAW_TEX_PATTERNS})
        if self.shots is not None:
            self._screenshot(panel, path)
        return result

    def _screenshot(self, panel: str, path: str):
        """The window with the notebook's first exercise (box or bold heading) at the top."""
        heading = self.page.locator(".myst-exercise, strong", has_text=re.compile(r"^\s*Exercise"))
        target = self.page.locator(f"#{panel} .jp-MarkdownCell").filter(has=heading).first
        if target.count():
            target.evaluate("(cell) => cell.scrollIntoView({block: 'start'})")
            self.page.wait_for_timeout(200)
            self.shots.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(self.shots / (path.replace("/", "__").removesuffix(".ipynb") + ".png")))

    def close(self):
        self.context.close()


def _notebook_counts(path: Path):
    """Exercises and hints in a notebook's source (chapters: MyST blocks; student edition: bold headings)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    text = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    exercises = sum(bool(re.search(r"\{exercise\}|^\*\*Exercise \d+\.\d+", t, re.MULTILINE)) for t in text)
    hints = sum(t.count(":::{hint}") + t.count("<summary>Hint</summary>") for t in text)
    has_math = any("$" in t for t in text)
    return exercises, hints, has_math


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory):
    try:
        import jupyterlab_myst  # noqa: F401
    except ImportError:
        require("jupyterlab-myst is not installed (pip install -r requirements.txt)", "REQUIRE_BROWSER")
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
    make_student = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_student)
    root = tmp_path_factory.mktemp("lab") / "book"
    (root / "chapters").mkdir(parents=True)
    for path in CHAPTERS:
        shutil.copy2(path, root / "chapters" / path.name)
    shutil.copy2(ROOT / "references.bib", root / "references.bib")
    make_student.make_student_edition(root / "chapters", root / "student")
    return root


def _lab_page(browser, lab_root, tmp_path_factory, disabled):
    shots = os.environ.get("LAB_SCREENSHOTS")
    with JupyterLab(lab_root, tmp_path_factory.mktemp("jupyterlab"), disabled=disabled) as lab:
        page = LabPage(browser, lab, Path(shots) / ("plain" if disabled else "myst") if shots else None)
        try:
            yield page
        finally:
            page.close()


@pytest.fixture(scope="module")
def lab_myst(browser, lab_root, tmp_path_factory):
    """JupyterLab as the book's environment has it: with jupyterlab-myst."""
    yield from _lab_page(browser, lab_root, tmp_path_factory, disabled=())


@pytest.fixture(scope="module")
def lab_plain(browser, lab_root, tmp_path_factory):
    """JupyterLab without MyST (jupyterlab-myst disabled): what Colab or VS Code can render, roughly."""
    yield from _lab_page(browser, lab_root, tmp_path_factory, disabled=("jupyterlab-myst",))


def _check(page, path, lab_root):
    exercises, hints, has_math = _notebook_counts(lab_root / path)
    result = page.audit(path)
    notebook = json.loads((lab_root / path).read_text(encoding="utf-8"))
    problems = []
    if result["cells"] != len(notebook["cells"]):
        problems.append(f"{result['cells']} of {len(notebook['cells'])} cells in the page (windowing is on?)")
    if result["unrendered"]:
        problems.append(f"{result['unrendered']} markdown cell(s) not rendered")
    problems += [f"raw MyST/TeX in markdown cell {c['index']}: {c['found']} in {c['text']!r}"
                 for c in result["rawCells"]]
    if result["mathErrors"]:
        problems.append(f"math errors: {result['mathErrors']}")
    if has_math and not result["typesetMath"]:
        problems.append("no typeset math")
    problems += [f"request outside the server: {url}" for url in page.external]
    return result, exercises, hints, problems


@pytest.mark.parametrize("chapter", [path.name for path in CHAPTERS])
def test_chapter_renders_its_myst_in_jupyterlab(lab_myst, lab_root, chapter):
    result, exercises, _, problems = _check(lab_myst, f"chapters/{chapter}", lab_root)
    if result["exerciseBoxes"] != exercises:
        problems.append(f"{result['exerciseBoxes']} exercise boxes for {exercises} exercises")
    assert not problems, f"{chapter} in JupyterLab:\n- " + "\n- ".join(problems)


def test_links_between_chapters_open_notebooks_in_jupyterlab(lab_myst, lab_root):
    """A link to another chapter must name the notebook file. jupyterlab-myst 2.7.0 turns {doc}`7 <07_...>` into
    /files/chapters/07_... (no .ipynb), which JupyterLab cannot open; a markdown link [7](07_....ipynb) works in
    JupyterLab and in the HTML book (MyST-Parser resolves links to source files)."""
    broken = {}
    for path in CHAPTERS:
        result = lab_myst.audit(f"chapters/{path.name}")
        links = [href.split("?")[0] for href in result["links"] if "/files/chapters/" in href]
        bad = sorted({href.rsplit("/", 1)[-1] for href in links if not href.endswith(".ipynb")})
        if bad:
            broken[path.name] = bad
    assert not broken, f"links to other chapters that name no notebook (in JupyterLab they open nothing): {broken}"


def _citations(path):
    """The citations of a notebook's markdown (tools/citations.py), checked against references.bib."""
    spec = importlib.util.spec_from_file_location("citations", ROOT / "tools" / "citations.py")
    citations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(citations)
    bibliography = citations.load_bibliography(ROOT / "references.bib")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [found for cell in cells if cell["cell_type"] == "markdown"
            for found in citations.find_citations("".join(cell["source"]), bibliography, path.name)]


def test_citations_in_chapters_read_author_and_year_in_jupyterlab(lab_myst, lab_root):
    """A citation reads as in the HTML book, "(Nielsen, 2015)" or "Nielsen (2015)", with its words as links to its
    entry in references.bib; never a bare key with jupyterlab-myst's 'Citation Not Found' mark."""
    problems = {}
    for path in CHAPTERS:
        result = lab_myst.audit(f"chapters/{path.name}")
        text = re.sub(r"\s+", " ", result["text"])
        cited = _citations(path)
        missing = [c.words for c in cited if c.words not in text]
        links = [re.sub(r"^\(|\)$", "", part) if c.kind == "p" else part
                 for c in cited for part in (c.words.split("; ") if c.kind == "p" else [c.words])]
        wrong = []
        if result["citationLinks"] != links:
            wrong = [f"links {result['citationLinks']} instead of {links}"]
        if result["citationsNotFound"] or missing or wrong:
            problems[path.name] = {"keys shown": result["citationsNotFound"], "not shown": missing, "links": wrong}
    assert not problems, f"citations that do not read (Author, year) in JupyterLab: {problems}"


# The student edition in plain JupyterLab; LAB_RENDERERS="plain myst" also opens it with jupyterlab-myst, where
# math inside a hint's <details> stays raw TeX (jupyterlab-myst 2.7.0 renders HTML blocks' contents without math).
RENDERERS = os.environ.get("LAB_RENDERERS", "plain").split()


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("chapter", [path.name for path in CHAPTERS])
def test_student_notebook_reads_plainly_in_jupyterlab(request, lab_root, chapter, renderer):
    page = request.getfixturevalue("lab_myst" if renderer == "myst" else "lab_plain")
    result, exercises, hints, problems = _check(page, f"student/{chapter}", lab_root)
    if result["exerciseHeadings"] != exercises:
        problems.append(f"{result['exerciseHeadings']} 'Exercise N.k' headings for {exercises} exercises")
    if result["hints"] != hints:
        problems.append(f"{result['hints']} collapsed hints for {hints} hints")
    if result["citationsNotFound"]:
        problems.append(f"citation keys shown: {result['citationsNotFound']}")
    assert not problems, f"student/{chapter} in JupyterLab ({renderer}):\n- " + "\n- ".join(problems)
