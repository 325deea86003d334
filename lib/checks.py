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

Exercise checks never give the answer away: with ``reveal=False`` (the default while an answer key of
:mod:`lib.exercises` runs) a message names the kind of difference and where it is, never the expected value.
:func:`check_function` can run the student's function with lib functions made unavailable (``forbid=``) and
under a time limit (``timeout=``). :func:`lib.exercises.check_exercise` runs the answer key registered under an
exercise's label.

In IPython a failed check prints its message without a traceback into lib (``CheckError._render_traceback_``);
under pytest the frames of this module are hidden (``__tracebackhide__``).
"""

import contextlib
import copy
import importlib
import math
import numbers
import signal
import threading
import traceback
import warnings

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
    """Check value > bound (both real numbers). Introduced in chapter 02."""
    __tracebackhide__ = True
    value, bound = _one_number(value, name), _bound(bound)
    if not value > bound:
        raise CheckError(f"{name} = {value:.6g}, expected more than {bound:.6g}.")
    _passed(f"{name} = {value:.6g} > {bound:.6g}")


def check_less(value, bound, name="value"):
    """Check value < bound (both real numbers). Introduced in chapter 01."""
    __tracebackhide__ = True
    value, bound = _one_number(value, name), _bound(bound)
    if not value < bound:
        raise CheckError(f"{name} = {value:.6g}, expected less than {bound:.6g}.")
    _passed(f"{name} = {value:.6g} < {bound:.6g}")


def check_close(actual, expected, name="value", rtol=1e-7, atol=1e-12, mistakes=None, reveal=None, hint=None):
    """Check that `actual` equals `expected` elementwise within tolerances; if not, say what the mistake looks like.

    `mistakes` maps a description of a typical mistake to the value that mistake produces, e.g.
    ``{"the factor w2 = 1.3 is missing: did you forget dz2/da1?": expected / w2}``; when `actual` matches one of
    them, the message names it. Raises :class:`NotImplementedYet` when `actual` is None, :class:`CheckError`
    for any other difference (a string, a complex number or a function where numbers belong included).
    `reveal=False` keeps the expected value out of the message (the kind of difference and where it is are
    still named); None means False while an answer key runs (:func:`check_exercise`), True otherwise.
    `hint` is a sentence added to a failure that no named mistake explains.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    problem = diagnose(actual, expected, name=name, rtol=rtol, atol=atol, mistakes=mistakes, reveal=reveal)
    if problem is not None:
        raise _with_hint(problem, hint)
    _passed(f"{name} matches (rtol={rtol:g})")


def check_shape(actual, shape, name="value"):
    """Check that `actual` has the given shape; name the axis that differs if it does not.

    Introduced in chapter 06.
    """
    __tracebackhide__ = True
    _require_implemented(actual, name)
    problem = _not_numbers(actual, name)
    if problem is not None:
        raise problem
    found = np.shape(actual)
    shape = tuple(shape)
    if found != shape:
        raise CheckError(_shape_message(name, found, shape))
    _passed(f"{name} has shape {shape}")


class ForbiddenCall(Exception):
    """Raised by the stand-in of a function an exercise forbids (see ``check_function(forbid=...)``).

    Introduced in chapter 01.
    """


class CheckTimeout(BaseException):
    """Raised inside a student's function that ran longer than the check's time limit.

    A BaseException, like KeyboardInterrupt, so that a student's ``except Exception`` does not swallow it.

    Introduced in chapter 01.
    """


def check_function(student_fn, reference_fn, inputs, name=None, rtol=1e-7, atol=1e-12, mistakes=None,
                   reveal=None, forbid=(), timeout=10, hint=None):
    """Call `student_fn` and `reference_fn` on every input and compare the results with :func:`check_close`.

    `inputs` is a list of test cases; a case is a tuple of positional arguments (a single non-tuple value is
    one argument). `mistakes` maps a description of a typical mistake to a function that makes it, e.g.
    ``{"forgot the factor x from dz1/dw1": lambda x, y: wrong_gradient(x, y)}``; the message names the one
    the student's function agrees with on every input. A stub that raises NotImplementedError gives
    :class:`NotImplementedYet`; any other exception is reported with the input that caused it.

    `forbid` names functions the exercise asks the student not to use, as dotted paths
    (``"lib.linear_models.least_squares"``, or a method: ``"lib.network.FeedForwardNetwork.gradients"``): while
    the student's function runs, each is replaced, in its module or class and wherever the student's globals (or
    closure) bind it, by a stand-in that raises :class:`ForbiddenCall`,
    and the check fails if it was called. `timeout` (seconds, None for none) stops a student function that runs
    too long, e.g. a loop that never ends. `reveal` and `hint` are as in :func:`check_close`.

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    if not callable(reference_fn):
        raise TypeError(f"reference_fn: expected a function, got {type(reference_fn).__name__}")
    if isinstance(forbid, str):
        forbid = (forbid,)
    if timeout is not None and not (isinstance(timeout, numbers.Real) and timeout > 0):
        raise ValueError(f"timeout: expected a positive number of seconds or None, got {timeout!r}")
    cases = [case if isinstance(case, tuple) else (case,) for case in inputs]
    if not cases:
        raise ValueError("inputs: expected at least one test case")
    name = name or f"{getattr(student_fn, '__name__', 'function')}(...)"
    if student_fn is None:
        raise NotImplementedYet(_none_message(name))
    if not callable(student_fn):
        raise CheckError(f"{name}: expected a function, got {_type_name(student_fn)} {_short(student_fn)}.")
    mistakes = dict(mistakes or {})
    # A wrong variant only counts as "the" mistake if it agrees with the student on every input.
    candidates = set(mistakes)
    results = []
    for case in cases:
        actual = call_student(student_fn, case, name=name, forbid=forbid, timeout=timeout)
        expected = reference_fn(*case)
        results.append((case, actual, expected))
        candidates = {label for label in candidates if _agrees(actual, mistakes[label], case, rtol, atol)}
    for case, actual, expected in results:
        label = sorted(candidates)[0] if candidates else None
        known = {label: mistakes[label](*case)} if label else None
        problem = diagnose(actual, expected, name=name, rtol=rtol, atol=atol, mistakes=known, reveal=reveal)
        if problem is not None:
            raise _with_hint(type(problem)(f"{problem}\n  on input {_short(case)}"), hint)
    _passed(f"{name} agrees with the reference on {len(cases)} input{'s' if len(cases) > 1 else ''} (rtol={rtol:g})")


def _with_hint(problem, hint):
    if hint and not isinstance(problem, NotImplementedYet) and "wrong in a known way" not in str(problem):
        return type(problem)(f"{problem}\n  Hint: {hint}")
    return problem


def call_student(student_fn, args, name="function", forbid=(), timeout=10):
    """Call ``student_fn(*args)`` (on a copy of `args`) as a check does; return its result.

    Translates what can go wrong into a message for the student: :class:`NotImplementedYet` for the stub,
    :class:`CheckError` for a forbidden call (`forbid`, as in :func:`check_function`), a call that takes longer
    than `timeout` seconds, or any other exception (kept as the cause, so its traceback points at the bug).

    Introduced in chapter 01.
    """
    __tracebackhide__ = True
    args = tuple(args)
    if isinstance(forbid, str):
        forbid = (forbid,)
    for path in forbid:  # a bad path is the author's mistake, reported before the student's code runs
        if _lookup(path)[2] is student_fn:  # e.g. normal_equations = least_squares
            raise _forbidden_error(name, [path])
    calls = []
    try:
        with _forbidden(forbid, student_fn, calls):
            # a student function that edits its input in place harms no one
            return _run_with_limit(student_fn, copy.deepcopy(args), timeout)
    except NotImplementedError as error:
        if calls:
            raise _forbidden_error(name, calls) from None
        raise NotImplementedYet(f"{name} is not implemented yet: {error}") from None
    except CheckError:  # a check inside a key's wrapper around the student's function: its message stands
        raise
    except CheckTimeout:
        raise CheckError(
            f"{name} did not finish within {timeout:g} s on input {_short(args)}: a loop that never ends "
            "(a while loop whose condition never turns false, a counter that is never increased)?"
        ) from None
    except Exception as error:  # noqa: BLE001 - any student error is reported, with the input that caused it
        if calls:
            raise _forbidden_error(name, calls) from None
        raise CheckError(f"{name} raised {type(error).__name__}: {error}\n  on input {_short(args)}"
                         + _shape_hint(error)) from error
    finally:
        if calls:  # called, and the student's code caught the ForbiddenCall: still not allowed
            raise _forbidden_error(name, calls) from None


def _shape_hint(error):
    """A sentence for the commonest raise in this book's exercises: operands whose shapes do not fit."""
    text = str(error)
    # matmul and np.linalg.solve (a gufunc) say "mismatch in its core dimension", np.dot "not aligned"
    mismatch = ("matmul", "not aligned", "broadcast", "mismatch in its core dimension")
    if isinstance(error, ValueError) and any(words in text for words in mismatch):
        return ("\n  The shapes of two operands do not fit: print the .shape of each. Samples are rows here "
                "(z = a @ W + b), so a transpose (.T) may be missing or on the wrong factor.")
    return ""


def _forbidden_error(name, calls):
    what = calls[0]
    shown = f"lib's {what.rsplit('.', 1)[1]} ({what})" if what.startswith("lib.") else what
    return CheckError(f"{name}: this exercise asks you to write it without {shown}; your code called it.")


def _lookup(path):
    """(owner, attribute name, object) of a dotted path: a module's function ("lib.linear_models.least_squares")
    or a class's method ("lib.network.FeedForwardNetwork.gradients")."""
    parts = str(path).split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except (ImportError, ValueError):
            continue
        try:
            for attribute in parts[split:-1]:
                owner = getattr(owner, attribute)
            return owner, parts[-1], getattr(owner, parts[-1])
        except AttributeError:
            break
    raise ValueError(f"forbid: {path!r} is not a function of an importable module or class")


_INHERITED = object()  # a method the class inherits: removed again after the check


@contextlib.contextmanager
def _forbidden(paths, student_fn, calls):
    """Replace each dotted path's function by a stand-in that records the call and raises ForbiddenCall: in its
    module or class, and wherever the student's globals or closure bind it."""
    undo = []

    def replace(namespace, key, stand_in):
        original = namespace[key]
        undo.append(lambda: namespace.__setitem__(key, original))
        namespace[key] = stand_in

    try:
        student_globals = getattr(student_fn, "__globals__", {})
        for path in paths:
            owner, attribute, original = _lookup(path)

            def stand_in(*args, _path=path, **kwargs):
                calls.append(_path)
                raise ForbiddenCall(f"{_path} is not allowed in this exercise")

            if isinstance(owner, type):  # a method: restored as it was, or removed if it was inherited
                own = owner.__dict__.get(attribute, _INHERITED)
                undo.append(lambda owner=owner, attribute=attribute, own=own: (
                    delattr(owner, attribute) if own is _INHERITED else setattr(owner, attribute, own)))
                setattr(owner, attribute, stand_in)
                continue
            replace(owner.__dict__, attribute, stand_in)
            for key, value in list(student_globals.items()):
                if value is original:
                    replace(student_globals, key, stand_in)
            for cell in getattr(student_fn, "__closure__", None) or ():  # names bound in an enclosing function
                with contextlib.suppress(ValueError):  # an empty cell
                    if cell.cell_contents is original:
                        undo.append(lambda cell=cell, original=original: setattr(cell, "cell_contents", original))
                        cell.cell_contents = stand_in
        yield
    finally:
        for step in reversed(undo):
            step()



def _run_with_limit(function, args, seconds):
    """function(*args), raising CheckTimeout after `seconds` (None: no limit).

    In the main thread on POSIX (a Jupyter kernel runs cells there) SIGALRM interrupts the function itself.
    Elsewhere (Windows, a check run from another thread) the function runs in a daemon thread that is abandoned
    when the time is up: it cannot be stopped safely, but the check returns with its message.
    """
    if seconds is None:
        return function(*args)
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _time_limit(seconds):
            return function(*args)
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread as it is
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise CheckTimeout(f"no result after {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@contextlib.contextmanager
def _time_limit(seconds):
    """Raise CheckTimeout in the running code after `seconds` (SIGALRM; main thread on POSIX only)."""

    def on_alarm(signum, frame):
        raise CheckTimeout(f"no result after {seconds:g} s")

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:  # someone else's alarm was pending: give it back
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


# While an answer key runs (lib.exercises.check_exercise), reveal=None means "do not reveal".
_answer_key_running = [False]


def _reveal(reveal):
    return (not _answer_key_running[0]) if reveal is None else bool(reveal)


def diagnose(actual, expected, name="value", rtol=1e-7, atol=1e-12, mistakes=None, reveal=None):
    """Return None when `actual` matches `expected`, else the CheckError that explains the difference.

    The logic behind :func:`check_close`, usable on its own (e.g. to test a check). `expected` may also be a
    list of arrays of different shapes (e.g. one gradient per layer): each entry is compared as ``name[i]``.
    `reveal` is as in :func:`check_close`.

    Introduced in chapter 01.
    """
    reveal = _reveal(reveal)
    if actual is None:
        return NotImplementedYet(_none_message(name))
    if _ragged(expected):
        return _diagnose_sequence(actual, expected, name, rtol, atol, mistakes, reveal)
    problem = _not_numbers(actual, name)
    if problem is not None:
        return problem
    actual_arr = _as_float(actual)
    expected_arr = _expected_array(expected)
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
        try:
            wrong_arr = _as_float(wrong)
        except (TypeError, ValueError):
            continue
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
    return CheckError(_value_message(name, actual_arr, expected_arr, rtol, atol, reveal))


def _type_name(value):
    if callable(value) and hasattr(value, "__self__") and not isinstance(value, type):
        return "method"
    if callable(value):
        return "function" if not isinstance(value, type) else "class"
    return type(value).__name__


def _not_numbers(value, name):
    """None if `value` is real numbers (a number, or an array or nested list of them), else the CheckError."""
    if value is None:
        return NotImplementedYet(_none_message(name))
    if callable(value) and not isinstance(value, np.ndarray):
        called = getattr(value, "__name__", "it")
        return CheckError(
            f"{name} is a {_type_name(value)} ({called}), not numbers: call it (forgot the parentheses?)."
        )
    if isinstance(value, (str, bytes)):
        return CheckError(
            f"{name} is text ({type(value).__name__} {value!r:.40}), expected a number: return the number itself, "
            "not str(...) of it (and not what print shows)."
        )
    if isinstance(value, (dict, set, frozenset)):
        return CheckError(f"{name} is a {type(value).__name__}, expected a number or an array of numbers.")
    if isinstance(value, complex) or (isinstance(value, np.ndarray) and np.iscomplexobj(value)) or isinstance(
        value, np.complexfloating
    ):
        return CheckError(
            f"{name} is complex, expected real numbers: a square root or log of a negative number "
            "(np.emath, or a complex dtype) somewhere?"
        )
    if isinstance(value, (list, tuple)):
        lengths = set()
        for index, entry in enumerate(value):
            if entry is None:
                return NotImplementedYet(f"{name}[{index}] is None: the exercise cell does not compute it yet.")
            problem = _not_numbers(entry, f"{name}[{index}]")
            if problem is not None:
                return problem
            lengths.add(np.shape(entry))
        if len(lengths) > 1:
            return CheckError(
                f"{name} is a ragged list (entries of shapes {', '.join(str(s) for s in sorted(lengths))}), "
                "expected one array of numbers."
            )
        return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "USV":
        return CheckError(f"{name} is an array of text (dtype {value.dtype}), expected numbers.")
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        for index, entry in enumerate(value.flat):
            problem = _not_numbers(entry, f"{name} (entry {index})")
            if problem is not None:
                return problem
    try:
        _as_float(value)
    except (TypeError, ValueError, OverflowError):
        return CheckError(f"{name}: expected numbers, got {type(value).__name__} {_short(value)}.")
    return None


def _as_float(value):
    with warnings.catch_warnings():
        warnings.simplefilter("error", np.exceptions.ComplexWarning)
        try:
            return np.asarray(value, dtype=float)
        except Warning as warning:
            raise TypeError(f"complex value: {warning}") from None


def _expected_array(expected):
    # The reference comes from the author: a bad one is a bug in the check, not in the student's answer.
    if expected is None or isinstance(expected, (str, bytes)) or np.iscomplexobj(expected):
        raise TypeError(f"expected: the reference must be real numbers, got {type(expected).__name__}")
    try:
        return _as_float(expected)
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(f"expected: the reference must be real numbers ({error})") from None


def _one_number(value, name):
    """`value` as a float, or the CheckError that says why it is not one real number."""
    __tracebackhide__ = True
    _require_implemented(value, name)
    problem = _not_numbers(value, name)
    if problem is not None:
        raise problem
    array = _as_float(value)
    if array.ndim > 0:
        raise CheckError(
            f"{name} is a {type(value).__name__} of shape {array.shape}, expected one number"
            + (" (take the entry: .item() or [0])." if array.size == 1 else ".")
        )
    result = float(array)
    if math.isnan(result):
        raise CheckError(f"{name} is NaN: look for a log of 0, a division by zero or a diverging training run.")
    return result


def _bound(bound):
    if isinstance(bound, bool) or not isinstance(bound, numbers.Real):
        raise TypeError(f"bound: expected a real number, got {type(bound).__name__}")
    if math.isnan(bound):
        raise ValueError("bound: expected a number, got NaN")
    return float(bound)


def _agrees(actual, wrong_fn, case, rtol, atol):
    try:
        wrong = wrong_fn(*case)
        return diagnose(actual, wrong, rtol=rtol, atol=atol) is None
    except Exception:  # noqa: BLE001 - a mistake that cannot even run on this input is not the student's mistake
        return False


def _ragged(value):
    """True for a list or tuple of arrays of different shapes, e.g. the gradients (dW^1, dW^2) of a network."""
    if not isinstance(value, (list, tuple)) or not value:
        return False
    return len({np.shape(entry) for entry in value}) > 1


def _diagnose_sequence(actual, expected, name, rtol, atol, mistakes, reveal):
    if not isinstance(actual, (list, tuple)):
        return CheckError(f"{name}: expected a list of {len(expected)} arrays, got {_type_name(actual)}.")
    if len(actual) != len(expected):
        return CheckError(f"{name} has {len(actual)} entries, expected {len(expected)} (one per layer?).")
    pairs = enumerate(zip(actual, expected, strict=True))
    problems = [diagnose(a, e, f"{name}[{i}]", rtol, atol, reveal=reveal) for i, (a, e) in pairs]
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
    with np.errstate(all="ignore"):
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


def _value_message(name, actual, expected, rtol, atol, reveal=True):
    with np.errstate(all="ignore"):
        return _value_message_unguarded(name, actual, expected, rtol, atol, reveal)


def _value_message_unguarded(name, actual, expected, rtol, atol, reveal):
    if _close(actual, -expected, rtol, atol):
        if not reveal:
            every = " (every entry)" if actual.size > 1 else ""
            return f"{name} has the wrong sign{every}: check the order of a difference, or a minus sign."
        return f"{name} has the wrong sign: you have {_short(actual)}, expected {_short(expected)}."
    if not actual.any() and np.abs(expected).max() > atol:
        return (
            f"{name} is {'zero' if actual.size == 1 else 'all zeros'}: a result left at its starting value "
            "(np.zeros, None replaced by 0), the computed value not returned, or a product with a term that is 0?"
        )
    difference = np.abs(actual - expected)
    index = np.unravel_index(np.argmax(difference), difference.shape)
    at = f" at index {tuple(int(i) for i in index)}" if actual.ndim else ""
    relative = float(difference[index] / max(np.abs(expected[index]), atol))
    if relative < 1e-3:
        if not reveal:
            return (
                f"{name} is close (within 0.1 %) but not within the tolerance (rtol={rtol:g}, atol={atol:g}){at}. "
                "Rounding, float32, or a finite-difference step?"
            )
        return (
            f"{name} is close but not within the tolerance (rtol={rtol:g}, atol={atol:g}): relative difference "
            f"{relative:.2g}{at}. Rounding, float32, or a finite-difference step?"
        )
    nonzero = np.abs(expected) > atol
    if actual.size > 1 and nonzero.all():
        ratio = actual / expected
        if _close(ratio, ratio.flat[0], rtol, atol) and _close(actual, ratio.flat[0] * expected, rtol, atol):
            factor = ratio.flat[0]
            shown = f": yours = {factor:.6g} x expected" if reveal else " (the same ratio at every entry)"
            return (
                f"{name} is off by a constant factor{shown}. A factor like 1/2, 2 or the "
                "batch size means a missing or extra constant (a mean instead of a sum?)."
            )
    if actual.size > 1:
        offset = (actual - expected).flat[0]
        if _close(actual - offset, expected, rtol, atol):
            if not reveal:
                return (
                    f"{name} is off by a constant offset (the same difference at every entry). "
                    "A missing or extra bias term?"
                )
            return f"{name} is off by a constant offset: yours = expected + {offset:.6g}. A missing or extra bias term?"
    if not reveal:
        if actual.size == 1:
            return f"{name} is wrong."
        wrong = int(np.sum(~np.isclose(actual, expected, rtol=rtol, atol=atol)))
        return f"{name} is wrong{at} (the largest difference; {wrong} of {actual.size} entries differ)."
    ratio = ""
    if actual.size == 1 and expected[index] != 0:
        ratio = f" (ratio yours/expected = {float(actual[index] / expected[index]):.4g})"
    return f"{name} is wrong{at}: you have {float(actual[index]):.6g}, expected {float(expected[index]):.6g}{ratio}."


def _short(value):
    if isinstance(value, tuple):
        text = ", ".join(_short(v) for v in value)
    else:
        try:
            text = " ".join(np.array2string(np.asarray(value), precision=4, threshold=8).split())
        except Exception:  # noqa: BLE001 - anything at all can be shown by its repr
            text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."
