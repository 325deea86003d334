"""lib.losses: values against the formulas, gradients against autograd, the fused output error, stability."""

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from lib.activations import SIGMOID, SOFTMAX
from lib.losses import BINARY_CROSS_ENTROPY, CROSS_ENTROPY, LOSSES, SQUARED_ERROR, get_loss


def batch(seed, n=5, k=3):
    rng = np.random.default_rng(seed)
    a = SOFTMAX.f(rng.normal(size=(n, k)))
    y = np.eye(k)[rng.integers(0, k, n)]
    return a, y


def test_values_are_batch_means_of_the_per_sample_costs():
    a, y = batch(0)
    n = len(a)
    assert SQUARED_ERROR(a, y) == pytest.approx(np.mean([0.5 * np.sum((a[i] - y[i]) ** 2) for i in range(n)]))
    assert CROSS_ENTROPY(a, y) == pytest.approx(np.mean([-np.sum(y[i] * np.log(a[i])) for i in range(n)]))
    expected = np.mean([-np.sum(y[i] * np.log(a[i]) + (1 - y[i]) * np.log(1 - a[i])) for i in range(n)])
    assert BINARY_CROSS_ENTROPY(a, y) == pytest.approx(expected)
    # The lecture's scalar example: C = (a - y)^2 / 2.
    assert SQUARED_ERROR(0.9, 0.5) == pytest.approx(0.08)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradient_matches_autograd(name):
    loss = get_loss(name)
    a, y = batch(1)
    expected = autograd.grad(lambda v: loss.value(v, y, anp))(a)
    np.testing.assert_allclose(loss.gradient(a, y), expected, rtol=1e-12)


@pytest.mark.parametrize(("loss", "activation"), [(CROSS_ENTROPY, SOFTMAX), (BINARY_CROSS_ENTROPY, SIGMOID)])
def test_canonical_activation_gives_a_minus_y_over_n(loss, activation):
    z = np.random.default_rng(2).normal(size=(4, 3))
    a, y = activation.f(z), np.eye(3)[[0, 2, 1, 1]]
    chain_rule = activation.backward(z, a, loss.gradient(a, y))
    np.testing.assert_allclose(chain_rule, (a - y) / len(a), rtol=1e-10, atol=1e-15)
    assert loss.canonical_activation is activation


@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_saturated_outputs_give_finite_costs_without_warnings(name, dtype):
    loss = get_loss(name)
    a = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    y = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        value = loss.value(a, y)
        gradient = loss.gradient(a, y)
    assert np.isfinite(value) and value > 0
    assert np.all(np.isfinite(gradient)) and gradient.dtype == dtype
    assert np.asarray(value).dtype == dtype


def test_get_loss_and_checked_calls():
    assert get_loss("cross_entropy") is CROSS_ENTROPY
    assert get_loss(SQUARED_ERROR) is SQUARED_ERROR
    with pytest.raises(ValueError, match=r"loss: unknown name 'mse'.*'squared_error'"):
        get_loss("mse")
    with pytest.raises(TypeError, match="loss"):
        get_loss(3)
    with pytest.raises(ValueError, match="a and y"):
        SQUARED_ERROR(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="y: contains NaN"):
        SQUARED_ERROR(np.zeros(2), [0.0, np.nan])
    with pytest.raises(TypeError, match="a"):
        CROSS_ENTROPY("abc", [1.0])
