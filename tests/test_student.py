"""The student edition (tools/make_student.py): no solutions, everything else identical, and it stops kindly."""

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def code(text, tags=None):
    return {"cell_type": "code", "metadata": {"tags": tags} if tags else {}, "execution_count": None,
            "outputs": [], "source": text.splitlines(keepends=True)}


EXERCISE = [
    markdown("# 99 Demo\n\nSome prose."),
    code("import numpy as np\nfrom lib.checks import check_close"),
    markdown("```{exercise} Squares\n:label: ex-99-squares\nWrite `square(x)`.\n```"),
    markdown("```{solution-start} ex-99-squares\n:class: dropdown\n```\nMultiply x by itself: that is the prose."),
    code("def square(x):\n    \"\"\"Return x squared.\"\"\"\n    ### BEGIN SOLUTION\n    y = x * x\n    return y\n"
         "    ### END SOLUTION"),
    markdown("```{solution-end}\n```"),
    code("check_close(square(3.0), 9.0, name='square(3)')", tags=["check"]),
    code("answer = 2\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nprint(answer)"),
]


def demo_notebook():
    return {"cells": json.loads(json.dumps(EXERCISE)), "metadata": {"kernelspec": {"name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def sources(notebook):
    return ["".join(cell["source"]) for cell in notebook["cells"]]


# --- the transformation --------------------------------------------------------------------------------------


def test_solution_code_becomes_a_stub_at_the_markers_indentation_keeping_the_signature():
    student = sources(make_student.make_student_notebook(demo_notebook()))
    assert student[3] == (
        'def square(x):\n    """Return x squared."""\n    raise NotImplementedError('
        '"Exercise ex-99-squares: write your code here, in place of this line.")'
    )
    assert student[5] == (
        'answer = 2\nraise NotImplementedError("Exercise ex-99-squares: write your code here, in place of this '
        'line.")\nprint(answer)'
    )


def test_solution_prose_and_the_sphinx_markers_are_removed_and_everything_else_is_identical():
    source = demo_notebook()
    student = make_student.make_student_notebook(source)
    kept = [cell for index, cell in enumerate(source["cells"]) if index not in (3, 5)]
    assert len(student["cells"]) == len(kept)
    for before, after in zip(kept, student["cells"], strict=True):
        if "### BEGIN SOLUTION" not in "".join(before["source"]):
            assert before == after
    assert student["metadata"] == source["metadata"]
    assert not any("solution-start" in text or "that is the prose" in text for text in sources(student))
    assert source == demo_notebook()  # the input is not modified


@pytest.mark.parametrize("text, problem", [
    ("### BEGIN SOLUTION\nx = 1\n", "without ### END"),
    ("x = 1\n### END SOLUTION\n", "without ### BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
])
def test_unbalanced_markers_are_an_error_naming_the_cell(text, problem):
    with pytest.raises(make_student.SolutionMarkerError, match=problem):
        make_student.strip_solution_code(text, where="demo.ipynb, cell 4")


def test_an_unclosed_solution_prose_block_is_an_error():
    notebook = demo_notebook()
    del notebook["cells"][5]
    with pytest.raises(make_student.SolutionMarkerError, match="solution-start without solution-end"):
        make_student.make_student_notebook(notebook, "demo.ipynb")


# --- the real chapters ------------------------------------------------------------------------------------------


def solution_lines(notebook):
    """Non-blank lines between the markers that appear nowhere else in the notebook."""
    inside_lines, outside_lines = set(), set()
    for text in sources(notebook):
        inside = False
        for line in text.splitlines():
            if line.strip() == make_student.BEGIN:
                inside = True
            elif line.strip() == make_student.END:
                inside = False
            elif line.strip():
                (inside_lines if inside else outside_lines).add(line.strip())
    return inside_lines - outside_lines


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student")
    make_student.make_student_edition(CHAPTERS, dest)
    return dest


def test_every_chapter_has_a_student_edition_without_solution_code(student_dir):
    notebooks = sorted(CHAPTERS.glob("*.ipynb"))
    assert notebooks, "no chapters"
    for path in notebooks:
        source = json.loads(path.read_text(encoding="utf-8"))
        student_text = (student_dir / path.name).read_text(encoding="utf-8")
        student = json.loads(student_text)
        assert "BEGIN SOLUTION" not in student_text and "solution-start" not in student_text, path.name
        student_lines = {line.strip() for text in sources(student) for line in text.splitlines()}
        leaked = solution_lines(source) & student_lines
        assert not leaked, f"{path.name}: solution lines in the student edition: {leaked}"
        stubs = sum(text.count("raise NotImplementedError(") for text in sources(student))
        blocks = sum(text.count(make_student.BEGIN) for text in sources(source))
        assert stubs >= blocks, path.name
        nbformat.validate(nbformat.from_dict(student))


def test_the_student_edition_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    make_student.make_student_edition(CHAPTERS, first)
    make_student.make_student_edition(CHAPTERS, second)
    for path in sorted(first.glob("*.ipynb")):
        assert path.read_bytes() == (second / path.name).read_bytes()


def test_the_command_line_and_stale_notebooks(tmp_path):
    (tmp_path / "old_chapter.ipynb").write_text("{}")
    assert make_student.main([str(CHAPTERS), str(tmp_path)]) == 0
    assert not (tmp_path / "old_chapter.ipynb").exists()
    assert make_student.main([]) == 2
    with pytest.raises(ValueError, match="dest"):
        make_student.make_student_edition(CHAPTERS, CHAPTERS)


def test_chapter_01_student_edition_runs_until_the_first_exercise_and_stops_kindly(student_dir):
    notebook = nbformat.read(student_dir / "01_gates.ipynb", as_version=4)
    first_exercise = next(index for index, cell in enumerate(notebook.cells)
                          if cell.cell_type == "markdown" and "{exercise}" in cell.source)
    # A short timeout: nbclient now and then misses a widget cell's reply until the timeout (see README).
    client = NotebookClient(notebook, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(student_dir)}})
    with pytest.raises(CellExecutionError) as error:
        client.execute()
    failed = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              and any(output.output_type == "error" for output in cell.get("outputs", []))]
    assert len(failed) == 1 and failed[0] > first_exercise
    executed = [cell for cell in notebook.cells[:first_exercise] if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in executed), "a cell before the exercises did not run"
    output = next(out for out in notebook.cells[failed[0]].outputs if out.output_type == "error")
    assert output.ename in ("NotImplementedError", "NotImplementedYet")
    assert "Exercise ex-01-normal-equations: write your code here" in output.evalue
    traceback = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.traceback))
    assert "lib/checks.py" not in traceback and "site-packages" not in traceback, traceback
    assert "NotImplementedYet" in str(error.value) or "NotImplementedError" in str(error.value)
