"""Sphinx extension: three fixes of the HTML that jupyter-book 1.x writes.

1. In a jupyter-book 1.0.4 build every page carries the inline configuration scripts of sphinx-thebe and
   sphinx-togglebutton twice (registered once with filename None and once with ""); the second
   `const THEBE_JS_URL = ...` is a JavaScript error in every page's console.
2. Docutils writes each bibliography entry as `<div class="citation" role="doc-biblioentry">` inside a
   `<div role="list">`: `doc-biblioentry` is deprecated in ARIA (DPUB-ARIA 1.1) and is not a list item, so axe
   reports aria-deprecated-role on every entry and aria-required-children on the list. The entries become the
   list items they are (`role="listitem"`).
3. myst-nb writes the toggle of a hidden cell (tag hide-input/hide-output) as `<summary aria-label="Toggle hidden
   content">` around the visible text "Show code cell content": a name that leaves out the visible label (axe:
   label-content-name-mismatch, WCAG 2.5.3). Without the aria-label the toggle is named by what it shows.
"""

import re

_BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # The same inline script comes once with filename None and once with filename "": compare by content.
        key = (script.filename or "", tuple(sorted((k, str(v)) for k, v in script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _accessible_body(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body:
        return
    if "doc-biblioentry" in body:
        body = _BIBLIOENTRY.sub(r'\1 role="listitem"', body)
    context["body"] = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", _accessible_body, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
