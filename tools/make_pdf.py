"""Print the built HTML book to one PDF: every page in the order of _toc.yml, with bookmarks.

Usage: python tools/make_pdf.py [HTML_DIR] [OUT_PDF]   (`make pdf`: _build/html -> _build/pdf/book.pdf)

jupyter-book's own `pdfhtml` builder downloads a browser and cannot run offline, and `singlehtml` breaks with
sphinx-exercise + sphinx-proof (see shared toolchain notes), so each page of the normal HTML build is printed by
Debian's Chromium (Playwright's `page.pdf` with the system browser), after MathJax has typeset and the widget
snapshots have rendered, with a print stylesheet (tools/print.css, injected here and not part of the web book)
that wraps long code lines and leaves the exercise solutions out. The pages are then merged
with pypdf, one bookmark per page at its first sheet.
"""

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

import yaml
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PRINT_CSS = (ROOT / "tools" / "print.css").read_text()
# Wait until MathJax has typeset the page and every widget snapshot has been drawn (or the page has none).
READY = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    const pending = [...views].filter(s => !s.parentElement.querySelector('.jupyter-widgets'));
    if (pending.length === 0) break;
    await new Promise(r => setTimeout(r, 200));
  }
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
}"""


def toc_pages(toc_file):
    """The book's pages in reading order: the root, then every file of every part."""
    toc = yaml.safe_load(toc_file.read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [entry["file"] for entry in part.get("chapters", [])]
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def print_book(html_dir, out_pdf):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("make_pdf: chromium is not installed (apt-get install chromium)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=html_dir))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    writer = PdfWriter()
    parts_dir = out_pdf.parent / "pages"
    parts_dir.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            for docname in toc_pages(ROOT / "_toc.yml"):
                page.goto(f"{base}/{docname}.html", wait_until="networkidle")
                page.evaluate(READY)
                page.add_style_tag(content=PRINT_CSS)
                title = page.evaluate("() => (document.querySelector('main h1') || {}).textContent || document.title")
                part = parts_dir / (docname.replace("/", "__") + ".pdf")
                page.pdf(path=str(part), format="A4", print_background=True, outline=False,
                         margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
                start = len(writer.pages)
                writer.append(PdfReader(part))
                writer.add_outline_item(title.replace("#", "").strip(), start)
                print(f"{docname}: {len(writer.pages) - start} pages")
            browser.close()
    finally:
        server.shutdown()
    writer.add_metadata({"/Title": "Neural networks from the ground up"})
    with open(out_pdf, "wb") as f:
        writer.write(f)
    shutil.rmtree(parts_dir)
    print(f"{out_pdf}: {len(writer.pages)} pages")


if __name__ == "__main__":
    html = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "html").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "_build" / "pdf" / "book.pdf").resolve()
    if not (html / "index.html").is_file():
        sys.exit(f"make_pdf: no built book in {html}: run make book")
    out.parent.mkdir(parents=True, exist_ok=True)
    print_book(html, out)
