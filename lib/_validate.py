"""Input validation shared by the library: errors name the argument and say what was expected."""

import numbers

import numpy as np


def as_float_array(name, value, ndim=None, dtype=np.float64):
    """Convert `value` to a finite float array; raise ValueError/TypeError naming `name` otherwise.

    ``dtype=None`` keeps float32 input in float32 and makes everything else float64 (the activations use it, so
    a float32 network stays in float32). Complex numbers, strings and None are refused before any conversion:
    NumPy would drop imaginary parts with only a warning, and turn "1.5" into a number.
    """
    if value is None:
        raise TypeError(f"{name}: expected numbers (an array of floats), got None")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists: numbers, but not a rectangular array
        raise ValueError(f"{name}: expected a rectangular array of numbers (rows of equal length)") from error
    except TypeError as error:
        raise TypeError(f"{name}: expected real numbers, got {type(value).__name__}") from error
    if array.dtype.kind == "O":  # e.g. SymPy numbers or huge ints: convert, so what is not a real number fails here
        try:
            array = array.astype(np.float64)
        except OverflowError as error:
            raise ValueError(f"{name}: contains a number too large for a float (above about 1.8e308)") from error
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name}: expected real numbers in a rectangular array, "
                            f"got {type(value).__name__}") from error
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected real numbers, got {type(value).__name__} of dtype {array.dtype}")
    if dtype is None:
        dtype = np.float32 if array.dtype == np.float32 else np.float64
    array = array.astype(dtype, copy=False)
    if ndim is not None and array.ndim not in np.atleast_1d(ndim):
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: contains NaN or inf")
    return array


def positive_number(name, value, integer=False):
    """Return `value` if it is a positive (integer) number; raise naming `name` otherwise."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"{name}: expected a positive {'integer' if integer else 'number'}, got {value!r}")
    try:
        finite = (integer and isinstance(value, numbers.Integral)) or np.isfinite(float(value))
    except OverflowError:  # a huge int given where a float is expected: no float can hold it
        finite = False
    if not (value > 0 and finite):
        raise ValueError(f"{name}: expected a positive {'integer' if integer else 'number'}, got {value!r}")
    return value


def choice(name, value, options):
    """Return `options[value]` for a known name; raise ValueError listing the options otherwise."""
    try:
        known = value in options
    except TypeError:  # unhashable: a list or an array is no name
        known = False
    if not known:
        if not isinstance(value, str):
            raise TypeError(f"{name}: expected one of the names {sorted(options)}, got {type(value).__name__}")
        raise ValueError(f"{name}: unknown name {value!r}; expected one of {sorted(options)}")
    return options[value]


def non_negative(name, value):
    """Return `value` as a float if it is a finite number >= 0; raise naming `name` otherwise.

    Wrong type (not a real number, or a bool): TypeError. A real number that is negative, NaN or inf: ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a non-negative number, got {value!r}")
    try:
        finite = np.isfinite(float(value))
    except OverflowError:  # an int beyond the float range
        finite = False
    if not (value >= 0 and finite):
        raise ValueError(f"{name}: expected a non-negative finite number, got {value!r}")
    return float(value)


def seed(value, name="seed"):
    """Return `value` as an int if it is a non-negative integer (a NumPy integer too); raise naming `name` otherwise.

    Wrong type: TypeError. A negative integer: ValueError. Use ``np.random.default_rng(seed(s))`` for a generator.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name}: expected a non-negative integer, got {value!r}")
    return int(value)


def finite_number(name, value):
    """Return `value` as a float if it is a finite real number; raise naming `name` otherwise.

    Wrong type (not a real number, or a bool): TypeError. NaN or inf: ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a finite number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the float range
        number = float("inf")
    if not np.isfinite(number):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return number


def boolean(name, value):
    """Return `value` if it is True or False (a NumPy bool too); raise TypeError naming `name` otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def function(name, value, expected="a function"):
    """Return `value` if it is callable; raise TypeError naming `name` and what was `expected` otherwise."""
    if not callable(value):
        raise TypeError(f"{name}: expected {expected}, got {type(value).__name__}")
    return value


def named(name, value, options, cls, kind):
    """Return `value` if it is a `cls` object, else `options[value]` for a known name.

    Not a string nor a `cls`: TypeError; an unknown name: ValueError listing the options. `kind` says what the
    objects are ("an Activation object") in the TypeError message.
    """
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a name or {kind}, got {type(value).__name__}")
    return choice(name, value, options)


def generator(value, name="rng"):
    """Return a numpy.random.Generator: `value` itself, or one seeded with the non-negative integer `value`."""
    if isinstance(value, np.random.Generator):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a numpy.random.Generator or a non-negative integer seed, got {value!r}")
    return np.random.default_rng(seed(value, name))


def binary_labels(name, array):
    """Return the float array `array` if every entry is 0 or 1; raise ValueError naming `name` otherwise."""
    if not np.all((array == 0) | (array == 1)):
        bad = array[(array != 0) & (array != 1)]
        raise ValueError(f"{name}: expected labels 0 and 1, got {bad.flat[0]!r} (and {bad.size - 1} more)")
    return array


def same_shape(names, *arrays):
    """Raise ValueError naming `names` (e.g. "a and y") unless all `arrays` have the same shape."""
    shapes = [np.shape(a) for a in arrays]
    if any(s != shapes[0] for s in shapes):
        raise ValueError(f"{names}: expected the same shape, got {' and '.join(str(s) for s in shapes)}")


def in_training():
    """True inside ``numpy.errstate(invalid="ignore")``: the training loop's state, where lib's rules take their
    (already checked) arrays as they are and leave NaN/inf to the loop's divergence check."""
    return np.geterr()["invalid"] == "ignore"


def unless_ignored(name, value, dtype=None):
    """:func:`as_float_array` (with ``dtype=None``), except inside ``numpy.errstate(invalid="ignore")``.

    There a float array passes unchanged: the training loop runs under that errstate and detects divergence
    from its loss, so an overflowed array must reach that check instead of raising a ValueError on the way.
    """
    if in_training() and isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    return as_float_array(name, value, dtype=dtype)


def finite_result(name, problem, rule, *arguments):
    """Return ``rule(*arguments)``, computed without warnings; raise ValueError naming `name` and saying
    `problem` if the result is not finite (except inside ``numpy.errstate(invalid="ignore")``, as above)."""
    ignoring = in_training()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = rule(*arguments)
    if not ignoring and not np.all(np.isfinite(result)):
        raise ValueError(f"{name}: {problem}")
    return result


def at_most(name, value, limit, why=""):
    """Return `value` if abs(value) <= `limit`; raise ValueError naming `name` (and saying `why`) otherwise."""
    if not abs(value) <= limit:
        raise ValueError(f"{name}: expected a magnitude of at most {limit:g}{why}, got {value!r}")
    return value


def has_attributes(name, value, attributes, expected="a FeedForwardNetwork"):
    """Return `value` if it has every attribute in `attributes`; raise TypeError naming `name` otherwise."""
    for attribute in attributes:
        if not hasattr(value, attribute):
            raise TypeError(f"{name}: expected {expected} (an object with .{attribute}), got {type(value).__name__}")
    return value


def count(name, value, maximum=10**6):
    """Return `value` as an int if it is a positive integer up to `maximum` (a size or a number of repetitions:
    more would exhaust the memory or never finish); raise naming `name` otherwise."""
    positive_number(name, value, integer=True)
    if value > maximum:
        raise ValueError(f"{name}: expected at most {maximum}, got {value!r}")
    return int(value)
