"""Checks that notebooks call to prove what they claim, and that tell a student what is wrong.

Introduced in chapter 01. Every claim a chapter makes in prose ("backprop equals autograd", "accuracy above
97 %") is followed by a call to one of these functions; a failing check raises :class:`CheckError`, so the
build and nbval fail with a message a reader can act on.

The exercise checks (:func:`check_close`, :func:`check_function`, :func:`check_shape`) do more than compare:
when a student's answer is wrong they look for the usual reasons, in this order, and name the first that fits:

1. not implemented yet (the stub still raises ``NotImplementedError``, or the cell returns ``None``);
2. NaN or inf in the answer;
3. a known mistake the chapter author names (``mistakes={"forgot the factor w2": wrong_value}``);
4. wrong shape: which axis has the wrong length, a transposed matrix, a missing or extra axis;
5. wrong sign; close but outside the tolerance; off by a constant factor (arrays); off by a constant offset;
6. otherwise: where the largest difference is.

In IPython a failed check prints its message without a traceback into lib (``CheckError._render_traceback_``);
under pytest the frames of this module are hidden (``__tracebackhide__``).
"""

import copy
import traceback

import numpy as np


class CheckError(AssertionError):
    """A check failed: the message says what was expected, what was found, and the likely mistake."""

    def _render_traceback_(self):
        # IPython calls this instead of printing a traceback. The message explains the failure; frames inside
        # lib.checks would bury it. When the student's own code raised, its frames are kept: they point at the bug.
        lines = []
        cause = self.__cause__
        frames = [] if cause is None else [
            frame for frame in traceback.extract_tb(cause.__traceback__) if frame.filename != __file__
        ]
        if frames:
            lines.append("Traceback of the error in your code (most recent call last):")
            lines += "".join(traceback.format_list(frames)).rstrip("\n").splitlines()
            lines += [f"{type(cause).__name__}: {cause}", ""]
        lines.append(f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}")
        return lines


class NotImplementedYet(CheckError, NotImplementedError):
    """The exercise code is still the stub: it raises NotImplementedError or returns None.

    Introduced in chapter 01.
    """


def _passed(message):
    print(f"✓ {message}")


def check_true(condition, message):
    """Raise CheckError(message) unless `condition` holds; print a tick otherwise.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    if not bool(condition):
        raise CheckError(message)
    _passed(message)


def check_greater(value, bound, name="value"):
    """Check value > bound. Introduced in chapter 01."""
    __tracebackhide__ = True
    _require_implemented(value, name)
    if not value > bound:
        raise CheckError(f"{name} = {value:.6g}, expected more than {bound:.6g}.")
    _passed(f"{name} = {value:.6g} > {bound:.6g}")


def check_less(value, bound, name="value"):
    """Check value < bound. Introduced in chapter 01."""
    __tracebackhide__ = True
    _require_implemented(value, name)
    if not value < bound:
        raise CheckError(f"{name} = {value:.6g}, expected less than {bound:.6g}.")
    _passed(f"{name} = {value:.6g} < {bound:.6g}")


def check_close(actual, expected, name="value", rtol=1e-7, atol=1e-12, mistakes=None):
    """Check that `actual` equals `expected` elementwise within tolerances; if not, say what the mistake looks like.

    `mistakes` maps a description of a typical mistake to the value that mistake produces, e.g.
    ``{"the factor w2 = 1.3 is missing: did you forget dz2/da1?": expected / w2}``; when `actual` matches one of
    them, the message names it. Raises :class:`NotImplementedYet` when `actual` is None, :class:`CheckError`
    for any other difference.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    problem = diagnose(actual, expected, name=name, rtol=rtol, atol=atol, mistakes=mistakes)
    if problem is not None:
        raise problem
    _passed(f"{name} matches (rtol={rtol:g})")


def check_shape(actual, shape, name="value"):
    """Check that `actual` has the given shape; name the axis that differs if it does not.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    _require_implemented(actual, name)
    found = np.shape(actual)
    shape = tuple(shape)
    if found != shape:
        raise CheckError(_shape_message(name, found, shape))
    _passed(f"{name} has shape {shape}")


def check_function(student_fn, reference_fn, inputs, name=None, rtol=1e-7, atol=1e-12, mistakes=None):
    """Call `student_fn` and `reference_fn` on every input and compare the results with :func:`check_close`.

    `inputs` is a list of test cases; a case is a tuple of positional arguments (a single non-tuple value is
    one argument). `mistakes` maps a description of a typical mistake to a function that makes it, e.g.
    ``{"forgot the factor x from dz1/dw1": lambda x, y: wrong_gradient(x, y)}``; the message names the one
    the student's function agrees with on every input. A stub that raises NotImplementedError gives
    :class:`NotImplementedYet`; any other exception is reported with the input that caused it.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    if not callable(student_fn):
        raise TypeError(f"student_fn: expected a function, got {type(student_fn).__name__}")
    if not callable(reference_fn):
        raise TypeError(f"reference_fn: expected a function, got {type(reference_fn).__name__}")
    cases = [case if isinstance(case, tuple) else (case,) for case in inputs]
    if not cases:
        raise ValueError("inputs: expected at least one test case")
    name = name or f"{getattr(student_fn, '__name__', 'function')}(...)"
    mistakes = dict(mistakes or {})
    # A wrong variant only counts as "the" mistake if it agrees with the student on every input.
    candidates = set(mistakes)
    results = []
    for case in cases:
        try:
            actual = student_fn(*copy.deepcopy(case))  # a student function that edits its input in place harms no one
        except NotImplementedError as error:
            raise NotImplementedYet(f"{name} is not implemented yet: {error}") from None
        except Exception as error:  # noqa: BLE001 - any student error is reported, with the input that caused it
            raise CheckError(f"{name} raised {type(error).__name__}: {error}\n  on input {_short(case)}") from error
        expected = reference_fn(*case)
        results.append((case, actual, expected))
        candidates = {label for label in candidates if _agrees(actual, mistakes[label], case, rtol, atol)}
    for case, actual, expected in results:
        label = sorted(candidates)[0] if candidates else None
        known = {label: mistakes[label](*case)} if label else None
        problem = diagnose(actual, expected, name=name, rtol=rtol, atol=atol, mistakes=known)
        if problem is not None:
            raise type(problem)(f"{problem}\n  on input {_short(case)}")
    _passed(f"{name} agrees with the reference on {len(cases)} input{'s' if len(cases) > 1 else ''} (rtol={rtol:g})")


def diagnose(actual, expected, name="value", rtol=1e-7, atol=1e-12, mistakes=None):
    """Return None when `actual` matches `expected`, else the CheckError that explains the difference.

    The logic behind :func:`check_close`, usable on its own (e.g. to test a check). `expected` may also be a
    list of arrays of different shapes (e.g. one gradient per layer): each entry is compared as ``name[i]``.

    Introduced in chapter 01.
    """
    if actual is None:
        return NotImplementedYet(_none_message(name))
    if _ragged(expected):
        return _diagnose_sequence(actual, expected, name, rtol, atol, mistakes)
    try:
        actual_arr = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return CheckError(f"{name}: expected numbers, got {type(actual).__name__} {_short(actual)}.")
    expected_arr = np.asarray(expected, dtype=float)
    nonfinite = ~np.isfinite(actual_arr)
    if nonfinite.any():
        where = tuple(int(i) for i in np.argwhere(nonfinite)[0]) if actual_arr.ndim else ()
        kind = "NaN" if np.isnan(actual_arr).any() else "inf"
        return CheckError(
            f"{name} contains {kind} ({int(nonfinite.sum())} of {actual_arr.size} entries, first at index {where}): "
            "look for a log of 0, a division by zero, an overflowing exp, or a learning rate that is too large."
        )
    if actual_arr.shape == expected_arr.shape and _close(actual_arr, expected_arr, rtol, atol):
        return None
    # A named mistake is the most specific explanation; a right answer never reaches this (checked just above).
    for description, wrong in (mistakes or {}).items():
        wrong_arr = np.asarray(wrong, dtype=float)
        if wrong_arr.shape == actual_arr.shape and _close(actual_arr, wrong_arr, rtol, atol):
            return CheckError(f"{name} is wrong in a known way: {description}")
    if actual_arr.shape != expected_arr.shape:
        found, shape = actual_arr.shape, expected_arr.shape
        message = _shape_message(name, found, shape)
        if actual_arr.ndim == 2 and actual_arr.T.shape == shape and _close(actual_arr.T, expected_arr, rtol, atol):
            message = f"{name} is transposed: shape {found}, expected {shape}, and {name}.T is right."
        elif actual_arr.size == expected_arr.size and _close(actual_arr.reshape(shape), expected_arr, rtol, atol):
            message += f" The numbers are right: reshape to {shape}."
        return CheckError(message)
    return CheckError(_value_message(name, actual_arr, expected_arr, rtol, atol))


def _agrees(actual, wrong_fn, case, rtol, atol):
    try:
        wrong = wrong_fn(*case)
    except Exception:  # noqa: BLE001 - a mistake that cannot even run on this input is not the student's mistake
        return False
    return diagnose(actual, wrong, rtol=rtol, atol=atol) is None


def _ragged(value):
    """True for a list or tuple of arrays of different shapes, e.g. the gradients (dW^1, dW^2) of a network."""
    if not isinstance(value, (list, tuple)):
        return False
    try:
        np.asarray(value, dtype=float)
    except ValueError:
        return True
    return False


def _diagnose_sequence(actual, expected, name, rtol, atol, mistakes):
    if not isinstance(actual, (list, tuple)):
        return CheckError(f"{name}: expected a list of {len(expected)} arrays, got {type(actual).__name__}.")
    if len(actual) != len(expected):
        return CheckError(f"{name} has {len(actual)} entries, expected {len(expected)} (one per layer?).")
    pairs = enumerate(zip(actual, expected, strict=True))
    problems = [diagnose(a, e, f"{name}[{i}]", rtol, atol) for i, (a, e) in pairs]
    if all(problem is None for problem in problems):
        return None
    for description, wrong in (mistakes or {}).items():
        if isinstance(wrong, (list, tuple)) and len(wrong) == len(actual) and all(
            diagnose(a, w, name, rtol, atol) is None for a, w in zip(actual, wrong, strict=True)
        ):
            return CheckError(f"{name} is wrong in a known way: {description}")
    return next(problem for problem in problems if problem is not None)


def _require_implemented(value, name):
    __tracebackhide__ = True
    if value is None:
        raise NotImplementedYet(_none_message(name))


def _none_message(name):
    return f"{name} is None: the exercise cell does not compute it yet (or a `return` is missing)."


def _close(actual, expected, rtol, atol):
    return bool(np.allclose(actual, expected, rtol=rtol, atol=atol))


def _shape_message(name, found, shape):
    found, shape = tuple(found), tuple(shape)
    if len(found) != len(shape):
        return (
            f"{name} has {_axes(len(found))} (shape {found}), expected {_axes(len(shape))} (shape {shape}): "
            f"{'an axis is missing' if len(found) < len(shape) else 'there is an extra axis'} "
            "(keepdims=True, reshape, or a sum over the wrong axis?)."
        )
    if found == shape[::-1]:
        return f"{name} has shape {found}, expected {shape}: transposed? (samples are rows)."
    pairs = enumerate(zip(found, shape, strict=True))
    axes = [f"axis {i} has length {f}, expected {s}" for i, (f, s) in pairs if f != s]
    return f"{name} has shape {found}, expected {shape}: {'; '.join(axes)}."


def _axes(n):
    return f"{n} axis" if n == 1 else f"{n} axes"


def _value_message(name, actual, expected, rtol, atol):
    if _close(actual, -expected, rtol, atol):
        return f"{name} has the wrong sign: you have {_short(actual)}, expected {_short(expected)}."
    difference = np.abs(actual - expected)
    index = np.unravel_index(np.argmax(difference), difference.shape)
    at = f" at index {tuple(int(i) for i in index)}" if actual.ndim else ""
    relative = float(difference[index] / max(np.abs(expected[index]), atol))
    if relative < 1e-3:
        return (
            f"{name} is close but not within the tolerance (rtol={rtol:g}, atol={atol:g}): relative difference "
            f"{relative:.2g}{at}. Rounding, float32, or a finite-difference step?"
        )
    nonzero = np.abs(expected) > atol
    if actual.size > 1 and nonzero.all():
        ratio = actual / expected
        if _close(ratio, ratio.flat[0], rtol, atol) and _close(actual, ratio.flat[0] * expected, rtol, atol):
            factor = ratio.flat[0]
            return (
                f"{name} is off by a constant factor: yours = {factor:.6g} x expected. A factor like 1/2, 2 or the "
                "batch size means a missing or extra constant (a mean instead of a sum?)."
            )
    if actual.size > 1:
        offset = (actual - expected).flat[0]
        if _close(actual - offset, expected, rtol, atol):
            return f"{name} is off by a constant offset: yours = expected + {offset:.6g}. A missing or extra bias term?"
    ratio = ""
    if actual.size == 1 and expected[index] != 0:
        ratio = f" (ratio yours/expected = {float(actual[index] / expected[index]):.4g})"
    return f"{name} is wrong{at}: you have {float(actual[index]):.6g}, expected {float(expected[index]):.6g}{ratio}."


def _short(value):
    if isinstance(value, tuple):
        text = ", ".join(_short(v) for v in value)
    else:
        text = " ".join(np.array2string(np.asarray(value), precision=4, threshold=8).split())
    return text if len(text) < 120 else text[:117] + "..."
