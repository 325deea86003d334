"""Checks that notebooks call to prove what they claim, and that tell a student what is wrong.

Introduced in chapter 01. Every claim a chapter makes in prose ("backprop equals autograd", "accuracy above
97 %") is followed by a call to one of these functions; a failing check raises :class:`CheckError`, so the
build and nbval fail with a message a reader can act on.
"""

import numpy as np


class CheckError(AssertionError):
    """A check failed: the message says what was expected, what was found, and the likely mistake."""


def _passed(message):
    print(f"✓ {message}")


def check_true(condition, message):
    """Raise CheckError(message) unless `condition` holds; print a tick otherwise.

    Introduced in chapter 01.
    """
    if not bool(condition):
        raise CheckError(message)
    _passed(message)


def check_close(actual, expected, name="value", rtol=1e-7, atol=1e-12):
    """Check that `actual` equals `expected` elementwise within tolerances, and explain the difference if not.

    Introduced in chapter 01.
    """
    actual_arr = np.asarray(actual, dtype=float)
    expected_arr = np.asarray(expected, dtype=float)
    if actual_arr.shape != expected_arr.shape:
        raise CheckError(f"{name}: shape {actual_arr.shape}, expected {expected_arr.shape}.")
    if not np.all(np.isfinite(actual_arr)):
        raise CheckError(f"{name}: contains NaN or inf.")
    if not np.allclose(actual_arr, expected_arr, rtol=rtol, atol=atol):
        worst = np.max(np.abs(actual_arr - expected_arr))
        raise CheckError(f"{name}: differs from the expected value by up to {worst:.3g} (rtol={rtol}, atol={atol}).")
    _passed(f"{name} matches (rtol={rtol:g})")


def check_greater(value, bound, name="value"):
    """Check value > bound. Introduced in chapter 01."""
    if not value > bound:
        raise CheckError(f"{name} = {value:.6g}, expected more than {bound:.6g}.")
    _passed(f"{name} = {value:.6g} > {bound:.6g}")


def check_less(value, bound, name="value"):
    """Check value < bound. Introduced in chapter 01."""
    if not value < bound:
        raise CheckError(f"{name} = {value:.6g}, expected less than {bound:.6g}.")
    _passed(f"{name} = {value:.6g} < {bound:.6g}")
