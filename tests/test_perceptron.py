"""lib.perceptron: Rosenblatt's rule."""

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import array_shapes, arrays

from lib.data import logic_gate
from lib.perceptron import Perceptron, perceptron_predict, perceptron_step


def test_step_by_hand():
    # prediction 0 for a target 1: w moves by +eta x, b by +eta
    w, b = perceptron_step(np.array([0.0, 0.0]), 0.0, np.array([1.0, 2.0]), 1, learning_rate=0.5)
    np.testing.assert_array_equal(w, [0.5, 1.0])
    assert b == 0.5
    # a false 1: w moves by -eta x
    w, b = perceptron_step(np.array([1.0, 1.0]), 0.0, np.array([1.0, 2.0]), 0, learning_rate=1.0)
    np.testing.assert_array_equal(w, [0.0, -1.0])
    assert b == -1.0
    # right: nothing changes
    w, b = perceptron_step(np.array([1.0, 1.0]), 0.0, np.array([1.0, 2.0]), 1)
    np.testing.assert_array_equal(w, [1.0, 1.0])
    assert b == 0.0


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
def test_separable_gates_converge(gate):
    X, y = logic_gate(gate)
    p = Perceptron(2)
    p.fit(X, y, epochs=100)
    assert p.converged and p.mistakes[-1] == 0
    np.testing.assert_array_equal(p.predict(X), y)


def test_xor_never_converges():
    X, y = logic_gate("xor")
    for shuffle in (False, True):
        p = Perceptron(2)
        mistakes = p.fit(X, y, epochs=200, shuffle=shuffle)
        assert not p.converged and len(mistakes) == 200 and min(mistakes) > 0
        assert np.sum(p.predict(X) == y) <= 3


def test_predict_threshold():
    np.testing.assert_array_equal(perceptron_predict([[1.0], [-1.0], [0.0]], [1.0], 0.0), [1, 0, 0])


@pytest.mark.parametrize("call, error", [
    (lambda: Perceptron(0), ValueError),
    (lambda: Perceptron(2, learning_rate=-1), ValueError),
    (lambda: Perceptron(2).fit([[0, 1]], [2]), ValueError),
    (lambda: Perceptron(2).fit([[0, 1], [1, 0]], [1]), ValueError),
    (lambda: Perceptron(2).fit([[0, 1, 1]], [1]), ValueError),
    (lambda: Perceptron(2).fit([[0, 1]], [1], epochs=0), ValueError),
    (lambda: perceptron_predict([[1.0, 2.0]], [1.0], 0.0), ValueError),
    (lambda: perceptron_step([1.0], 0.0, [1.0], 1, learning_rate=0), ValueError),
    (lambda: Perceptron("two"), TypeError),
])
def test_bad_input(call, error):
    with pytest.raises(error):
        call()


@settings(max_examples=60, deadline=None)
@given(X=arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4),
                elements=st.floats(allow_nan=True, allow_infinity=True, width=64)),
       y=st.one_of(st.lists(st.integers(-2, 2), max_size=5), st.text(max_size=3), st.none()))
def test_malformed_input_raises_only_value_or_type_errors(X, y):
    for call in (lambda: Perceptron(2).fit(X, y, epochs=2), lambda: perceptron_predict(X, [1.0, 2.0], 0.0),
                 lambda: perceptron_step([0.0, 0.0], 0.0, X, 1)):
        try:
            call()
        except (ValueError, TypeError):
            pass
