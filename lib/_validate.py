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
        if array.dtype.kind == "O":  # e.g. SymPy numbers: convert, so that what is not a real number fails here
            array = array.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name}: expected real numbers in a rectangular array, got {type(value).__name__}") from error
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
    if not (value > 0 and np.isfinite(value)):
        raise ValueError(f"{name}: expected a positive {'integer' if integer else 'number'}, got {value!r}")
    return value


def choice(name, value, options):
    """Return `options[value]` for a known name; raise ValueError listing the options otherwise."""
    if value not in options:
        raise ValueError(f"{name}: unknown name {value!r}; expected one of {sorted(options)}")
    return options[value]


def non_negative(name, value):
    """Return `value` as a float if it is a finite number >= 0; raise naming `name` otherwise.

    Wrong type (not a real number, or a bool): TypeError. A real number that is negative, NaN or inf: ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a non-negative number, got {value!r}")
    if not (value >= 0 and np.isfinite(value)):
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
