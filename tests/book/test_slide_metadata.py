"""Every chapter is a slide show (issue 17, item 3): each cell says how it appears on a slide.

A lecturer presents a chapter live with jupyterlab-rise (JupyterLab's "Render as slides") or shows the static deck
(`make slides`). Both read the cell metadata `"slideshow": {"slide_type": ...}`, chosen by hand so that each slide
fits a 1280x720 projector (tests/browser/test_slides.py measures the decks). This test keeps the annotation
complete and consistent: every cell has a valid slide type; a chapter opens with a slide; every `#`/`##` heading
opens a slide and every `###` heading and every exercise a slide or a subslide; set-up cells (imports only),
`remove-cell` pins, the exercises' answer and check cells and the solution prose are skipped (a lecturer shows the
task, not the answer); hints are speaker notes. jupyterlab-rise lets a code cell longer than the screen scroll.
"""

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
STARTS = {"slide", "subslide"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def heading_level(cell):
    """The level of the heading a markdown cell opens with (after (label)= targets), else 0."""
    if cell["cell_type"] != "markdown":
        return 0
    lines = [line for line in source(cell).split("\n") if line.strip() and not re.match(r"^\([^()\s]+\)=\s*$", line)]
    found = re.match(r"^(#{1,6}) ", lines[0]) if lines else None
    return len(found.group(1)) if found else 0


def imports_only(cell):
    """A code cell that only imports (the chapter's set-up cell)."""
    try:
        body = ast.parse(source(cell)).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body)


def roles(notebook):
    """(cell, role) for every cell: 'solution' (prose between solution-start and solution-end, both included),
    'answer', 'check', 'pin' (remove-cell), 'setup', 'hint', 'exercise', or None."""
    out, inside = [], False
    for cell in notebook["cells"]:
        text = source(cell) if cell["cell_type"] == "markdown" else ""
        part = cell.get("metadata", {}).get("exercise", {}).get("part")
        inside = inside or "{solution-start}" in text
        if part in ("answer", "check"):
            role = part
        elif inside:
            role = "solution"
        elif "remove-cell" in cell.get("metadata", {}).get("tags", []):
            role = "pin"
        elif cell["cell_type"] == "code" and imports_only(cell):
            role = "setup"
        elif re.match(r"^:::\{hint\}", text):
            role = "hint"
        elif re.match(r"^`{3,}\{exercise\}", text):
            role = "exercise"
        else:
            role = None
        inside = inside and "{solution-end}" not in text
        out.append((cell, role))
    return out


def where(path, notebook, cell):
    return f"{path.name}, cell {notebook['cells'].index(cell)} ({source(cell)[:50]!r})"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_cell_has_a_slide_type(path):
    notebook = load(path)
    bad = [where(path, notebook, c) for c in notebook["cells"] if slide_type(c) not in SLIDE_TYPES]
    assert bad == [], f"cells without a valid slideshow.slide_type (one of {sorted(SLIDE_TYPES)})"
    shown = [c for c in notebook["cells"] if slide_type(c) not in ("skip", "notes")]
    assert shown and slide_type(shown[0]) == "slide", f"{path.name}: the first cell shown must open a slide"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_headings_and_exercises_open_slides(path):
    notebook = load(path)
    bad = []
    for cell, role in roles(notebook):
        level = heading_level(cell)
        if level in (1, 2) and slide_type(cell) != "slide":
            bad.append(f"{where(path, notebook, cell)}: a {'#' * level} heading opens a slide")
        if (level >= 3 or role == "exercise") and slide_type(cell) not in STARTS:
            bad.append(f"{where(path, notebook, cell)}: opens a slide or subslide")
    assert bad == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_answers_checks_pins_and_setup_are_skipped(path):
    notebook = load(path)
    annotated = roles(notebook)
    bad = [f"{where(path, notebook, c)}: {role} cell is not skipped" for c, role in annotated
           if role in ("solution", "answer", "check", "pin", "setup") and slide_type(c) != "skip"]
    bad += [f"{where(path, notebook, c)}: a hint is a speaker note" for c, role in annotated
            if role == "hint" and slide_type(c) != "notes"]
    assert bad == []
    # Not vacuous: every chapter has exercises with answer and check cells, and a set-up cell.
    found = {role for _, role in annotated}
    assert {"answer", "check", "exercise", "setup"} <= found, f"{path.name}: roles found: {sorted(found - {None})}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_rise_lets_long_cells_scroll(path):
    """jupyterlab-rise reads the notebook's "rise" metadata: a code cell taller than the screen scrolls."""
    assert load(path)["metadata"].get("rise", {}).get("scroll") is True, path.name
