"""lib.flops: operation counts under the book's convention, with and without common-subexpression elimination."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.flops import CONVENTION, count_flops, count_flops_cse

x, y, z = sp.symbols("x y z")
SIMPLE = sp.exp(x**2)
LECTURE = sp.sqrt(x**2 + sp.exp(x**2))


def test_the_lectures_counts_are_reproduced():
    assert (count_flops(SIMPLE), count_flops(sp.diff(SIMPLE, x))) == (2, 4)
    assert (count_flops(LECTURE), count_flops(sp.diff(LECTURE, x))) == (5, 10)
    assert count_flops([LECTURE, sp.diff(LECTURE, x)]) == 15


def test_common_subexpressions_cut_function_plus_derivative():
    assert count_flops_cse([SIMPLE, sp.diff(SIMPLE, x)]) == 4  # the lecture's "from six to four"
    assert count_flops_cse([LECTURE, sp.diff(LECTURE, x)]) == 7  # the lecture's a, b, c, d (4) plus x(1+b)/d (3)


def test_sympy_count_ops_differs_only_by_the_division_in_the_exponent_one_half():
    for expr in (LECTURE, sp.diff(LECTURE, x)):
        assert sp.count_ops(expr) == count_flops(expr) + 1
    for expr in (SIMPLE, sp.diff(SIMPLE, x)):
        assert sp.count_ops(expr) == count_flops(expr)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (x, 0), (sp.Integer(3), 0), (-x, 0), (x + y, 1), (x - y, 1), (x + y + z, 2), (x * y * z, 2),
        (2 * x, 1), (x / 2, 1), (x / y, 1), (1 / x, 1), (x * y / (y + z), 3), (1 / (x * y), 2),
        (x**2, 1), (x**y, 1), (sp.sqrt(x), 1), (1 / sp.sqrt(x), 2), (sp.exp(x), 1), (sp.tanh(x) ** 3, 2),
        (sp.log(x * y) - sp.sin(z), 4),
    ],
)
def test_the_convention_on_small_expressions(expr, expected):
    assert count_flops(expr) == expected


def test_counts_by_kind():
    kinds = count_flops(sp.diff(LECTURE, x), by_kind=True)
    assert kinds == {"pow": 3, "add": 2, "exp": 2, "mul": 1, "div": 1, "sqrt": 1}
    assert sum(kinds.values()) == 10


def test_the_convention_is_stated():
    assert "sqrt" in CONVENTION and "free" in CONVENTION


@pytest.mark.parametrize("bad", [object(), "x +", [x, None]])
def test_bad_input_names_the_argument(bad):
    with pytest.raises(TypeError, match="expr"):
        count_flops(bad)


def test_unsupported_expressions_raise_value_error():
    with pytest.raises(ValueError, match="expr"):
        count_flops(sp.Eq(x, y))


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5), st.lists(st.integers(), max_size=3)))
def test_no_raw_error_escapes_for_malformed_input(bad):
    for count in (count_flops, count_flops_cse):
        try:
            assert count(bad) >= 0
        except (TypeError, ValueError):
            pass
