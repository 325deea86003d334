"""The student environment (binder/requirements.txt) runs every chapter, with no build or test tool in it.

A fresh virtual environment gets binder/requirements.txt alone (installed from the repository root, as
repo2docker and a hub image do, so `.` installs lib non-editably); then every chapter runs in it, each in its
own kernel. A chapter that imports jupyter-book, pytest, nbval, playwright or another tool of the book's own
environment fails here. The kernels' peak memory is written to _build/student_env.json (README quotes it for
a hub's memory limit per user). Slow (about a minute to install from pip's cache, then every chapter), so it
runs as its own step of `make test` (`make studentenv`), not among the unit tests.
"""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
BUILD_AND_TEST_TOOLS = ["jupyter_book", "sphinx", "pytest", "nbval", "playwright", "ruff", "hypothesis"]


@pytest.fixture(scope="module")
def student_python(tmp_path_factory):
    env_dir = tmp_path_factory.mktemp("student-env")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
                             cwd=ROOT, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    return python


def test_no_build_or_test_tool_and_lib_is_not_editable(student_python):
    probe = ("import importlib.util, json, lib; print(json.dumps({'lib': lib.__file__, 'tools': ["
             f"m for m in {BUILD_AND_TEST_TOOLS!r} if importlib.util.find_spec(m)]}}))")
    found = json.loads(subprocess.run([student_python, "-c", probe], cwd="/", capture_output=True, text=True,
                                      check=True).stdout)
    assert found["tools"] == [], f"the student environment has build or test tools: {found['tools']}"
    assert not found["lib"].startswith(str(ROOT)), f"lib is installed editable (from {found['lib']})"


def test_every_chapter_runs_in_the_student_environment(student_python):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    results, failures = [], []
    for chapter in CHAPTERS:
        run = subprocess.run([student_python, ROOT / "tests" / "student_env" / "run_chapters.py", chapter],
                             capture_output=True, text=True, env=env)
        if run.returncode != 0:
            failures.append(f"{chapter.name}:\n{run.stderr[-2000:]}")
        else:
            results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    report = ROOT / "_build" / "student_env.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1), file=sys.stderr)
    assert not failures, "\n\n".join(failures)
