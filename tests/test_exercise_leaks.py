"""The student edition does not give the exercises away (issue 12).

The student edition of every chapter is built into a temporary folder with tools/make_student.py, and per chapter:
- no non-trivial line of a reference solution (the code between the solution markers) appears anywhere in the
  student notebook, check cells included;
- every check cell is one call of at most three lines that defines no function or lambda;
- every exercise has its working cell and its check cell marked in the cell metadata
  (``"exercise": {"label": ..., "part": "answer" | "check"}``), in that order, and the check names its label.
The functions below take one source notebook and its student edition, so they can be run on any version.
"""

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
LABEL = re.compile(r"^:label:\s*(ex-\S+)", re.MULTILINE)
MAX_CHECK_LINES = 3

spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)


def source(cell):
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def squash(text):
    return " ".join(text.split())


# Lines too short or too generic to be "the answer": `return W`, `else:`, `W = np.array(W, dtype=float)`, and the
# keyword-argument continuation lines of a call (`output_activation="identity", seed=0)`), which every chapter uses.
# A number assigned to a name (`w_step = -1000.0`) always counts, however short: it may be the whole answer.
TRIVIAL = re.compile(
    r"^(return \w+|pass|else:|try:|break|continue|\w+ = None|for _ in range\(\w+\):"
    r"|[\w.]+ = np\.array\(\w+, dtype=float\)|[)\]}]+|\w+ = \w+|\w+=.*)$"
)
NUMBER_ANSWER = re.compile(r"^\w+ = -?[\d.]+(e-?\d+)?$")
MIN_LENGTH = 18


def non_trivial(code):
    if NUMBER_ANSWER.match(code):
        return True
    return bool(code) and not code.startswith("#") and len(code) >= MIN_LENGTH and not TRIVIAL.match(code)


def solution_lines(notebook):
    """The non-trivial lines between the solution markers of a (full-edition) notebook: [(label, line)]."""
    lines, label = [], None
    for cell in notebook["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown" and "{exercise}" in text:
            found = LABEL.search(text)
            label = found.group(1) if found else label
        if cell["cell_type"] != "code" or BEGIN not in text:
            continue
        inside = False
        for line in text.splitlines():
            marker = line.strip()
            if marker in (BEGIN, END):
                inside = marker == BEGIN
                continue
            code = squash(line.split("  #")[0])
            if inside and non_trivial(code):
                lines.append((label, code))
    return lines


def exercise_labels(notebook):
    return [LABEL.search(source(cell)).group(1) for cell in notebook["cells"]
            if cell["cell_type"] == "markdown" and "{exercise}" in source(cell) and LABEL.search(source(cell))]


def leaks(full, student):
    """Solution lines of `full` that appear in `student`: [(label, line, where)]."""
    cells = [(index, squash(source(cell))) for index, cell in enumerate(student["cells"])]
    found = []
    for label, line in solution_lines(full):
        pattern = re.compile(r"(?<![\w.])" + re.escape(line) + r"(?![\w.])")
        for index, text in cells:
            if pattern.search(text):
                found.append((label, line, f"student cell {index}"))
    return found


def check_cells(student):
    """The check cells: those marked as such, and the first code cell after each working cell."""
    cells = student["cells"]
    found = {}
    for index, cell in enumerate(cells):
        part = cell.get("metadata", {}).get("exercise", {}).get("part")
        if part == "check":
            found[index] = cell
        if cell["cell_type"] == "code" and (part == "answer" or "NotImplementedError(\"Exercise" in source(cell)):
            after = next((i for i in range(index + 1, len(cells)) if cells[i]["cell_type"] == "code"), None)
            if after is not None and cells[after].get("metadata", {}).get("exercise", {}).get("part") != "answer":
                found[after] = cells[after]
    return dict(sorted(found.items()))


def check_cell_problems(student):
    """Check cells that are longer than three lines, define a function or lambda, or are not one call."""
    problems = []
    for index, cell in check_cells(student).items():
        text = source(cell)
        lines = [line for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
        if len(lines) > MAX_CHECK_LINES:
            problems.append(f"cell {index}: {len(lines)} lines (at most {MAX_CHECK_LINES})")
        tree = ast.parse(text)
        kinds = {type(node).__name__ for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))}
        if kinds:
            problems.append(f"cell {index}: defines {', '.join(sorted(kinds))}")
        calls = [statement for statement in tree.body
                 if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)]
        if len(tree.body) != 1 or len(calls) != 1:
            problems.append(f"cell {index}: {len(tree.body)} statements; a check cell is one call")
    return problems


def metadata_problems(full, student):
    """Exercises whose working or check cell is not marked in the metadata, or marked out of order."""
    problems = []
    marked = {}
    for index, cell in enumerate(student["cells"]):
        exercise = cell.get("metadata", {}).get("exercise")
        if exercise:
            marked.setdefault(exercise.get("label"), {}).setdefault(exercise.get("part"), []).append(index)
    for label in exercise_labels(full):
        parts = marked.get(label, {})
        answer, check = parts.get("answer", []), parts.get("check", [])
        if len(answer) != 1 or len(check) != 1:
            problems.append(f"{label}: {len(answer)} working cell(s) and {len(check)} check cell(s) marked "
                            "in the metadata (need one of each)")
            continue
        cell = student["cells"][check[0]]
        if check[0] < answer[0]:
            problems.append(f"{label}: the check cell comes before the working cell")
        if "NotImplementedError" not in source(student["cells"][answer[0]]):
            problems.append(f"{label}: the working cell has no stub in the student edition")
        if cell["cell_type"] != "code" or f'check_exercise("{label}"' not in source(cell):
            problems.append(f"{label}: the check cell does not call check_exercise(\"{label}\", ...)")
    unknown = sorted(set(marked) - set(exercise_labels(full)) - {None})
    problems += [f"{label}: marked in the metadata but no exercise has this label" for label in unknown]
    return problems


NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def student_edition(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student")
    make_student.make_student_edition(CHAPTERS, dest)
    return dest


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_no_solution_line_reaches_the_student_edition(path, student_edition):
    found = leaks(load(path), load(student_edition / path.name))
    assert not found, "solution lines in the student edition:\n" + "\n".join(
        f"  {label}: {line!r} in {where}" for label, line, where in found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_check_cells_are_one_short_call_without_definitions(path, student_edition):
    problems = check_cell_problems(load(student_edition / path.name))
    assert not problems, "check cells:\n" + "\n".join(f"  {problem}" for problem in problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_exercise_marks_its_working_and_check_cells(path, student_edition):
    full = load(path)
    assert exercise_labels(full), f"{path.name} has no exercises"
    problems = metadata_problems(full, load(student_edition / path.name))
    assert not problems, "exercise metadata:\n" + "\n".join(f"  {problem}" for problem in problems)


# --- the test can fail: the detectors on a small notebook -------------------------------------------------------


def cell(kind, text, exercise=None):
    metadata = {"exercise": exercise} if exercise else {}
    result = {"cell_type": kind, "metadata": metadata, "source": text.splitlines(keepends=True)}
    if kind == "code":
        result.update(outputs=[], execution_count=None)
    return result


def demo(check_text, answer_meta=True, check_meta=True, prose_after=""):
    label = "ex-99-cube"
    cells = [
        cell("markdown", f"```{{exercise}} Cubes\n:label: {label}\nWrite `cube(x)`.\n```"),
        cell("markdown", f"```{{solution-start}} {label}\n:class: dropdown\n```"),
        cell("code", f"def cube(x):\n    {BEGIN}\n    result = x * x * x  # three factors\n    return result\n"
                     f"    {END}",
             {"label": label, "part": "answer"} if answer_meta else None),
        cell("markdown", "```{solution-end}\n```"),
        cell("code", check_text, {"label": label, "part": "check"} if check_meta else None),
    ]
    if prose_after:
        cells.append(cell("markdown", prose_after))
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def student_of(notebook):
    return make_student.make_student_notebook(notebook, "99_demo.ipynb", bibliography={}, documents={})


def test_a_clean_exercise_passes_every_detector():
    full = demo('check_exercise("ex-99-cube", cube)')
    student = student_of(full)
    assert leaks(full, student) == []
    assert check_cell_problems(student) == []
    assert metadata_problems(full, student) == []


def test_a_solution_line_in_the_check_cell_or_in_the_prose_is_found():
    full = demo('check_close(cube(2.0), 2.0 * 2.0 * 2.0)\n# result = x * x * x')
    assert [where for _, _, where in leaks(full, student_of(full))] == ["student cell 2"]
    full = demo('check_exercise("ex-99-cube", cube)', prose_after="Hint: `result = x * x * x`.")
    assert [line for _, line, _ in leaks(full, student_of(full))] == ["result = x * x * x"]
    # a longer name that merely contains the line is not the line
    full = demo('check_exercise("ex-99-cube", cube)', prose_after="`my_result = x * x * x + 1`")
    assert [line for _, line, _ in leaks(full, student_of(full))] == []


def test_a_short_number_answer_still_counts():
    assert non_trivial("w_step = -1000.0") and non_trivial("flops_g = 5")
    assert not non_trivial("return W") and not non_trivial('output_activation="identity", seed=0)')


def test_a_long_check_cell_or_one_with_def_or_lambda_is_found():
    long = demo("a = 1\nb = 2\nc = 3\ncheck_exercise('ex-99-cube', cube)")
    assert any("4 lines" in problem for problem in check_cell_problems(student_of(long)))
    with_def = demo("def reference(x):\n    return x ** 3\ncheck_function(cube, reference, [2.0])")
    assert any("FunctionDef" in problem for problem in check_cell_problems(student_of(with_def)))
    with_lambda = demo("check_function(cube, lambda x: x ** 3, [2.0])")
    assert any("Lambda" in problem for problem in check_cell_problems(student_of(with_lambda)))
    unmarked = demo("check_function(cube, lambda x: x ** 3, [2.0])", check_meta=False)
    assert any("Lambda" in problem for problem in check_cell_problems(student_of(unmarked)))


def test_missing_metadata_is_found():
    full = demo('check_exercise("ex-99-cube", cube)', answer_meta=False)
    assert any("0 working cell(s)" in problem for problem in metadata_problems(full, student_of(full)))
    full = demo('check_exercise("ex-99-other", cube)')
    assert any("does not call check_exercise" in problem for problem in metadata_problems(full, student_of(full)))
