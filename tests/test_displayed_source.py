"""Every object a chapter shows with show_source must fit the book's text column.

The built book's text column fits 88 characters of code; longer lines scroll sideways. The
objects are found from the chapters themselves, so a new display is never left unchecked.
"""

import ast
import importlib
import inspect
import json
import pkgutil
import textwrap
from pathlib import Path

import pytest

import lib

MAX_LINE = 88
CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
_MISSING = object()


def _lib_modules():
    """Every module of lib, imported, keyed by its short name (e.g. "optimizers")."""
    modules = {}
    for info in pkgutil.iter_modules(lib.__path__):
        modules[info.name] = importlib.import_module(f"lib.{info.name}")
    return modules


def _show_source_arguments():
    """(chapter name, argument source text) for each show_source(...) call in a code cell."""
    found = set()
    for notebook in sorted(CHAPTERS.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            # Drop IPython magics and shell escapes so the cell parses as Python.
            lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
            tree = ast.parse("\n".join(lines))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "show_source"):
                    assert len(node.args) == 1 and not node.keywords, ast.unparse(node)
                    found.add((notebook.name, ast.unparse(node.args[0])))
    return sorted(found)


def _dotted_parts(expression):
    """["a", "b", "c"] for the expression "a.b.c"; None if it is not a plain dotted name."""
    node = ast.parse(expression, mode="eval").body
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _resolve(expression, modules):
    """All distinct objects the expression can name in lib, tried in a fixed order.

    The first name is looked up as lib itself, as a lib module, then as an attribute of each lib
    module; the rest are attribute lookups. Every distinct match is returned, so two different
    objects with one name are both checked.
    """
    parts = _dotted_parts(expression)
    if parts is None:
        return []
    head, rest = parts[0], parts[1:]
    roots = []
    if head == "lib":
        roots.append(lib)
    if head in modules:
        roots.append(modules[head])
    roots.extend(getattr(module, head) for module in modules.values() if hasattr(module, head))
    resolved = []
    for obj in roots:
        for name in rest:
            obj = getattr(obj, name, _MISSING)
            if obj is _MISSING:
                break
        if obj is not _MISSING and not any(obj is seen for seen in resolved):
            resolved.append(obj)
    return resolved


ARGUMENTS = _show_source_arguments()


def test_chapters_display_some_source():
    assert ARGUMENTS, f"no show_source(...) call found in {CHAPTERS}"


@pytest.mark.parametrize(("chapter", "expression"), ARGUMENTS)
def test_displayed_source_fits_the_text_column(chapter, expression):
    objects = _resolve(expression, _lib_modules())
    assert objects, f"{chapter}: cannot resolve show_source({expression}) to an object of lib"
    too_long = []
    for obj in objects:
        # The same measure as lib.source.show_source: the dedented source.
        source = textwrap.dedent(inspect.getsource(obj))
        for number, line in enumerate(source.splitlines(), start=1):
            if len(line) > MAX_LINE:
                too_long.append(f"  line {number} ({len(line)} chars): {line}")
    assert not too_long, (
        f"{chapter}: show_source({expression}) has lines over {MAX_LINE} characters:\n" + "\n".join(too_long)
    )
