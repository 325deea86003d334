"""The browser checks fail on bad pages: raw TeX, a missing image, an external request, a console error, a
widget view without its state, and (axe-core and the widget checks) an image without alt text, text with too little
contrast, a field without a label, a slider without a name. Each synthetic page is served from a temporary folder
exactly like the book.

External requests point at `.invalid` hosts (RFC 2606: never resolvable) and are aborted by the page's route
before any connection is made; the audit counts them. A good control page, with the book's own vendored MathJax
and widget renderer, must pass every check, so the failures below are caused by the defect and nothing else.
"""

import base64
import json

import pytest

from .conftest import BOOK, ROOT
from .helpers import StaticServer, audit_page

# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
IMAGE_DESCRIPTION = "A one-pixel image that stands for the playground's figure"
MATHJAX_CONFIG = '<script>window.MathJax = {"options": {"processHtmlClass": "math"}}</script>'


def _vendor_folder():
    """The offline JavaScript: the built book's copy, or the vendored folder it is built from."""
    for folder in (BOOK / "_build" / "html" / "_static", ROOT / "_vendor"):
        if (folder / "mathjax" / "tex-mml-chtml.js").is_file():
            return folder
    return None


def _page(body, head=""):
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title>{head}</head>"
            f"<body><main>{body}</main></body></html>")


def _widget_page(widget=None):
    """A page with one saved widget (an IntSlider unless given), as myst-nb writes it: state in the head, the view
    where it displays."""
    import ipywidgets
    from ipywidgets.embed import embed_data

    slider = widget or ipywidgets.IntSlider(value=3, description="hidden units")
    data = embed_data(views=[slider])
    head = (
        '<script src="vendor/require.js"></script>'
        + '<script src="vendor/html-manager/embed-amd.js" data-jupyter-widgets-cdn="vendor/"></script>'
        + '<script type="application/vnd.jupyter.widget-state+json">' + json.dumps(data["manager_state"])
        + "</script>"
    )
    view = '<script type="application/vnd.jupyter.widget-view+json">' + json.dumps(data["view_specs"][0])
    slider.close()
    return head, view + "</script>"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    vendor = _vendor_folder()
    mathjax = ""
    if vendor is not None:
        (root / "mathjax").symlink_to(vendor / "mathjax", target_is_directory=True)
        (root / "vendor").symlink_to(vendor / "vendor", target_is_directory=True)
        (root / "book-a11y.js").symlink_to(ROOT / "tools" / "static" / "book-a11y.js")
        mathjax = MATHJAX_CONFIG + '<script defer src="mathjax/tex-mml-chtml.js"></script>'
    (root / "pixel.png").write_bytes(PIXEL)
    pages = {
        "good.html": _page('<p>Inline <span class="math">\\(z = a W + b\\)</span>.</p>'
                           '<img src="pixel.png" alt="A one-pixel image that stands for a figure">'
                           '<div class="cell_input"><pre>z = a @ W + b</pre></div>', mathjax),
        "long_code_line.html": _page('<div class="cell_input"><pre style="width: 300px; overflow-x: auto">'
                                     + "x = 1 + " * 40 + "1</pre></div>"),
        "wide_table.html": _page('<div class="pst-scrollable-table-container" style="width: 300px; overflow-x: auto">'
                                 "<table><tr>" + "<td>column</td>" * 40 + "</tr></table></div>"),
        "raw_tex_no_mathjax.html": _page('<p>The cost <span class="math">\\(C = \\frac{1}{2}(a - y)^2\\)</span>.</p>'),
        # Single dollars are not MathJax delimiters: what a page shows when MyST's dollarmath is off.
        "raw_tex_in_text.html": _page("<p>The learning rate $\\eta$ and the cost $\\frac{1}{2}(a - y)^2$.</p>",
                                      mathjax),
        "tex_error.html": _page('<p><span class="math">\\(\\frac{1}\\)</span></p>', mathjax),
        "undefined_macro.html": _page('<p><span class="math">\\(\\sigmoid(z)\\)</span></p>', mathjax),
        "tex_in_code.html": _page('<pre>plt.xlabel(r"$\\sigma(z)$")  # \\( and $$ in code are fine</pre>'
                                  '<p><code>$$x$$</code></p>', mathjax),
        "missing_image.html": _page('<p>A figure:</p><img src="_images/missing.png">'),
        "external_script.html": _page("<p>CDN</p>", '<script src="http://cdn.example.invalid/mathjax.js"></script>'),
        "external_image.html": _page('<img src="https://images.example.invalid/figure.png">'),
        "external_font.html": _page("<p>font</p>", "<style>@font-face { font-family: f; src: "
                                    "url(https://fonts.example.invalid/f.woff2); } p { font-family: f; }</style>"),
        "console_error.html": _page("<p>x</p><script>console.error('something broke')</script>"),
        "exception.html": _page("<p>x</p><script>undefinedFunction()</script>"),
        # WCAG failures axe-core finds: a figure without alt, grey-on-white text at 2.3:1, a field without a label.
        "inaccessible.html": _page('<p>A figure:</p><img src="pixel.png">'
                                   '<p style="color: #aaaaaa">Pale text</p><input type="text">'),
    }
    if vendor is not None:
        head, view = _widget_page()
        pages["widget.html"] = _page("<div>" + view + "</div>", head)
        # The same slider with the book's script that names slider handles after their label.
        pages["widget_named.html"] = _page("<div>" + view + "</div>", '<script src="book-a11y.js"></script>' + head)
        from lib.playground import _described_image

        head, view = _widget_page(_described_image(value=PIXEL, format="png", tooltip=IMAGE_DESCRIPTION))
        pages["widget_image.html"] = _page("<div>" + view + "</div>", head)
        pages["widget_without_state.html"] = _page(
            '<div><script type="application/vnd.jupyter.widget-view+json">'
            '{"version_major": 2, "version_minor": 0, "model_id": "0123456789abcdef"}</script></div>',
            '<script src="vendor/require.js"></script>'
            '<script src="vendor/html-manager/embed-amd.js" data-jupyter-widgets-cdn="vendor/"></script>')
    for name, html in pages.items():
        (root / name).write_text(html)
    with StaticServer(root) as server:
        yield server, vendor is not None


@pytest.fixture(scope="module")
def audit(browser, site, axe_js):
    server, _ = site
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = audit_page(browser, server.url(name), axe=axe_js)
        return cache[name]

    return get


@pytest.fixture
def vendored(site):
    if not site[1]:
        pytest.skip("no vendored MathJax/widget renderer (run tools/vendor_js.sh or make book)")


def test_a_good_page_passes_every_check(audit, vendored):
    result = audit("good.html")
    assert result.problems() == []
    assert result.dom["typesetMath"] == 1 and result.dom["images"] == 1


def test_code_that_scrolls_sideways_fails(audit):
    assert any("scrolls sideways" in p for p in audit("long_code_line.html").layout_problems())


def test_a_table_wider_than_the_text_fails(audit):
    assert any("wider than the text column" in p for p in audit("wide_table.html").layout_problems())


def test_math_left_as_tex_fails(audit):
    problems = audit("raw_tex_no_mathjax.html").math_problems()
    assert any("not typeset" in p for p in problems)
    assert any("raw TeX" in p for p in problems)


def test_raw_tex_outside_math_elements_fails(audit, vendored):
    result = audit("raw_tex_in_text.html")
    assert result.math_problems() and any("$\\eta$" in text for text in result.dom["rawTex"])


def test_a_tex_error_fails(audit, vendored):
    assert any("MathJax errors" in p for p in audit("tex_error.html").math_problems())


def test_an_undefined_macro_fails(audit, vendored):
    result = audit("undefined_macro.html")
    assert result.math_problems() and result.dom["mathErrors"] == ["undefined macro \\sigmoid"]


def test_tex_inside_code_is_allowed(audit, vendored):
    assert audit("tex_in_code.html").problems() == []


def test_a_missing_image_fails(audit):
    result = audit("missing_image.html")
    assert result.image_problems() == ["image did not load: _images/missing.png"]
    assert any("404" in p and "missing.png" in p for p in result.network_problems())


@pytest.mark.parametrize(("page", "url"), [
    ("external_script.html", "http://cdn.example.invalid/mathjax.js"),
    ("external_image.html", "https://images.example.invalid/figure.png"),
    ("external_font.html", "https://fonts.example.invalid/f.woff2"),
])
def test_a_request_outside_the_server_fails_and_is_not_sent(audit, page, url):
    result = audit(page)
    assert result.external_requests == [url]
    assert any("outside the server" in p for p in result.network_problems())


@pytest.mark.parametrize(("page", "message"), [("console_error.html", "something broke"),
                                               ("exception.html", "undefinedFunction")])
def test_console_errors_fail(audit, page, message):
    assert any(message in p for p in audit(page).console_problems())


def test_a_saved_widget_renders(audit, vendored):
    result = audit("widget.html")
    assert result.widget_problems() == []
    assert result.dom["widgetViews"] == result.dom["widgetsRendered"] == 1


def test_a_widget_view_without_its_state_fails(audit, vendored):
    problems = audit("widget_without_state.html").widget_problems()
    assert "1 widget view(s) but no saved widget state" in problems
    assert "only 0 of 1 widget snapshot(s) rendered" in problems


def test_axe_finds_a_missing_alt_low_contrast_and_an_unlabelled_field(audit, require_axe):
    result = audit("inaccessible.html")
    assert {"image-alt", "color-contrast", "label"} <= set(result.axe_counts()), result.axe_counts()
    assert any(p.startswith("axe image-alt") for p in result.accessibility_problems())


def test_a_slider_without_a_name_fails_and_the_book_script_names_it(audit, vendored, require_axe):
    bare, named = audit("widget.html"), audit("widget_named.html")
    assert "aria-input-field-name" in bare.axe_counts()
    assert "widget slider without an accessible name (aria-label or aria-labelledby)" in bare.accessibility_problems()
    assert named.accessibility_problems() == []
    assert named.dom["widgetSliders"] == [{"name": "hidden units", "focusable": True}]


def test_a_widget_image_is_described_by_its_tooltip(audit, vendored, require_axe):
    """The playground's image: an ipywidgets Image with a tooltip renders with that tooltip as its title (its
    accessible name), where a plain Image with a tooltip would fail to render at all (see lib.playground)."""
    result = audit("widget_image.html")
    assert result.problems() == []
    assert result.dom["widgetImageNames"] == [IMAGE_DESCRIPTION]
