"""Write the student edition of the book's notebooks: the same notebooks with the solutions taken out.

Usage: python tools/make_student.py SOURCE_DIR DEST_DIR   (`make student` = chapters -> student)

In every notebook of SOURCE_DIR:
- the code between `### BEGIN SOLUTION` and `### END SOLUTION` lines becomes one line, at the marker's
  indentation, that raises NotImplementedError with a friendly sentence naming the exercise;
- the markdown cells from ```{solution-start}``` to ```{solution-end}``` (the gated solution prose and the two
  sphinx-exercise markers) are removed; code cells between them stay, with their solutions stubbed;
- everything else is copied unchanged (other files in SOURCE_DIR too). Stale notebooks in DEST_DIR are removed.
The output depends only on the input: running it twice gives identical files.
"""

import json
import re
import shutil
import sys
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)


class SolutionMarkerError(ValueError):
    """The solution markers in a notebook are unbalanced or misplaced."""


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_source(cell, text):
    cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text


def stub_line(indent, exercise):
    """The line that replaces a solution: raises NotImplementedError with a sentence the student can act on."""
    where = f"Exercise {exercise}" if exercise else "This exercise"
    message = f"{where}: write your code here, in place of this line."
    return f'{indent}raise NotImplementedError("{message}")\n'


def strip_solution_code(text, exercise=None, where="cell"):
    """Replace each BEGIN/END SOLUTION block of `text` (markers included) by a stub line; return the new text."""
    lines = text.splitlines(keepends=True)
    out, inside = [], False
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise SolutionMarkerError(f"{where}, line {number}: {BEGIN} inside another solution")
            inside = True
            out.append(stub_line(line[: len(line) - len(line.lstrip())], exercise))
        elif marker == END:
            if not inside:
                raise SolutionMarkerError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionMarkerError(f"{where}: {BEGIN} without {END}")
    result = "".join(out)
    # A cell that ended on the END marker ends on the stub, without a new trailing newline.
    return result if text.endswith("\n") else result.removesuffix("\n")


def make_student_notebook(notebook, name="notebook"):
    """Return the student edition of a notebook (a dict in nbformat 4 JSON); the input is not modified."""
    notebook = json.loads(json.dumps(notebook))
    cells, in_solution, exercise = [], False, None
    for index, cell in enumerate(notebook["cells"]):
        text = _source(cell)
        where = f"{name}, cell {index}"
        if cell["cell_type"] == "markdown":
            if "{exercise}" in text:
                found = LABEL.search(text)
                exercise = found.group(1) if found else None
            if "{solution-start}" in text:
                if in_solution:
                    raise SolutionMarkerError(f"{where}: solution-start inside another solution")
                in_solution = True
            if in_solution:
                if "{solution-end}" in text:
                    in_solution = False
                continue
            if "{solution-end}" in text:
                raise SolutionMarkerError(f"{where}: solution-end without solution-start")
        elif cell["cell_type"] == "code" and BEGIN in text:
            _set_source(cell, strip_solution_code(text, exercise, where))
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    if in_solution:
        raise SolutionMarkerError(f"{name}: solution-start without solution-end")
    notebook["cells"] = cells
    return notebook


def make_student_edition(source, dest):
    """Write the student edition of every notebook in `source` to `dest`; return the notebooks written."""
    source, dest = Path(source), Path(dest)
    if not source.is_dir():
        raise FileNotFoundError(f"source: no folder {source}")
    if dest.resolve() == source.resolve():
        raise ValueError("dest: must differ from source (the student edition never overwrites the book)")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.iterdir()):
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        target = dest / path.name
        if path.suffix == ".ipynb":
            notebook = json.loads(path.read_text(encoding="utf-8"))
            student = make_student_notebook(notebook, path.name)
            target.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(target)
        elif path.is_dir():
            shutil.copytree(path, target, dirs_exist_ok=True)
        else:
            shutil.copy2(path, target)
    for stale in sorted(dest.glob("*.ipynb")):
        if not (source / stale.name).exists():
            stale.unlink()
    return written


def main(argv):
    if len(argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    written = make_student_edition(*argv)
    print(f"student edition: {len(written)} notebooks in {argv[1]}/ (solutions replaced by NotImplementedError stubs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
