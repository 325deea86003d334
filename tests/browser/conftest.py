"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and the built book served on 127.0.0.1.

Without Chromium, Playwright, axe-core (tools/vendor_js.sh) or a built book the tests skip, unless
REQUIRE_BROWSER=1 / REQUIRE_BUILD=1 (set by `.ci/run`), where they fail. BOOK_HTML points the tests at a book built
elsewhere (`jupyter-book build --path-output DIR .` writes DIR/_build/html).
"""

import os
from pathlib import Path

import pytest

from .helpers import StaticServer, audit_page, find_axe, launch_browser, require

ROOT = Path(__file__).resolve().parents[2]
# The book under test: this repository, or another jupyter-book folder (BOOK_DIR) with its _toc.yml and _build.
BOOK = Path(os.environ.get("BOOK_DIR", ROOT)).resolve()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("playwright is not installed (pip install playwright; it drives Debian's chromium)", "REQUIRE_BROWSER")
    with sync_playwright() as p:
        chromium = launch_browser(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def book_html() -> Path:
    html = Path(os.environ.get("BOOK_HTML") or BOOK / "_build" / "html").resolve()
    if not (html / "index.html").is_file():
        require(f"no built book in {html}: run make book", "REQUIRE_BUILD")
    return html


@pytest.fixture(scope="session")
def book_server(book_html):
    with StaticServer(book_html) as server:
        yield server


@pytest.fixture(scope="session")
def axe_js():
    """axe-core's axe.min.js (vendored by tools/vendor_js.sh), or None."""
    return find_axe()


@pytest.fixture
def require_axe(axe_js):
    if axe_js is None:
        require("axe-core is not vendored (bash tools/vendor_js.sh _vendor)", "REQUIRE_BROWSER")
    return axe_js


@pytest.fixture(scope="session")
def book_audit(browser, book_html, book_server, axe_js):
    """`book_audit(docname)`: the audit of one page of the book (loaded once, screenshot in _build/screenshots/),
    with axe-core's accessibility rules when axe-core is vendored."""
    cache = {}
    shots = book_html.parent / "screenshots"

    def audit(docname: str):
        if docname not in cache:
            if not (book_html / f"{docname}.html").is_file():
                pytest.fail(f"{docname}.html is in _toc.yml but not in the built book", pytrace=False)
            shot = shots / (docname.replace("/", "__") + ".png")
            cache[docname] = audit_page(browser, book_server.url(f"{docname}.html"), screenshot=shot, axe=axe_js)
        return cache[docname]

    return audit
