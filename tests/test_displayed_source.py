"""Every object a chapter shows with show_source must fit the book's text column and hold the formula only.

The built book's text column fits 88 characters of code; longer lines scroll sideways. What a chapter
displays is formula-shaped code: the argument checks stay in the public function, outside the display. The
objects are found from the chapters themselves, so a new display is never left unchecked.
"""

import ast
import importlib
import inspect
import json
import pkgutil
import textwrap
from pathlib import Path

import numpy as np
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


# What a chapter displays is the formula; checking the arguments happens before it, outside the displayed code
# (the public function checks, then calls the private function the chapter shows). Validation is found by what
# it looks like in the source: a `raise` or `assert`, `np.errstate` (silencing warnings that a check then turns
# into an error), a call to a function of lib/_validate.py, or a call to one of lib's private helpers whose own
# body raises or calls lib/_validate.py (such as lib.linear_models._targets). A helper is judged by its own body,
# so one that does work and leaves the checks to another (lib.tuning._trial and _outcome) is not validation; and
# calls through `self` are not followed, so checks in a subclass (lib.autodiff._Checked, under Var and Dual) stay
# outside the displayed class (_Scalar), as they should.
# A displayed object that must raise for the teaching to be right goes here, with the reason, by the expression
# of its show_source call. None does today.
LEGITIMATE_VALIDATION = {}


def _callee(node, namespace):
    """The object a call's function expression names (a global, or an attribute of a module), else None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _callee(node.value, namespace)
        if inspect.ismodule(base):
            return getattr(base, node.attr, None)
    return None


def _namespace(obj):
    module = obj if inspect.ismodule(obj) else inspect.getmodule(obj)
    return vars(module)


def _is_validator(function):
    return inspect.isfunction(function) and function.__module__ == "lib._validate"


def _checking_helper(function):
    """True for a private lib function whose own body raises or calls lib/_validate.py."""
    if not (inspect.isfunction(function) and function.__name__.startswith("_")
            and function.__module__.startswith("lib.") and not _is_validator(function)):
        return False
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    namespace = function.__globals__
    return any(isinstance(node, ast.Raise)
               or isinstance(node, ast.Call) and _is_validator(_callee(node.func, namespace))
               for node in ast.walk(tree))


def _validation_in(obj):
    """'line N: what' for each piece of validation in obj's displayed source."""
    source = textwrap.dedent(inspect.getsource(obj))
    namespace = _namespace(obj)
    found = []
    for node in ast.walk(ast.parse(source)):
        what = None
        if isinstance(node, ast.Raise):
            what = "raise"
        elif isinstance(node, ast.Assert):
            what = "assert"
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.decorator_list:
            for decorator in node.decorator_list:
                if _checking_helper(_callee(decorator, namespace)):
                    what = f"decorator @{ast.unparse(decorator)}, which checks"
        elif isinstance(node, ast.Call):
            callee = _callee(node.func, namespace)
            if callee is np.errstate:
                what = "np.errstate"
            elif _is_validator(callee):
                what = f"{ast.unparse(node.func)}(...), a lib._validate check"
            elif _checking_helper(callee):
                what = f"{ast.unparse(node.func)}(...), a helper that checks arguments"
        if what:
            found.append(f"  line {node.lineno}: {what}: {source.splitlines()[node.lineno - 1].strip()}")
    return sorted(set(found), key=lambda line: int(line.split()[1].rstrip(":")))


@pytest.mark.parametrize(("chapter", "expression"), ARGUMENTS)
def test_displayed_source_holds_no_validation(chapter, expression):
    if expression in LEGITIMATE_VALIDATION:
        pytest.skip(LEGITIMATE_VALIDATION[expression])
    objects = _resolve(expression, _lib_modules())
    assert objects, f"{chapter}: cannot resolve show_source({expression}) to an object of lib"
    found = [line for obj in objects for line in _validation_in(obj)]
    assert not found, (
        f"{chapter}: show_source({expression}) displays validation; let the public function check its "
        "arguments and display the private function that holds the formula:\n" + "\n".join(found)
    )


def test_allowed_validation_is_still_displayed():
    assert set(LEGITIMATE_VALIDATION) <= {expression for _, expression in ARGUMENTS}


def test_the_validation_finder_finds_validation():
    """The finder is not blind: it sees each kind of validation in lib's own functions, among them the public
    functions whose private formula a chapter displays (the checks moved there, they did not vanish)."""
    from lib import approximation, autodiff, linear_models, perceptron

    def kinds(obj):
        return " ".join(_validation_in(obj))

    assert "a lib._validate check" in kinds(approximation.bump_network)
    assert "np.errstate" in kinds(approximation.step)
    assert ": raise:" in kinds(approximation.bump)
    assert "a helper that checks" in kinds(linear_models.least_squares)
    assert "decorator @_reports_divergence" in kinds(linear_models.LogisticRegressionGD.fit)
    assert "a helper that checks" in kinds(perceptron.perceptron_step)
    assert ": raise:" in kinds(autodiff._Checked)
