"""Hypothesis throws malformed inputs at the public functions of lib: only clear errors may come out.

For every public call and every one of its arguments (calls.LIB_CASES, calls.NETWORK_CASES, and
calls.REAL_NETWORK_CASES: the default squared-error network, and diagnostics and gradcheck on a real network), the
argument is replaced by something malformed while the other arguments stay valid: every value of
strategies.MALFORMED (None, strings, object and complex arrays, NaN/inf, huge ints, wrong shapes, empty arrays,
ragged lists, zero and negative sizes and rates, unknown names) as an explicit example, plus a few random ones from
strategies.GENERIC. The call may succeed with a finite result and no warning (some odd values are legitimate), or
raise ValueError/TypeError (or a documented lib outcome) whose message names the argument. Any other exception
(IndexError, AttributeError, ZeroDivisionError, a NumPy error naming no argument), any warning or a silent NaN/inf
fails the test.
"""

import pytest
from calls import LIB_CASES, NETWORK_CASES, REAL_NETWORK_CASES, pairs, valid_calls
from hypothesis import example, given
from strategies import GENERIC, MALFORMED, call_with, check_valid_call, reproducible


def every_malformed_value(test):
    """Run each of the MALFORMED values as an explicit example, in addition to the random ones."""
    for value in MALFORMED:
        test = example(bad=value)(test)
    return test


@pytest.mark.parametrize(("fn", "make", "argument", "names", "finite"),
                         pairs(LIB_CASES + NETWORK_CASES + REAL_NETWORK_CASES))
@reproducible(5)
@given(bad=GENERIC)
@every_malformed_value
def test_malformed_argument_gives_a_clear_error(fn, make, argument, names, finite, bad):
    call_with(fn, make, argument, bad, names, finite)


@pytest.mark.parametrize(("fn", "make"), valid_calls(REAL_NETWORK_CASES))
def test_valid_arguments_work(fn, make):
    """The valid arguments above are valid: the fuzz test changes one thing at a time (the other tables' valid
    calls are checked by test_properties_lib and test_properties_network)."""
    check_valid_call(fn, make())
