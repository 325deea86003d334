"""lib.activations: derivatives against autograd, the softmax Jacobian, stability for huge |z|, dtypes, errors."""

import warnings

import autograd
import autograd.numpy as anp
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import activations
from lib.activations import ACTIVATIONS, SOFTMAX, get_activation

ELEMENTWISE = sorted(set(ACTIVATIONS) - {"softmax"})
HUGE = np.array([[-1e4, -1e3, -710.0, -100.0, -1.0, 0.0, 1.0, 100.0, 710.0, 1e3, 1e4]])


def random_z(seed, shape=(6, 5)):
    z = np.random.default_rng(seed).normal(0, 3, shape)
    z[np.abs(z) < 1e-3] = 0.5  # keep away from the kink of relu-like functions
    return z


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_autograd(name):
    act = get_activation(name)
    z = random_z(0)
    expected = autograd.elementwise_grad(lambda v: act.f(v, anp))(z)
    np.testing.assert_allclose(act.derivative(z), expected, rtol=1e-12, atol=1e-15)
    grad_a = np.random.default_rng(1).normal(size=z.shape)
    np.testing.assert_allclose(act.backward(z, act.f(z), grad_a), grad_a * expected, rtol=1e-12, atol=1e-15)


def test_softmax_backward_is_the_jacobian_vector_product():
    z = random_z(2)
    a = SOFTMAX.f(z)
    grad_a = np.random.default_rng(3).normal(size=z.shape)
    expected = autograd.grad(lambda v: anp.sum(SOFTMAX.f(v, anp) * grad_a))(z)
    np.testing.assert_allclose(SOFTMAX.backward(z, a, grad_a), expected, rtol=1e-12, atol=1e-15)
    # The derivative is the Jacobian's diagonal: d a_j / d z_j.
    diagonal = [autograd.jacobian(lambda row: SOFTMAX.f(row[None, :], anp)[0])(row).diagonal() for row in z]
    np.testing.assert_allclose(SOFTMAX.derivative(z), diagonal, rtol=1e-12)


def test_softmax_uses_each_rows_maximum():
    """Errata item 8: subtracting a column maximum mixes samples; the row maximum changes nothing."""
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    a = activations.softmax(z)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a[0], a[1])  # softmax(z + c) = softmax(z), row by row
    np.testing.assert_allclose(a[0], np.exp(z[0]) / np.exp(z[0]).sum())
    np.testing.assert_allclose(activations.softmax(z[0]), a[0])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stable_for_huge_inputs_without_warnings(name, dtype):
    act = get_activation(name)
    z = HUGE.astype(dtype)
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        a = act.f(z)
        derivative = act.derivative(z)
        grad_z = act.backward(z, a, np.ones_like(z))
    for result in (a, derivative, grad_z):
        assert result.dtype == dtype and np.all(np.isfinite(result))


def test_values_at_the_extremes():
    z = HUGE[0]
    assert 0 <= activations.sigmoid(z)[0] < 1e-300 and activations.sigmoid(z)[-1] == 1.0
    np.testing.assert_array_equal(activations.tanh(z)[[0, -1]], [-1.0, 1.0])
    np.testing.assert_array_equal(activations.elu(z)[[0, -1]], [-1.0, 1e4])
    np.testing.assert_array_equal(activations.leaky_relu(z)[[0, -1]], [-100.0, 1e4])
    assert activations.sigmoid(-700.0) == pytest.approx(np.exp(-700.0), rel=1e-12)  # no precision lost
    np.testing.assert_array_equal(activations.softmax([[0.0, 1e4, -1e4]]), [[0.0, 1.0, 0.0]])


def test_convenience_functions():
    assert activations.sigmoid(0) == 0.5 and activations.sigmoid_prime(0) == 0.25
    assert activations.tanh_prime(0.0) == 1.0
    np.testing.assert_array_equal(activations.relu([-2, 0, 3]), [0, 0, 3])
    np.testing.assert_array_equal(activations.relu_prime([-2, 0, 3]), [0, 0, 1])
    np.testing.assert_allclose(activations.leaky_relu([-2.0, 3.0]), [-0.02, 3.0])  # alpha = 0.01 (errata 9)
    np.testing.assert_allclose(activations.leaky_relu_prime([-2.0, 3.0], alpha=0.2), [0.2, 1.0])
    np.testing.assert_allclose(activations.elu([-1.0, 2.0]), [np.expm1(-1.0), 2.0])
    np.testing.assert_allclose(activations.elu_prime([-1.0, 2.0], alpha=2.0), [2 * np.exp(-1.0), 1.0])
    assert activations.sigmoid(np.float32(1.0)).dtype == np.float32


def test_get_activation():
    assert get_activation("relu") is activations.RELU
    custom = activations.make_leaky_relu(0.2)
    assert get_activation(custom) is custom
    with pytest.raises(ValueError, match=r"activation: unknown name 'rleu'.*'relu'"):
        get_activation("rleu")
    with pytest.raises(TypeError, match="activation"):
        get_activation(None)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "a", None])
def test_alpha_must_be_positive(bad):
    with pytest.raises((ValueError, TypeError), match="alpha"):
        activations.make_leaky_relu(bad)
    with pytest.raises((ValueError, TypeError), match="alpha"):
        activations.make_elu(bad)


@pytest.mark.parametrize("bad", [[1.0, np.nan], "abc", [1j], [[1.0], [1.0, 2.0]], None])
def test_convenience_functions_check_z(bad):
    with pytest.raises((ValueError, TypeError), match="z"):
        activations.sigmoid(bad)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5),
                    elements=st.floats(-1e6, 1e6)), name=st.sampled_from(sorted(ACTIVATIONS)))
def test_any_finite_input_gives_finite_output(z, name):
    act = get_activation(name)
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        a = act.f(z)
        grad = act.backward(z, a, np.ones_like(z))
    assert a.shape == z.shape and np.all(np.isfinite(a)) and np.all(np.isfinite(grad))


def test_unguarded_sigmoid_agrees_with_the_guarded_one_where_exp_does_not_overflow():
    """fit uses the sigmoid without its overflow guard (under np.errstate); both must give the same numbers."""
    z = np.linspace(-700, 700, 2001)
    sig = activations.SIGMOID
    # Two algebraically equal forms (e / (1 + e) with e = exp(z) for z < 0): equal to rounding.
    np.testing.assert_allclose(sig.f_unguarded(z, np), sig.f(z), rtol=1e-15, atol=0)
    with np.errstate(over="ignore"):
        far = sig.f_unguarded(np.array([-1e4, 1e4]), np)
    np.testing.assert_array_equal(far, [0.0, 1.0])
