"""Answer keys of the book's exercises, one module per chapter, registered by exercise label.

Introduced in chapter 01. A chapter's check cell is one call, ``check_exercise("ex-05-hidden-gradient",
hidden_weight_gradient)``: it imports ``lib.exercises.ch05`` and runs the key registered there under that label.
A key computes its own reference (never from a notebook global, which a student could shadow), names the likely
mistakes, and never shows the expected value while the answer is wrong (the checks of :mod:`lib.checks` default
to ``reveal=False`` while a key runs). Keys are written with the decorator::

    @answer_key("ex-05-hidden-gradient")
    def _(answer, **context):
        check_function(answer, reference, cases, name="dC/dw1", mistakes={...})
"""

import importlib
import re

from lib import checks
from lib.checks import NotImplementedYet

__all__ = ["answer_key", "check_exercise", "require_answer", "registered_labels"]

LABEL = re.compile(r"ex-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*")

_KEYS = {}


def _chapter(label):
    if not isinstance(label, str):
        raise TypeError(f"label: expected an exercise label like 'ex-05-hidden-gradient', got {type(label).__name__}")
    match = LABEL.fullmatch(label)
    if match is None:
        raise ValueError(f"label: expected an exercise label like 'ex-05-hidden-gradient', got {label!r}")
    return match.group(1)


def answer_key(label):
    """Decorator: register ``key(answer, **context)`` as the answer key of the exercise `label`.

    Introduced in chapter 01.
    """
    _chapter(label)

    def register(key):
        if not callable(key):
            raise TypeError(f"answer_key({label!r}): expected a function, got {type(key).__name__}")
        if label in _KEYS and _KEYS[label] is not key:
            previous = _KEYS[label]
            if (previous.__module__, previous.__qualname__) != (key.__module__, key.__qualname__):
                raise ValueError(
                    f"answer_key: {label!r} is registered twice ({previous.__module__} and {key.__module__})"
                )
        _KEYS[label] = key
        return key

    return register


def registered_labels(chapter=None):
    """The labels with an answer key, sorted; only chapter `chapter` ("05" or 5) if given. Introduced in chapter 01."""
    if chapter is not None:
        chapter = f"{int(chapter):02d}"
        _import_chapter(chapter)
    return sorted(label for label in _KEYS if chapter is None or _chapter(label) == chapter)


def _import_chapter(chapter):
    try:
        importlib.import_module(f"{__name__}.ch{chapter}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.ch{chapter}":
            raise
        return False
    return True


def check_exercise(label, answer, **context):
    """Check `answer` to the exercise `label` with the answer key registered for it in ``lib.exercises.chNN``.

    `answer` is what the exercise asks for (a function, a value, or a tuple of values); `context` passes on
    whatever else the key needs from the notebook (documented by the key). Raises :class:`NotImplementedYet`
    while the exercise is not done, :class:`CheckError` with an explanation for a wrong answer, and
    ValueError for an unknown label. The expected value is not shown while the answer is wrong.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    chapter = _chapter(label)
    if label not in _KEYS:
        _import_chapter(chapter)
    if label not in _KEYS:
        known = ", ".join(registered_labels(chapter)) or "none"
        raise ValueError(f"label: no answer key for {label!r} (chapter {chapter} has: {known})")
    previous = checks._answer_key_running[0]
    checks._answer_key_running[0] = True
    try:
        return _KEYS[label](answer, **context)
    finally:
        checks._answer_key_running[0] = previous


def require_answer(answer, name):
    """Raise NotImplementedYet if `answer` (or, for a tuple, any of its entries) is None or Ellipsis.

    For exercises whose answer is a value: the working cell sets the names to None before the solution, so the
    check cell finds None, not an undefined name, while the stub is still there. Introduced in chapter 01.
    """
    __tracebackhide__ = True
    entries = answer if isinstance(answer, tuple) else (answer,)
    names = [part.strip() for part in name.split(",")] if isinstance(answer, tuple) else [name]
    for index, entry in enumerate(entries):
        if entry is None or entry is Ellipsis:
            which = names[index] if len(names) == len(entries) else f"{name}[{index}]"
            raise NotImplementedYet(
                f"{which} is not set yet: do the exercise in the cell above (replace the raise line), run it, "
                "then run this check again."
            )
