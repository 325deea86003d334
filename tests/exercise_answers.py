"""What the answer-key tests of chapters 01-10 share: a chapter's own solution, run from its working cell, and the
checks that a wrong answer gets its mistake named without the expected value."""

import contextlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

from lib.activations import sigmoid, sigmoid_prime
from lib.checks import CheckError
from lib.exercises import check_exercise
from lib.playground import playground

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"


def solution(chapter, label):
    """The names the working cell of exercise `label` defines, run from the chapter's own (full) edition: the right
    answers are not copied into the tests. The cell is found by its ``"exercise": {"label": ..., "part": "answer"}``
    metadata and run in a namespace holding what the chapters import for their working cells."""
    notebook = json.loads(next(CHAPTERS.glob(f"{chapter}_*.ipynb")).read_text(encoding="utf-8"))
    cells = [cell for cell in notebook["cells"]
             if cell.get("metadata", {}).get("exercise") == {"label": label, "part": "answer"}]
    assert len(cells) == 1, f"{label}: expected one working cell, found {len(cells)}"
    source = cells[0]["source"]
    source = "".join(source) if isinstance(source, list) else source
    assert "### BEGIN SOLUTION" in source
    namespace = {"np": np, "math": math, "sigmoid": sigmoid, "sigmoid_prime": sigmoid_prime, "playground": playground}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, f"{label} (chapter {chapter})", "exec"), namespace)  # noqa: S102 - the book's own cell
    return namespace


def fails_with(label, answer, words, **context):
    """The message check_exercise gives `answer`, after checking that it contains `words`."""
    with pytest.raises(CheckError) as error:
        check_exercise(label, answer, **context)
    message = str(error.value)
    assert words in message, message
    return message


def assert_hides(message, expected):
    """None of the expected values (beyond small whole numbers, which any message may contain) is shown."""
    for value in np.ravel(np.asarray(expected, dtype=float)):
        if float(value).is_integer() and abs(value) < 10:
            continue
        shown = {format(value, fmt) for fmt in (".3g", ".4g", ".6g")} | {np.format_float_positional(value, 4)}
        assert not any(text in message for text in shown), (value, message)
