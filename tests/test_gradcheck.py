"""Gradient checking: finite differences, autograd, the comparison and its table, and the network check."""

import autograd.numpy as anp
import numpy as np
import pytest

from lib.gradcheck import (
    GradientCheckError,
    autograd_gradients,
    check_network_gradients,
    compare_gradients,
    finite_difference_gradients,
)
from lib.network import FeedForwardNetwork

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 2))
B = RNG.normal(size=2)


def cost(A, B, xp=np):
    """A smooth scalar function of two arrays, with a known gradient."""
    return xp.sum(xp.sin(A) * 2.0) + xp.sum(B**3) + xp.sum(A[:, 0] * B[0])


def exact_gradient(A, B):
    dA = 2 * np.cos(A)
    dA[:, 0] += B[0]
    dB = 3 * B**2
    dB[0] += A[:, 0].sum()
    return [dA, dB]


@pytest.mark.parametrize(("eps", "order", "rtol"), [(1e-6, 2, 1e-7), (1e-3, 4, 1e-9)])
def test_finite_differences_match_the_exact_gradient_and_restore_params(eps, order, rtol):
    params = [A.copy(), B.copy()]
    numeric = finite_difference_gradients(lambda: cost(*params), params, eps=eps, order=order)
    assert compare_gradients(numeric, exact_gradient(A, B), rtol=rtol) < rtol
    np.testing.assert_array_equal(params[0], A)
    np.testing.assert_array_equal(params[1], B)


def test_params_are_restored_when_f_raises():
    params = [A.copy()]
    calls = []

    def f():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return float(params[0].sum())

    with pytest.raises(RuntimeError):
        finite_difference_gradients(f, params)
    np.testing.assert_array_equal(params[0], A)


def test_autograd_gradients():
    grads = autograd_gradients(lambda p: cost(p[0], p[1], anp), [A, B])
    for got, expected in zip(grads, exact_gradient(A, B), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_compare_gradients_floor_and_zeros():
    zeros = [np.zeros(3), np.zeros((2, 2))]
    assert compare_gradients(zeros, [z.copy() for z in zeros]) == 0.0
    # Rounding noise far below the gradient's scale next to exact zeros is not a disagreement ...
    assert compare_gradients([np.array([1.0, 0.0])], [np.array([1.0, 1e-17])]) < 1e-7
    # ... but a real difference in a small entry is.
    with pytest.raises(GradientCheckError):
        compare_gradients([np.array([1.0, 1e-4])], [np.array([1.0, 2e-4])])
    # All-zero reference: any non-zero analytic entry is a disagreement.
    with pytest.raises(GradientCheckError):
        compare_gradients([np.array([1e-3])], [np.array([0.0])])


def test_compare_gradients_error_has_a_table():
    analytic = [np.ones((3, 2)), np.ones(2)]
    reference = [np.ones((3, 2)), np.array([1.0, 1.5])]
    with pytest.raises(GradientCheckError) as info:
        compare_gradients(analytic, reference, names=["W^1", "b^1"], rtol=1e-6)
    message = str(info.value)
    assert isinstance(info.value, AssertionError)
    assert "W^1" in message and "b^1" in message and "(3, 2)" in message
    assert "3.333e-01" in message  # |1 - 1.5| / 1.5
    assert "5.000e-01" in message  # max abs diff


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: compare_gradients([np.ones(2)], [np.ones(3)]), ValueError, r"reference\[0\]"),
    (lambda: compare_gradients([np.ones(2)], [np.ones(2), np.ones(2)]), ValueError, "reference"),
    (lambda: compare_gradients([np.ones(2)], [np.ones(2)], rtol=0), ValueError, "rtol"),
    (lambda: compare_gradients([np.ones(2)], [np.ones(2)], names=["a", "b"]), ValueError, "names"),
    (lambda: compare_gradients([np.array([np.nan])], [np.ones(1)]), ValueError, "analytic"),
    (lambda: compare_gradients(np.ones(2), [np.ones(2)]), TypeError, "analytic"),
    (lambda: finite_difference_gradients(3, [A.copy()]), TypeError, "f"),
    (lambda: finite_difference_gradients(lambda: 1.0, [A.copy()], eps=0), ValueError, "eps"),
    (lambda: finite_difference_gradients(lambda: 1.0, [A.copy()], order=3), ValueError, "order"),
    (lambda: finite_difference_gradients(lambda: np.nan, [A.copy()]), ValueError, "f"),
    (lambda: finite_difference_gradients(lambda: "x", [A.copy()]), TypeError, "f"),
    (lambda: finite_difference_gradients(lambda: 1.0, [np.arange(3)]), TypeError, r"params\[0\]"),
    (lambda: autograd_gradients(lambda p: 1.0, "A"), TypeError, "params"),
])
def test_bad_arguments_are_named(call, error, name):
    with pytest.raises(error, match=name):
        call()


class TinyNetwork:
    """A stand-in with the interface check_network_gradients uses: one linear layer, squared error."""

    def __init__(self, wrong=False):
        self.weights = [RNG.normal(size=(2, 3))]
        self.biases = [RNG.normal(size=3)]
        self.wrong = wrong

    def loss_from_params(self, weights, biases, X, Y, xp=np):
        residual = X @ weights[0] + biases[0] - Y
        return 0.5 * xp.sum(residual**2) / X.shape[0]

    def loss(self, X, Y):
        return self.loss_from_params(self.weights, self.biases, X, Y)

    def gradients(self, X, Y):
        delta = (X @ self.weights[0] + self.biases[0] - Y) / X.shape[0]
        db = delta.sum(axis=0) * (2.0 if self.wrong else 1.0)
        return [X.T @ delta], [db]


def test_check_network_gradients_on_a_stand_in(capsys):
    X, Y = RNG.normal(size=(5, 2)), RNG.normal(size=(5, 3))
    result = check_network_gradients(TinyNetwork(), X, Y)
    assert result.finite_differences < 1e-7 and result.autograd < 1e-12
    assert "W^1" in capsys.readouterr().out
    with pytest.raises(GradientCheckError, match="b\\^1"):
        check_network_gradients(TinyNetwork(wrong=True), X, Y)


CONFIGS = [  # (layer sizes, hidden activation, output activation, loss)
    ([2, 2, 1], "sigmoid", "identity", "squared_error"),
    ([3, 4, 2], "tanh", "softmax", "cross_entropy"),
    ([2, 3, 3, 1], "relu", "sigmoid", "binary_cross_entropy"),
    ([4, 5, 3], "leaky_relu", "sigmoid", "squared_error"),
    ([3, 3, 2, 2], "elu", "softmax", "cross_entropy"),
]


@pytest.mark.parametrize(("sizes", "hidden", "output", "loss"), CONFIGS)
def test_check_network_gradients_on_the_real_network(sizes, hidden, output, loss, capsys):
    rng = np.random.default_rng(sum(sizes))
    net = FeedForwardNetwork(sizes, hidden, output, loss, seed=1)
    # Non-zero biases: with zero biases a ReLU layer that is dead for a sample passes on z = 0 exactly, the kink,
    # where backprop uses f'(0) = 0 but autograd and central differences see 1/2.
    for b in net.biases:
        b += rng.normal(scale=0.1, size=b.shape)
    X = rng.normal(size=(6, sizes[0]))
    if loss == "cross_entropy":
        Y = rng.integers(0, sizes[-1], 6)
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, (6, sizes[-1])).astype(float)
    else:
        Y = rng.normal(size=(6, sizes[-1]))
    weights_before = [W.copy() for W in net.weights]
    result = check_network_gradients(net, X, Y)
    assert result.autograd < 1e-12
    assert result.finite_differences < 1e-7
    for W, W0 in zip(net.weights, weights_before, strict=True):
        np.testing.assert_array_equal(W, W0)
    assert "b^2" in capsys.readouterr().out


def test_check_network_gradients_refuses_float32():
    net = FeedForwardNetwork([2, 2, 1], dtype=np.float32)
    with pytest.raises(ValueError, match="float64"):
        check_network_gradients(net, np.zeros((2, 2)), np.zeros((2, 1)))


def test_check_network_gradients_bad_net():
    with pytest.raises(TypeError, match="net"):
        check_network_gradients(object(), np.zeros((2, 2)), np.zeros((2, 1)))
