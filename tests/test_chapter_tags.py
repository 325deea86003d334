"""Every "Introduced in chapter NN." in lib names the first chapter whose code uses that name.

A use is an import of the name from lib (``from lib.network import FeedForwardNetwork``) or an attribute of an
imported lib module (``plotting.draw_graph``); a string such as ``activation="tanh"`` or ``np.tanh`` is not a
use. Names no chapter uses are not checked here (lib uses them internally); their tag must still name a chapter.
"""

import ast
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest

import lib

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
TAG = re.compile(r"Introduced in chapter (\d\d)\b")


def lib_modules():
    for info in pkgutil.walk_packages(lib.__path__, prefix="lib."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield importlib.import_module(info.name)


def tagged_objects():
    """{id(obj): (qualified name, tagged chapter)} for the public functions and classes lib defines."""
    tags = {}
    for module in lib_modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if obj.__module__ != module.__name__:  # imported from another module: tagged there
                continue
            found = TAG.findall(obj.__doc__ or "")
            if found:
                tags[id(obj)] = (f"{module.__name__}.{name}", int(found[-1]))
    return tags


def code_cells(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            # IPython magics and shell escapes are not Python.
            yield "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))


def used_lib_objects(path):
    """The ids of the lib objects a chapter's code imports from lib or reaches as attributes of a lib module."""
    used, aliases = set(), {}  # alias -> lib module

    def resolve(node):
        """The lib object an expression such as `plotting.draw_graph` or `lib.network.X` denotes, else None."""
        if isinstance(node, ast.Name):
            return aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = resolve(node.value)
            if inspect.ismodule(base):
                return getattr(base, node.attr, None)
        return None

    for source in code_cells(path):
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "lib" or alias.name.startswith("lib."):
                        if alias.asname:
                            aliases[alias.asname] = importlib.import_module(alias.name)
                        else:
                            aliases["lib"] = lib
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module != "lib" and not node.module.startswith("lib."):
                    continue
                module = importlib.import_module(node.module)
                for alias in node.names:
                    obj = getattr(module, alias.name, None)
                    if obj is None and node.module == "lib":
                        obj = importlib.import_module(f"lib.{alias.name}")
                    if inspect.ismodule(obj):
                        aliases[alias.asname or alias.name] = obj
                    else:
                        used.add(id(obj))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                obj = resolve(node)
                if obj is not None and not inspect.ismodule(obj):
                    used.add(id(obj))
    return used


TAGS = tagged_objects()
FIRST_USE = {}
for number, chapter in enumerate(CHAPTERS, start=1):
    for key in used_lib_objects(chapter):
        FIRST_USE.setdefault(key, number)


def test_the_tags_are_found():
    assert len(TAGS) > 80, "the tag pattern no longer matches lib's docstrings"
    assert len(set(FIRST_USE) & set(TAGS)) > 40, "the chapters' uses of lib are no longer found"


def test_every_tag_names_a_chapter():
    bad = [f"{name}: chapter {chapter}" for name, chapter in TAGS.values() if not 1 <= chapter <= len(CHAPTERS)]
    assert not bad, bad


@pytest.mark.parametrize("key", sorted(TAGS, key=lambda k: TAGS[k][0]), ids=lambda k: TAGS[k][0])
def test_tag_is_the_first_chapter_that_uses_the_name(key):
    name, tagged = TAGS[key]
    first = FIRST_USE.get(key)
    if first is None:
        pytest.skip(f"{name} is used by no chapter")
    assert tagged == first, f"{name} says 'Introduced in chapter {tagged:02d}', but chapter {first:02d} uses it first"
