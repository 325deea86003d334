"""Input validation shared by the library: errors name the argument and say what was expected."""

import numbers

import numpy as np


def as_float_array(name, value, ndim=None, dtype=np.float64):
    """Convert `value` to a finite float array; raise ValueError/TypeError naming `name` otherwise."""
    if value is None:
        raise TypeError(f"{name}: expected numbers (an array of floats), got None")
    try:
        complex_values = np.iscomplexobj(value)
        array = None if complex_values else np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name}: expected numbers in a rectangular array, got {type(value).__name__}") from error
    if complex_values:
        raise TypeError(f"{name}: expected real numbers, got complex values")
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
