"""Sphinx extension: drop the inline scripts that jupyter-book 1.x emits twice on every page.

In a jupyter-book 1.0.4 build every page carries the inline configuration scripts of sphinx-thebe and
sphinx-togglebutton twice (registered once with filename None and once with ""); the second
`const THEBE_JS_URL = ...` is a JavaScript error in every page's console.
"""


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


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
