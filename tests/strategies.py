"""What the argument tests generate and how they judge the outcome: one copy, shared by test_properties_lib,
test_properties_network and test_fuzz_api.

- ``reproducible(n)``: the hypothesis settings, n examples, the same ones on every run (derandomized, no example
  database, no deadline).
- ``MALFORMED``: fixed odd values (None, strings, object, complex and string arrays, NaN/inf, huge ints, empty,
  ragged and wrongly shaped input, containers of the wrong kind); ``GENERIC``: those plus random numbers, text,
  arrays of every dtype and shape, and lists; ``like(value)``: values of a valid value's kind and shape with every
  dtype and extreme elements, so that the magnitudes reach the arithmetic; ``replacing(value)``: either.
- ``call_checked``: a call must return a finite result with no warning, or raise ValueError/TypeError naming the
  argument (or a documented lib outcome: GradientCheckError, DivergenceError).
"""

import copy
import numbers
import re
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from lib.gradcheck import GradientCheckError
from lib.network import DivergenceError


def reproducible(max_examples):
    """Hypothesis settings for `max_examples` examples, the same ones on every run."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


DTYPES = [np.int64, np.int8, np.uint8, np.bool_, np.float16, np.float32, np.float64, np.complex128]
EXTREMES = [1e308, -1e308, 1.7e308, 5e-324, -5e-324, 1e-300, 0.0, -0.0, 1e154, -1e154, 3.4e38, 65504.0]


class Junk:
    """An object of no expected type."""


MALFORMED = [
    None, "", "abc", "sigmoid", True, False, 0, -1, 3, 10**400, -(10**400), 0.0, -0.5, 2.5, float("nan"),
    float("inf"), float("-inf"), 1e308, -1e308, 5e-324, 1j, [], [[1.0, 2.0], [3.0]], [[1.0], "a"], {"a": 1}, Junk(),
    print, (1, 2), [1.0, 2.0], [0, 1, 1, 5], [np.zeros(2)], [np.zeros((2, 3)), None], (np.zeros((4, 2)), np.zeros(4)),
    np.array(["a", "b"]), np.array([1.0, None], dtype=object), np.array([1, "a"], dtype=object),
    np.array([10**30], dtype=object), np.array([np.nan, 1.0]), np.full((4, 2), np.inf), np.ones((4, 2)) * 1j,
    np.ones((4, 2), dtype=int), np.zeros((4, 2), dtype=np.float32), np.array([-1, 0, 1, 0]), np.zeros((0, 2)),
    np.zeros(0), np.zeros(5), np.zeros((3, 2)), np.zeros((4, 3)), np.array(1.0), np.zeros((2, 2, 2)),
    np.float16(65504), np.int64(3),
]

GENERIC = st.one_of(
    st.sampled_from(MALFORMED),
    st.integers(max_value=64),  # no large positive ints: a valid huge count is a long run, see like()
    st.floats(),
    st.complex_numbers(),
    st.text(max_size=4),
    hnp.arrays(dtype=st.sampled_from(DTYPES), shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)),
    st.lists(st.one_of(st.none(), st.floats(), st.integers(-3, 5), st.lists(st.floats(), max_size=2)), max_size=4),
)

# Counts lib refuses as too large (lib._validate.count: at most 10**6); 10**6 itself is valid, and slow.
TOO_LARGE_COUNTS = st.sampled_from([10**7, 10**400])


def like(value):
    """Values of the same kind and shape as a valid `value`, with every dtype and extreme elements."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        elements = st.one_of(st.sampled_from(EXTREMES), st.floats(-1e3, 1e3))
        return st.one_of(
            hnp.arrays(dtype=st.sampled_from(DTYPES), shape=st.just(value.shape)),
            hnp.arrays(dtype=np.float64, shape=st.just(value.shape), elements=elements),
            hnp.arrays(dtype=np.float32, shape=st.just(value.shape),
                       elements=st.sampled_from([3.4e38, -3.4e38, 1e-45, 0.0, 1.0])),
        )
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return st.tuples(*[like(v) for v in value]).map(list)
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, numbers.Integral):
        return st.one_of(st.integers(-5, 50), st.sampled_from([np.int64(2), np.uint8(3), -2**63, -(10**400)]),
                         TOO_LARGE_COUNTS)
    if isinstance(value, numbers.Real):
        return st.one_of(st.sampled_from(EXTREMES), st.floats(), st.sampled_from([np.float32(1e38), np.float16(2)]))
    return GENERIC


def replacing(value):
    """What may stand where the valid `value` stood: anything, or something of its kind and shape."""
    return st.one_of(GENERIC, like(value))


# ---------------------------------------------------------------------------------------------------------------
# What counts as a good outcome

OUTCOMES = (GradientCheckError, DivergenceError)


def non_finite(result, seen=None):
    """A description of the first NaN/inf in `result` (arrays, numbers, containers, lib objects), or None."""
    seen = set() if seen is None else seen
    if id(result) in seen or isinstance(result, (bool, np.bool_, str)) or result is None:
        return None
    seen.add(id(result))
    if isinstance(result, (numbers.Number, np.ndarray, np.generic)):
        array = np.asarray(result)
        if array.dtype.kind in "fc" and not np.all(np.isfinite(array)):
            return f"non-finite values in {array!r:.200}"
        return None
    if isinstance(result, dict):
        items = list(result.values())
    elif isinstance(result, (list, tuple)):
        items = list(result)
    elif hasattr(result, "__dict__") and type(result).__module__.startswith("lib."):
        items = list(vars(result).values())
    else:
        return None
    return next((found for item in items if (found := non_finite(item, seen))), None)


def names_argument(message, names):
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) for name in names)


def call_checked(fn, kwargs, names, finite=True, outcomes=OUTCOMES):
    """Call fn(**kwargs) with every warning an error. An error must name one of `names` (or be one of `outcomes`);
    a result must be finite, unless `finite` is False (a cost that overflows is inf by design). Returns the result,
    or None after an allowed error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = fn(**kwargs)
        except outcomes:
            return None
        except (ValueError, TypeError) as error:
            assert names_argument(str(error), names), f"{type(error).__name__} does not name {names}: {error}"
            return None
    problem = non_finite(result)
    assert problem is None or not finite, f"returned silently: {problem}"
    return result


def check_valid_call(fn, kwargs):
    """fn(**kwargs) on valid arguments: a finite result, no warning, no error (not even a documented outcome)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fn(**kwargs)
    problem = non_finite(result)
    assert problem is None, f"returned {problem}"


# Arguments that take the caller's function: an error raised inside that function is the caller's, not lib's.
CALLBACKS = {"f", "evaluate", "function", "target"}


def call_with(fn, make, argument, value, names, finite=True, outcomes=OUTCOMES):
    """call_checked with the valid arguments from `make()`, `argument` replaced by (a copy of) `value`."""
    if argument in CALLBACKS and callable(value):
        return None
    # a copy: a call may change an array in place (an optimizer's params), and MALFORMED's arrays are shared
    return call_checked(fn, {**make(), argument: copy.deepcopy(value)}, names, finite, outcomes)
