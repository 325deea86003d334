"""lib.approximation: steep sigmoids are steps, two steps a bump, and sums of bumps approximate a function."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.approximation import bump, bump_network, network_output, step
from lib.network import FeedForwardNetwork


def target(x):
    return np.sin(2 * np.pi * x) + 0.5 * x


def test_a_steep_sigmoid_is_a_step_at_minus_b_over_w():
    x = np.array([-1e4, 0.29, 0.3, 0.31, 1e4])
    values = step(x, 0.3, steepness=1000.0)
    np.testing.assert_allclose(values, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-4)


def test_two_steps_make_a_bump():
    x = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(bump(x, 0.3, 0.7, height=2.0, steepness=1000.0), [0.0, 2.0, 0.0], atol=1e-6)


def test_sums_of_bumps_approximate_the_target_better_and_better():
    x = np.linspace(0, 1, 2001)
    errors = [np.max(np.abs(network_output(bump_network(target, n), x) - target(x))) for n in (5, 10, 20, 50, 200)]
    assert all(later < earlier for earlier, later in zip(errors, errors[1:], strict=False))
    assert errors[-1] < 0.02


def test_bump_network_weights_have_the_books_shapes_and_run_in_lib_network():
    W1, b1, W2, b2 = params = bump_network(target, 4)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((1, 8), (8,), (8, 1), (1,))
    np.testing.assert_allclose(-b1[1:-1] / W1[0, 1:-1], [0.25, 0.25, 0.5, 0.5, 0.75, 0.75])  # steps at -b/w
    network = FeedForwardNetwork([1, 8, 1], hidden_activation="sigmoid", output_activation="identity")
    network.weights, network.biases = [W1, W2], [b1, b2]
    x = np.linspace(0, 1, 50)
    np.testing.assert_allclose(network.forward(x[:, None])[:, 0], network_output(params, x), rtol=1e-12)


def test_other_intervals_and_steepness():
    x = np.linspace(-2, 3, 500)
    params = bump_network(np.cos, 100, steepness=2000.0, interval=(-2, 3))
    assert np.max(np.abs(network_output(params, x) - np.cos(x))) < 0.05


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: bump_network("sin", 3), TypeError, "target"),
        (lambda: bump_network(np.sin, 0), ValueError, "n_bumps"),
        (lambda: bump_network(np.sin, 2.5), TypeError, "n_bumps"),
        (lambda: bump_network(np.sin, 3, interval=(1, 0)), ValueError, "interval"),
        (lambda: bump_network(np.sin, 3, steepness=-1.0), ValueError, "steepness"),
        (lambda: step("a", 0.0), TypeError, "x"),
        (lambda: step([np.nan], 0.0), ValueError, "x"),
        (lambda: bump([0.0], 0.5, 0.2), ValueError, "left"),
        (lambda: bump([0.0], "a", 0.2), TypeError, "left"),
        (lambda: step([0.0], np.nan), ValueError, "position"),
        (lambda: step([0.0], [0.1, 0.2]), ValueError, "position"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(), st.text(max_size=3),
                     st.lists(st.floats(), max_size=3))


@settings(max_examples=100, deadline=None)
@given(n_bumps=ANYTHING, steepness=ANYTHING, interval=ANYTHING, x=ANYTHING)
def test_no_raw_error_escapes_for_malformed_input(n_bumps, steepness, interval, x):
    for call in (lambda: bump_network(target, n_bumps), lambda: bump_network(target, 3, steepness=steepness),
                 lambda: bump_network(target, 3, interval=interval), lambda: step(x, 0.5, steepness),
                 lambda: network_output(bump_network(target, 2), x)):
        try:
            call()
        except (TypeError, ValueError):
            pass
