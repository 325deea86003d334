"""The answer keys of chapters 06-10 (lib/exercises/ch06.py .. ch10.py): fixed references agree with lib, a key
accepts a right answer, names the likely mistakes without showing the expected value, and enforces `forbid`."""

import numpy as np
import pytest

from lib.checks import CheckError, NotImplementedYet
from lib.diagnostics import multiply_adds
from lib.exercises import ch07, ch09, check_exercise


def test_the_fixed_counts_of_ex_07_count_are_multiply_adds():
    for (n0, n1, n2, m), (forward, backward, update, share) in ch07.COUNTS.items():
        counts = multiply_adds([n0, n1, n2], batch_size=m)
        assert (forward, backward, update) == (counts["forward"], counts["backward"], counts["update"])
        assert share == pytest.approx((2 * m * n0 * n1 + n0 * n1) / counts["total"], rel=1e-12)


def count_step(n0, n1, n2, m):
    forward = m * (n0 * n1 + n1 * n2)
    backward = forward + m * n2 * n1
    update = n0 * n1 + n1 + n1 * n2 + n2
    return forward, backward, update, (2 * m * n0 * n1 + n0 * n1) / (forward + backward + update)


def test_ex_07_count_accepts_the_count_and_names_bp2_for_the_input_layer():
    check_exercise("ex-07-count", count_step)

    def with_bp2_for_the_input(n0, n1, n2, m):
        forward, backward, update, share = count_step(n0, n1, n2, m)
        return forward, backward + m * n1 * n0, update, share

    with pytest.raises(CheckError, match="no delta\\^0") as error:
        check_exercise("ex-07-count", with_bp2_for_the_input)
    assert "241200" not in str(error.value) and "241,200" not in str(error.value)


def test_ex_07_count_fails_when_multiply_adds_is_called():
    def through_lib(n0, n1, n2, m):
        counts = multiply_adds([n0, n1, n2], batch_size=m)
        return counts["forward"], counts["backward"], counts["update"], 0.0

    with pytest.raises(CheckError, match="without lib's multiply_adds"):
        check_exercise("ex-07-count", through_lib)


def my_gradients(network, X, Y):
    """BP1-BP4 for sigmoid hidden layers, an identity output and the squared error, as the exercise asks."""
    from lib.activations import sigmoid_prime

    zs, activations = network.forward_trace(X)
    delta = (activations[-1] - Y) / len(X)
    dW, db = [None] * len(network.weights), [None] * len(network.weights)
    for layer in range(len(network.weights), 0, -1):
        dW[layer - 1], db[layer - 1] = activations[layer - 1].T @ delta, delta.sum(axis=0)
        if layer > 1:
            delta = delta @ network.weights[layer - 1].T * sigmoid_prime(zs[layer - 2])
    return dW, db


def test_ex_07_backprop_by_hand_accepts_bp1_to_bp4_and_fails_when_the_network_does_the_work():
    check_exercise("ex-07-backprop-by-hand", my_gradients)
    for shortcut in (lambda network, X, Y: network.gradients(X, Y),
                     lambda network, X, Y: network._backprop(*network.forward_trace(X), Y)):
        with pytest.raises(CheckError, match="without lib's (gradients|_backprop) .*your code called it"):
            check_exercise("ex-07-backprop-by-hand", shortcut)


def test_ex_07_softmax_jacobian_names_the_scalar_a_dot_a():
    def softmax_jacobian(z):
        a = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        return np.diag(a) - a.T @ a

    with pytest.raises(CheckError, match="a.T @ a of a 1-D array") as error:
        check_exercise("ex-07-softmax-jacobian", softmax_jacobian, delta_via_jacobian=None)
    assert "outer" not in str(error.value)


def test_ex_09_clip_fails_when_clip_by_norm_is_called_and_stub_is_not_implemented():
    from lib.regularization import clip_by_norm

    def clip_global_norm(grads, max_norm):
        return clip_by_norm(grads, max_norm)[0]

    with pytest.raises(CheckError, match="without lib's clip_by_norm"):
        check_exercise("ex-09-clip-global-norm", clip_global_norm)

    def stub(grads, max_norm):
        raise NotImplementedError("Exercise ex-09-clip-global-norm: write your code here")

    with pytest.raises(NotImplementedYet):
        check_exercise("ex-09-clip-global-norm", stub)


def test_ex_09_winners_curse_exact_values_match_a_simulation_and_hide_while_wrong():
    rng = np.random.default_rng(0)
    simulated = [(rng.binomial(360, ch09.P, size=(20000, m)) / 360).max(axis=1).mean() for m in ch09.SETTINGS]
    check_exercise("ex-09-winners-curse", np.array(simulated))
    with pytest.raises(CheckError) as error:
        check_exercise("ex-09-winners-curse", np.array(simulated) + 0.003)
    assert f"{ch09._expected_maximum(18):.4f}"[:5] not in str(error.value)
    with pytest.raises(NotImplementedYet):
        check_exercise("ex-09-winners-curse", None)
