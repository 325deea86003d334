"""Every page of the built book, as a reader sees it in headless Chromium (issue 8).

Per page of `_toc.yml`: math
typeset by MathJax with no raw TeX left, every image loaded, every widget snapshot rendered, no request outside the
local server, no code cell or table that scrolls sideways, no console error. A screenshot of each page is saved
under `_build/screenshots/`.
"""

import pytest

from .conftest import BOOK
from .helpers import VIEWPORT, toc_docnames

PAGES = toc_docnames(BOOK / "_toc.yml")


@pytest.mark.parametrize("docname", PAGES)
def test_math_is_typeset(book_audit, docname):
    audit = book_audit(docname)
    assert audit.math_problems() == [], audit.url


@pytest.mark.parametrize("docname", PAGES)
def test_images_load(book_audit, docname):
    audit = book_audit(docname)
    assert audit.image_problems() == [], audit.url


@pytest.mark.parametrize("docname", PAGES)
def test_widget_snapshots_render(book_audit, docname):
    audit = book_audit(docname)
    assert audit.widget_problems() == [], audit.url


@pytest.mark.parametrize("docname", PAGES)
def test_no_request_leaves_the_server(book_audit, docname):
    audit = book_audit(docname)
    assert audit.network_problems() == [], audit.url


@pytest.mark.parametrize("docname", PAGES)
def test_code_and_tables_fit_the_text_column(book_audit, docname):
    audit = book_audit(docname)
    assert audit.layout_problems() == [], audit.url


@pytest.mark.parametrize("docname", PAGES)
def test_console_has_no_errors(book_audit, docname):
    audit = book_audit(docname)
    assert audit.console_problems() == [], audit.url


def test_math_pages_exist(book_audit):
    """The checks above are not vacuous: the introduction states the notation in typeset math."""
    audit = book_audit(PAGES[0])
    assert audit.dom["typesetMath"] > 0, "no MathJax output on the first page"


def test_playground_snapshot_shows_the_trained_boundary(book_audit, book_html):
    """The playground chapter keeps a static snapshot: controls and the decision-boundary image."""
    docname = "chapters/10_playground"
    if docname not in PAGES:
        pytest.skip("the playground chapter is not in _toc.yml")
    audit = book_audit(docname)
    assert audit.dom["widgetViews"] >= 1, "the playground page has no saved widget"
    assert audit.dom["widgetsRendered"] == audit.dom["widgetViews"]
    assert audit.dom["widgetImages"] >= 1, "the playground snapshot shows no rendered figure"


@pytest.mark.parametrize("docname", PAGES)
def test_page_is_accessible(book_audit, require_axe, docname):
    """WCAG 2.1 AA (axe-core), formulas read out, widget controls named, snapshot images described."""
    audit = book_audit(docname)
    assert audit.accessibility_problems() == [], audit.url


def test_axe_core_is_not_published_with_the_book(book_html):
    """axe-core is a test tool: _vendor/tests stays out of the book's _static."""
    assert not list(book_html.rglob("axe*.js")), "axe-core was copied into the built book"


# The playground's status line and figure description, as a screen reader finds them.
_PLAYGROUND_JS = """
() => {
  const root = document.querySelector(".widget-subarea");
  const status = root.querySelector('[role="status"]');
  const picture = root.querySelector("img.widget-image");
  return {
    status: status ? {text: status.textContent, live: status.getAttribute("aria-live")} : null,
    pictureTitle: picture ? picture.getAttribute("title") : null,
  };
}
"""
# The focused element: its role (or tag) and its accessible name, as "slider: noise".
_FOCUSED_JS = """
() => {
  const el = document.activeElement;
  const ids = (el.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
  const label = el.getAttribute("aria-label") || ids.map((id) => document.getElementById(id).textContent).join(" ")
    || (el.labels && el.labels[0] && el.labels[0].textContent) || el.textContent;
  return (el.getAttribute("role") || el.tagName.toLowerCase()) + ": " + label.trim();
}
"""


def test_playground_works_with_the_keyboard_alone(browser, book_server, book_html):
    """Tab reaches every playground control in reading order, each with its name; arrow keys move a slider; the
    status line is a live region and the figure has a description (in the static book: the snapshot)."""
    docname = "chapters/10_playground"
    if docname not in PAGES:
        pytest.skip("the playground chapter is not in _toc.yml")
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    try:
        page = context.new_page()
        page.goto(book_server.url(f"{docname}.html"), wait_until="load")
        page.wait_for_selector(".widget-subarea img.widget-image", timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.widget-subarea [role=slider][aria-labelledby]').length"
                               " >= 5", timeout=30_000)
        info = page.evaluate(_PLAYGROUND_JS)
        assert info["status"] is not None and info["status"]["live"] == "polite", info
        assert info["status"]["text"].startswith("step "), info
        assert len((info["pictureTitle"] or "").split()) >= 8, info
        # Start from the first control of the playground and walk it with Tab.
        page.focus(".widget-subarea select")
        names = []
        for _ in range(24):  # each slider has two stops: its handle and its editable readout
            names.append(page.evaluate(_FOCUSED_JS))
            page.keyboard.press("Tab")
        expected = ["select: data set", "slider: noise", "textbox: noise", "slider: points", "textbox: points",
                    "input: hidden", "select: activation", "slider: learn. rate", "textbox: learn. rate",
                    "slider: L2", "textbox: L2", "slider: batch size", "textbox: batch size", "button: Start",
                    "button: Step", "button: Reset"]  # Pause is disabled until Start: Tab skips it
        assert names[:len(expected)] == expected, names
        # Arrow keys move a slider (in the static book the value changes on the page only: no kernel runs).
        handle = page.locator(".widget-subarea [role=slider]").nth(1)  # points
        before = handle.get_attribute("aria-valuenow")
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        assert handle.get_attribute("aria-valuenow") != before, "ArrowRight did not move the slider"
    finally:
        context.close()
