"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and the built book served on 127.0.0.1.

Without Chromium, Playwright or a built book the tests skip, unless REQUIRE_BROWSER=1 / REQUIRE_BUILD=1 (set by
`.ci/run`), where they fail.
"""

import os
from pathlib import Path

import pytest

from .helpers import StaticServer, audit_page, launch_browser, require

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
    html = BOOK / "_build" / "html"
    if not (html / "index.html").is_file():
        require(f"no built book in {html}: run make book", "REQUIRE_BUILD")
    return html


@pytest.fixture(scope="session")
def book_server(book_html):
    with StaticServer(book_html) as server:
        yield server


@pytest.fixture(scope="session")
def book_audit(browser, book_html, book_server):
    """`book_audit(docname)`: the audit of one page of the book (loaded once, screenshot in _build/screenshots/)."""
    cache = {}
    shots = book_html.parent / "screenshots"

    def audit(docname: str):
        if docname not in cache:
            if not (book_html / f"{docname}.html").is_file():
                pytest.fail(f"{docname}.html is in _toc.yml but not in the built book", pytrace=False)
            shot = shots / (docname.replace("/", "__") + ".png")
            cache[docname] = audit_page(browser, book_server.url(f"{docname}.html"), screenshot=shot)
        return cache[docname]

    return audit
