"""Serve a folder on 127.0.0.1 and audit its pages in headless Chromium the way a reader sees them.

`audit_page` loads one page and records what a reader would notice: math left as raw TeX, images that did not
load, widget snapshots that did not render, requests that left the server (aborted, never sent), code or tables
that scroll sideways, and console errors. With `axe=` (the path of axe-core's `axe.min.js`, vendored by
tools/vendor_js.sh into _vendor/tests/) it also runs axe-core's WCAG 2.0/2.1 A and AA rules on the settled page,
and records what a screen-reader user would miss: formulas without assistive MathML, widget snapshot images
without a description, widget controls without a name. The browser tests assert on its result; the negative
tests show that each check fails on a bad page.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1000}
ROOT = Path(__file__).resolve().parents[2]
# axe-core's rule sets for WCAG 2.0 and 2.1, levels A and AA (what a university's web content must meet).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# An accessible description is a phrase, not a word or a file name.
MIN_DESCRIPTION_WORDS = 4
# How long a page may take to typeset its math and render its widgets (2 shared cores: be generous).
SETTLE_TIMEOUT_MS = 30_000

# TeX a reader should never see: display and inline delimiters, environments, and common commands. Code
# (pre/code), scripts and MathJax's own output are not scanned: code legitimately holds r"$\sigma$" labels.
RAW_TEX_PATTERNS = [
    r"\$\$",
    r"\\\(",
    r"\\\)",
    r"\\\[",
    r"\\\]",
    r"\\begin\{",
    r"\\end\{",
    r"\$[^$\n]{0,200}\\[A-Za-z]+[^$\n]{0,200}\$",
    r"\\(?:frac|partial|sum|prod|sigma|delta|mathbf|boldsymbol|mathrm|cdot|odot|nabla|sqrt|left|right)(?![A-Za-z])",
]

_AUDIT_JS = r"""
async ({rawTexPatterns, timeoutMs}) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const deadline = Date.now() + timeoutMs;
  const result = {};

  // Math: wait for MathJax's first typeset, then find math that was not turned into MathJax output.
  result.mathjaxLoaded = typeof window.MathJax === "object" && !!window.MathJax.startup;
  if (result.mathjaxLoaded && window.MathJax.startup.promise) {
    await Promise.race([window.MathJax.startup.promise.catch(() => null), sleep(timeoutMs)]);
  }
  const mathNodes = [...document.querySelectorAll(".math")];
  result.mathElements = mathNodes.length;
  result.untypesetMath = mathNodes
    .filter((el) => !el.querySelector("mjx-container") && el.tagName.toLowerCase() !== "mjx-container")
    .map((el) => el.textContent.trim().slice(0, 80));
  result.typesetMath = document.querySelectorAll("mjx-container").length;
  result.mathErrors = [...document.querySelectorAll("mjx-merror")].map((el) =>
    (el.getAttribute("data-mjx-error") || el.textContent).slice(0, 80));
  // An undefined macro is not an error for MathJax: it shows its name in red (the noundefined extension).
  result.mathErrors.push(...[...document.querySelectorAll("mjx-assistive-mml mtext")]
    .filter((el) => el.textContent.startsWith("\\"))
    .map((el) => `undefined macro ${el.textContent}`));

  // Widgets: every saved view must be replaced by a rendered widget with a size.
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  result.widgetViews = views.length;
  result.widgetState = document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]').length;
  const rendered = () => views.filter((s) => {
    const prev = s.previousElementSibling;
    if (!prev || !prev.classList.contains("widget-subarea")) return false;
    const box = prev.getBoundingClientRect();
    return prev.children.length > 0 && box.width > 0 && box.height > 0;
  });
  // Without saved state nothing can render: do not wait for it.
  while (result.widgetState && rendered().length < views.length && Date.now() < deadline) await sleep(100);
  result.widgetsRendered = rendered().length;
  result.widgetImages = 0;
  result.widgetImageNames = [];
  result.widgetSliders = [];
  for (const s of rendered()) {
    for (const img of s.previousElementSibling.querySelectorAll("img")) {
      if (img.complete && img.naturalWidth > 0) result.widgetImages += 1;
      // The accessible name of an image: alt, aria-label, or else its title (a widget's tooltip).
      result.widgetImageNames.push((img.getAttribute("alt") || img.getAttribute("aria-label")
        || img.getAttribute("title") || "").trim());
    }
    for (const slider of s.previousElementSibling.querySelectorAll('[role="slider"]')) {
      const ids = (slider.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      const name = slider.getAttribute("aria-label")
        || ids.map((id) => (document.getElementById(id) || {}).textContent || "").join(" ");
      result.widgetSliders.push({name: name.trim(), focusable: slider.tabIndex >= 0});
    }
  }
  // Formulas are read out from the MathML MathJax keeps next to its visual output.
  result.mathWithoutMml = [...document.querySelectorAll("mjx-container")]
    .filter((el) => !el.querySelector("mjx-assistive-mml math")).length;

  // Images: force lazy ones to load, wait for all, then list the broken ones.
  const imgs = [...document.querySelectorAll("img")];
  imgs.forEach((img) => { img.loading = "eager"; });
  await Promise.race([
    Promise.all(imgs.map((img) => img.complete ? null : new Promise((r) => {
      img.addEventListener("load", r, {once: true});
      img.addEventListener("error", r, {once: true});
    }))),
    sleep(Math.max(0, deadline - Date.now())),
  ]);
  result.images = imgs.length;
  result.brokenImages = imgs.filter((img) => !(img.complete && img.naturalWidth > 0))
    .map((img) => (img.getAttribute("src") || "").slice(0, 120));

  // Layout: code cells, printed output and displayed lib source a reader would have to scroll sideways to
  // read, and tables wider than the text column.
  const scrolls = (el) => el.scrollWidth > el.clientWidth + 1;
  const longestLine = (el) => el.textContent.split("\n").reduce((a, b) => (b.length > a.length ? b : a), "");
  result.overflowingCode = [...document.querySelectorAll("div.cell_input pre, div.cell_output pre")]
    .filter(scrolls).map((el) => longestLine(el).slice(0, 100));
  result.overflowingTables = [...document.querySelectorAll(".pst-scrollable-table-container")]
    .filter(scrolls).map((el) => el.textContent.trim().replace(/\s+/g, " ").slice(0, 80));

  // Raw TeX in the text a reader sees (code, scripts and MathJax output excluded).
  const skip = "pre, code, script, style, noscript, textarea, mjx-container, mjx-assistive-mml, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !parent.closest(skip)) texts.push(node.textContent);
  }
  const text = texts.join(" ");
  result.rawTex = [];
  for (const pattern of rawTexPatterns) {
    const m = text.match(new RegExp(pattern));
    if (m) {
      const i = Math.max(0, m.index - 30);
      result.rawTex.push(text.slice(i, m.index + m[0].length + 30).replace(/\s+/g, " "));
    }
  }
  return result;
}
"""


@dataclass
class BrowserRecord:
    """What a page opened with open_offline_page did on the network and in its console, and its audited DOM."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dom: dict = field(default_factory=dict)

    def network_problems(self) -> list[str]:
        return ([f"request outside the server (aborted): {u}" for u in self.external_requests]
                + [f"request failed: {u}" for u in self.failed_requests])

    def console_problems(self) -> list[str]:
        return [f"console error: {m}" for m in self.console_errors]


@dataclass
class PageAudit(BrowserRecord):
    """What a reader of one page would notice; `problems()` lists every failed check in words."""

    # axe-core's violations ({id, impact, help, nodes: [{target, html}]}), or None when axe did not run.
    axe_violations: list[dict] | None = None

    def math_problems(self) -> list[str]:
        d = self.dom
        out = []
        if d["untypesetMath"]:
            example = d["untypesetMath"][0]
            out.append(f"{len(d['untypesetMath'])} math element(s) not typeset by MathJax, e.g. {example!r}")
        if d["mathElements"] and not d["mathjaxLoaded"]:
            out.append("page has math but MathJax did not load")
        if d["mathErrors"]:
            out.append(f"MathJax errors: {d['mathErrors']}")
        if d["rawTex"]:
            out.append(f"raw TeX in the visible text: {d['rawTex']}")
        return out

    def image_problems(self) -> list[str]:
        return [f"image did not load: {src}" for src in self.dom["brokenImages"]]

    def widget_problems(self) -> list[str]:
        d = self.dom
        out = []
        if d["widgetViews"] and not d["widgetState"]:
            out.append(f"{d['widgetViews']} widget view(s) but no saved widget state")
        if d["widgetsRendered"] < d["widgetViews"]:
            out.append(f"only {d['widgetsRendered']} of {d['widgetViews']} widget snapshot(s) rendered")
        return out

    def layout_problems(self) -> list[str]:
        out = [f"code or printed output scrolls sideways: {line!r}" for line in self.dom["overflowingCode"]]
        out += [f"table wider than the text column: {text!r}" for text in self.dom["overflowingTables"]]
        return out

    def axe_counts(self) -> dict[str, int]:
        """Violations per axe rule: the number of elements that fail it."""
        return {v["id"]: len(v["nodes"]) for v in self.axe_violations or []}

    def accessibility_problems(self) -> list[str]:
        """axe-core's violations, then what a screen-reader user would miss that axe does not check."""
        out = [f"axe {v['id']} ({v['impact']}) x{len(v['nodes'])}: {v['help']}; e.g. {v['nodes'][0]['target']}: "
               f"{v['nodes'][0]['html']}" for v in self.axe_violations or []]
        d = self.dom
        if d.get("mathWithoutMml"):
            out.append(f"{d['mathWithoutMml']} formula(s) without assistive MathML (a screen reader reads nothing)")
        for name in d.get("widgetImageNames", []):
            if len(name.split()) < MIN_DESCRIPTION_WORDS:
                out.append(f"widget snapshot image without a description (alt/title {name!r})")
        for slider in d.get("widgetSliders", []):
            if not slider["name"]:
                out.append("widget slider without an accessible name (aria-label or aria-labelledby)")
            if not slider["focusable"]:
                out.append(f"widget slider {slider['name']!r} cannot be reached with Tab")
        return out

    def problems(self) -> list[str]:
        return (
            self.math_problems()
            + self.image_problems()
            + self.widget_problems()
            + self.network_problems()
            + self.layout_problems()
            + self.console_problems()
            + (self.accessibility_problems() if self.axe_violations is not None else [])
        )


_AXE_JS = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 160)})),
  }));
}
"""


def find_axe() -> Path | None:
    """axe-core's `axe.min.js`: $AXE_JS, else the copy tools/vendor_js.sh puts in _vendor/tests/ (a test tool,
    never published with the book)."""
    path = Path(os.environ.get("AXE_JS") or ROOT / "_vendor" / "tests" / "axe.min.js")
    return path if path.is_file() else None


def audit_page(browser, url: str, screenshot: Path | None = None, axe: Path | None = None) -> PageAudit:
    """Load `url` in a fresh browser context and audit it; requests to other origins are aborted, not sent.

    With `axe` (the path of axe.min.js), axe-core's WCAG 2.0/2.1 A and AA rules run on the settled page too."""
    audit = PageAudit(url=url)
    context, page = open_offline_page(browser, "/".join(url.split("/", 3)[:3]), audit)
    try:
        page.goto(url, wait_until="load", timeout=SETTLE_TIMEOUT_MS)
        audit.dom = page.evaluate(_AUDIT_JS, {"rawTexPatterns": RAW_TEX_PATTERNS, "timeoutMs": SETTLE_TIMEOUT_MS})
        if axe is not None:
            page.add_script_tag(path=str(axe))
            audit.axe_violations = page.evaluate(_AXE_JS, AXE_TAGS)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
    finally:
        context.close()
    return audit


def open_offline_page(browser, origin, record, viewport=VIEWPORT):
    """(context, page): a page in a fresh browser context that sends requests to `origin` only (others are aborted,
    not sent) and notes in `record` what a reader would notice: its external_requests, console_errors (uncaught
    exceptions too) and failed_requests (HTTP status 400 and above). The caller closes the context."""
    context = browser.new_context(viewport=viewport, service_workers="block")

    def route(r):
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            record.external_requests.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.console_errors.append(f"uncaught {e}"))
    page.on("response", lambda r: record.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return context, page


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a page closed while a file was still being sent (BrokenPipe): not the page's fault


class StaticServer:
    """`python -m http.server` on 127.0.0.1 and a free port, in a thread; `url(path)` gives a page's address."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/{path}"


def require(what: str, env: str):
    """Skip, or fail when the environment variable `env` is 1 (CI), because `what` is missing."""
    message = f"{what} (set by .ci/run: {env}=1 makes this a failure)"
    if os.environ.get(env) == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def find_chromium() -> str | None:
    """The Chromium the tests drive: $CHROMIUM, else Debian's `chromium` on the PATH."""
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return candidate if candidate and os.access(candidate, os.X_OK) else None


def launch_browser(playwright_manager):
    """Start headless Chromium (Debian's, never a download); skip or fail (REQUIRE_BROWSER=1) without it."""
    executable = find_chromium()
    if executable is None:
        require("chromium is not installed (apt-get install chromium)", "REQUIRE_BROWSER")
    return playwright_manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def toc_docnames(toc_file: Path) -> list[str]:
    """Every document of a jupyter-book `_toc.yml`, root first, in reading order."""
    import yaml

    toc = yaml.safe_load(toc_file.read_text())
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    return names
