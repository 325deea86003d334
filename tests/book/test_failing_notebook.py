"""A notebook cell that raises must make both `make book` and `make test`'s notebook step fail.

The test copies the build files (Makefile, _config.yml, tools/) into a temporary book whose only chapter
raises, reuses this checkout's .venv and vendored JS, and runs the real make targets there.
"""

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]


def make_book(tmp_path, cells):
    for name in ("Makefile", "_config.yml", "requirements.txt", "pyproject.toml", "references.bib"):
        shutil.copy2(ROOT / name, tmp_path / name)  # copy2 keeps mtimes: make sees the install as up to date
    shutil.copytree(ROOT / "tools", tmp_path / "tools")
    for link in (".venv", "_vendor", "lib"):
        (tmp_path / link).symlink_to(ROOT / link)
    (tmp_path / "intro.md").write_text("# A test book\n")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: chapters/broken\n")
    (tmp_path / "chapters").mkdir()
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "chapters" / "broken.ipynb")
    return tmp_path


def run_make(book, target):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run(["make", "--no-print-directory", "-C", str(book), target, "JOBS=1"],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def broken_book(tmp_path_factory):
    if not (ROOT / "_vendor" / ".complete").exists() or not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("needs the installed .venv and vendored JS (make setup)")
    cells = [nbformat.v4.new_markdown_cell("# Broken\n\nThe next cell raises."),
             nbformat.v4.new_code_cell("import lib\nraise RuntimeError('this cell fails on purpose')")]
    return make_book(tmp_path_factory.mktemp("broken"), cells)


def test_make_book_fails_when_a_cell_raises(broken_book):
    result = run_make(broken_book, "book")
    assert result.returncode != 0, "make book succeeded although a notebook cell raises:\n" + result.stdout[-2000:]
    assert "this cell fails on purpose" in result.stdout + result.stderr


def test_make_nbval_fails_when_a_cell_raises(broken_book):
    result = run_make(broken_book, "nbval")
    assert result.returncode != 0, "nbval passed although a notebook cell raises"
    assert "this cell fails on purpose" in result.stdout + result.stderr


def test_the_same_book_builds_when_the_cell_is_fixed(tmp_path):
    """The failure above is the cell's, not the set-up's: the same book with a passing cell builds."""
    if not (ROOT / "_vendor" / ".complete").exists() or not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("needs the installed .venv and vendored JS (make setup)")
    cells = [nbformat.v4.new_markdown_cell("# Fine\n\nThe next cell works."),
             nbformat.v4.new_code_cell("import lib\nprint('fine')")]
    book = make_book(tmp_path, cells)
    result = run_make(book, "book")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
