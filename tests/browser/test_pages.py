"""Every page of the built book, as a reader sees it in headless Chromium (issue 8).

Per page of `_toc.yml`: math
typeset by MathJax with no raw TeX left, every image loaded, every widget snapshot rendered, no request outside the
local server, no code cell or table that scrolls sideways, no console error. A screenshot of each page is saved
under `_build/screenshots/`.
"""

import pytest

from .conftest import BOOK
from .helpers import toc_docnames

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
