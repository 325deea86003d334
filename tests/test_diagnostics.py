"""Tests of lib.diagnostics: per-layer gradient norms, activation statistics, dead units, step cost, timing."""

import numpy as np
import pytest

from lib.diagnostics import (
    activation_statistics,
    dead_relu_fraction,
    layer_gradient_norms,
    multiply_adds,
    per_sample_gradients,
    time_call,
)
from lib.network import FeedForwardNetwork


def make_data(n=30, n_in=4, n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "elu"])
def test_layer_gradient_norms_are_the_norms_of_the_gradients(activation):
    X, Y = make_data()
    net = FeedForwardNetwork([4, 6, 5, 3], hidden_activation=activation, seed=1)
    norms = layer_gradient_norms(net, X, Y)
    dW, _ = net.gradients(X, Y)
    assert norms.shape == (3,)
    np.testing.assert_allclose(norms, [np.sqrt(np.sum(g * g)) for g in dW], rtol=1e-12)


def test_vanishing_gradients_show_in_the_norms():
    """Ten sigmoid layers with Glorot weights: each layer shrinks the error by about 4 (sigmoid' <= 1/4)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 32))
    Y = np.eye(10)[rng.integers(0, 10, 64)]
    net = FeedForwardNetwork([32] + [32] * 9 + [10], hidden_activation="sigmoid", output_activation="softmax",
                             loss="cross_entropy", init="glorot", seed=0)
    norms = layer_gradient_norms(net, X, Y)
    assert norms[0] / norms[-1] < 1e-3


def test_activation_statistics_of_a_known_network():
    net = FeedForwardNetwork([2, 3, 1], hidden_activation="relu", output_activation="identity", seed=0)
    net.weights[0][...] = [[1.0, -1.0, 0.0], [0.0, 0.0, 2.0]]
    net.biases[0][...] = 0.0
    net.weights[1][...] = [[1.0], [1.0], [1.0]]
    net.biases[1][...] = 0.5
    X = np.array([[1.0, 1.0], [-1.0, 2.0]])
    stats = activation_statistics(net, X)
    z1 = X @ net.weights[0]
    a1 = np.maximum(z1, 0)
    a2 = a1.sum(axis=1, keepdims=True) + 0.5
    np.testing.assert_allclose(stats["z_std"], [np.std(z1), np.std(a2)])
    np.testing.assert_allclose(stats["a_mean"], [a1.mean(), a2.mean()])
    np.testing.assert_allclose(stats["a_std"], [a1.std(), a2.std()])
    np.testing.assert_allclose(stats["a_var"], [a1.var(), a2.var()])


def test_dead_relu_fraction_counts_units_that_are_off_for_every_sample():
    net = FeedForwardNetwork([2, 4, 3, 1], hidden_activation="relu", seed=0)
    X = np.abs(np.random.default_rng(0).normal(size=(20, 2))) + 0.1  # positive inputs
    net.weights[0][...] = [[1.0, -1.0, 1.0, -1.0], [1.0, -1.0, -1.0, 1.0]]
    net.biases[0][...] = [0.0, -0.1, 0.0, 0.0]  # unit 2: negative weights, negative bias: always off
    net.weights[1][...] = -np.abs(net.weights[1])
    net.biases[1][...] = -1.0  # every unit of layer 2 receives a^1 >= 0 through negative weights: all dead
    fractions = dead_relu_fraction(net, X)
    z1 = X @ net.weights[0] + net.biases[0]
    expected_first = np.mean(np.all(z1 <= 0, axis=0))
    np.testing.assert_allclose(fractions, [expected_first, 1.0])
    assert 0.25 <= fractions[0] < 1.0
    # A dead unit gets no gradient on its incoming weights.
    dW, _ = net.gradients(X, np.ones((20, 1)))
    np.testing.assert_array_equal(dW[1], 0.0)


def test_multiply_adds_hand_count_of_the_221_network():
    # forward 2*2 + 2*1; backward: BP4 6 + BP2 into the hidden layer 2; update: 6 weights + 3 biases
    assert multiply_adds([2, 2, 1]) == {"forward": 6, "backward": 8, "update": 9, "total": 23}


def test_multiply_adds_counts_every_matrix_product_of_a_step():
    sizes, m = [784, 30, 10], 10
    count = multiply_adds(sizes, batch_size=m)
    products = [(m, 784, 30), (m, 30, 10)]  # z^l = a^{l-1} @ W^l: (rows, inner, cols)
    forward = sum(r * k * c for r, k, c in products)
    bp4 = sum(k * r * c for r, k, c in products)  # a^{l-1}.T @ delta^l
    bp2 = m * 10 * 30  # delta^2 @ W^2.T only: the input layer needs no delta
    assert count["forward"] == forward
    assert count["backward"] == bp4 + bp2
    assert count["update"] == 784 * 30 + 30 + 30 * 10 + 10
    assert count["total"] == count["forward"] + count["backward"] + count["update"]


def test_multiply_adds_grow_linearly_with_the_batch_except_the_update():
    one, many = multiply_adds([5, 7, 3], 1), multiply_adds([5, 7, 3], 40)
    assert many["forward"] == 40 * one["forward"]
    assert many["backward"] == 40 * one["backward"]
    assert many["update"] == one["update"]


@pytest.mark.parametrize("bad", [[3], [], "64-100-10", [3, 0, 2], [3, -1], [2.5, 3], None])
def test_multiply_adds_rejects_bad_layer_sizes(bad):
    with pytest.raises((ValueError, TypeError), match="layer_sizes"):
        multiply_adds(bad)


@pytest.mark.parametrize("bad", [0, -3, 1.5, True])
def test_multiply_adds_rejects_bad_batch_size(bad):
    with pytest.raises((ValueError, TypeError), match="batch_size"):
        multiply_adds([2, 2, 1], batch_size=bad)


@pytest.mark.parametrize(
    "sizes, hidden, output, loss",
    [
        ([4, 6, 3], "sigmoid", "identity", "squared_error"),
        ([4, 5, 5, 3], "tanh", "softmax", "cross_entropy"),
        ([4, 8, 3], "relu", "sigmoid", "binary_cross_entropy"),
    ],
)
def test_per_sample_gradients_equal_the_batched_gradients(sizes, hidden, output, loss):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(25, sizes[0]))
    if loss == "cross_entropy":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 25)]
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, size=(25, sizes[-1])).astype(float)
    else:
        Y = rng.normal(size=(25, sizes[-1]))
    net = FeedForwardNetwork(sizes, hidden_activation=hidden, output_activation=output, loss=loss, seed=0)
    dW_batch, db_batch = net.gradients(X, Y)
    dW_loop, db_loop = per_sample_gradients(net, X, Y)
    for batch, loop in zip(dW_batch + db_batch, dW_loop + db_loop, strict=True):
        np.testing.assert_allclose(loop, batch, rtol=1e-10, atol=1e-14)


def test_per_sample_gradients_rejects_mismatched_data():
    net = FeedForwardNetwork([3, 2, 1], seed=0)
    with pytest.raises(ValueError, match="Y"):
        per_sample_gradients(net, np.zeros((4, 3)), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="X"):
        per_sample_gradients(net, np.zeros(3), np.zeros(1))


@pytest.mark.parametrize("function", [layer_gradient_norms, per_sample_gradients])
def test_functions_reject_something_that_is_not_a_network(function):
    with pytest.raises(TypeError, match="network"):
        function("a network", np.zeros((2, 2)), np.zeros((2, 1)))


@pytest.mark.parametrize("function", [activation_statistics, dead_relu_fraction])
def test_forward_functions_reject_something_that_is_not_a_network(function):
    with pytest.raises(TypeError, match="network"):
        function([np.zeros((2, 2))], np.zeros((2, 2)))


def test_time_call_calls_the_function_repeat_times_number_and_returns_a_time_per_call():
    calls = []
    seconds = time_call(lambda: calls.append(1), repeat=3, number=4)
    assert len(calls) == 12
    assert 0 <= seconds < 0.1


@pytest.mark.parametrize("kwargs, match", [({"repeat": 0}, "repeat"), ({"number": -1}, "number"),
                                           ({"repeat": 2.5}, "repeat")])
def test_time_call_rejects_bad_counts(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        time_call(lambda: None, **kwargs)


def test_time_call_rejects_a_non_callable():
    with pytest.raises(TypeError, match="function"):
        time_call(42)
