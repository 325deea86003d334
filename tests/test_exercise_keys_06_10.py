"""The answer keys of chapters 06-10 (lib/exercises/ch06.py .. ch10.py): fixed references agree with lib, a key
accepts a right answer, names the likely mistakes without showing the expected value, and enforces `forbid`."""


import numpy as np
import pytest
from exercise_answers import assert_hides, fails_with, solution

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


# --- Mistakes a student read-through made (chapters 07, 09, 10): each wrong answer gets its mistake named, the
# message hides the expected value, and the chapter's own solution (its working cell) still passes. -----------

DROPOUT_CASES = [(1.0, 0.5), (2.0, 0.2), (-1.5, 0.8), (0.5, 0.1)]


@pytest.mark.parametrize(("wrong", "words"), [
    (lambda a, p: a**2 * p, "the rescaling 1/(1-p) multiplies the output, so it enters the variance squared"),
    (lambda a, p: a * p / (1 - p), "the variance scales with a squared, not with a"),
    (lambda a, p: a**2 * p / (1 - p) ** 2, "the squared mean a^2 is still to be subtracted"),
])
def test_ex_09_dropout_variance_names_the_mistakes(wrong, words):
    message = fails_with("ex-09-dropout-variance", wrong, words)
    right = solution("09", "ex-09-dropout-variance")["dropout_variance"]
    assert_hides(message, [right(a, p) for a, p in DROPOUT_CASES])
    assert "p / (1 - p)" not in message and "p/(1-p)" not in message
    check_exercise("ex-09-dropout-variance", right)


def test_ex_07_softmax_jacobian_names_the_sign_of_the_products_and_a_for_delta():
    from lib.activations import softmax

    def plus_products(z):
        a = softmax(z)
        return np.diag(a) + np.outer(a, a)

    message = fails_with("ex-07-softmax-jacobian", plus_products, "the a_j a_k term has the wrong sign",
                         delta_via_jacobian=None)
    assert "offset" not in message
    right = solution("07", "ex-07-softmax-jacobian")
    assert_hides(message, right["softmax_jacobian"](np.array([1.0, -2.0, 0.5])))
    z_ex, y_ex = right["z_ex"], right["y_ex"]
    message = fails_with("ex-07-softmax-jacobian", right["softmax_jacobian"], "that is a itself",
                         delta_via_jacobian=softmax(z_ex))
    assert_hides(message, softmax(z_ex) - y_ex)
    check_exercise("ex-07-softmax-jacobian", right["softmax_jacobian"],
                   delta_via_jacobian=right["delta_via_jacobian"])


def test_ex_09_clip_global_norm_names_the_sum_of_the_norms():
    def clip_global_norm(grads, max_norm):
        norm = sum(np.linalg.norm(g) for g in grads)
        return list(grads) if norm <= max_norm else [g * (max_norm / norm) for g in grads]

    message = fails_with("ex-09-clip-global-norm", clip_global_norm, "not the sum of the norms")
    assert "constant factor" not in message
    right = solution("09", "ex-09-clip-global-norm")["clip_global_norm"]
    rng = np.random.default_rng(6)  # the key's first case
    W, b = 5 * rng.normal(size=(3, 2)), rng.normal(size=2)
    assert_hides(message, np.concatenate([np.ravel(g) for g in right([W, b], 1.0)]))
    check_exercise("ex-09-clip-global-norm", right)


@pytest.mark.parametrize(("share", "words"), [
    (lambda n0, n1, n2, m: m * n0 * n1, "W^1 also enters BP4 and the update"),
    (lambda n0, n1, n2, m: 2 * m * n0 * n1, "the update of W^1 is missing"),
    (lambda n0, n1, n2, m: m * n0 * n1 + n0 * n1, "BP4 for W^1 is missing"),
])
def test_ex_07_count_names_the_missing_parts_of_the_first_layers_share(share, words):
    right = solution("07", "ex-07-count")["count_step"]

    def count_step(n0, n1, n2, m):
        forward, backward, update, _ = right(n0, n1, n2, m)
        return forward, backward, update, share(n0, n1, n2, m) / (forward + backward + update)

    message = fails_with("ex-07-count", count_step, words)
    assert_hides(message, [counts[3] for counts in ch07.COUNTS.values()])
    check_exercise("ex-07-count", right)


def test_ex_09_momentum_by_hand_names_the_reused_velocity_and_the_sign_of_mu():
    def twice_the_first_velocity(theta, g1, g2, learning_rate, mu):
        v = -learning_rate * g1
        return theta + v + v

    def minus_mu(theta, g1, g2, learning_rate, mu):
        v = -learning_rate * g1
        theta = theta + v
        v = -mu * v - learning_rate * g2
        return theta + v

    rng = np.random.default_rng(5)  # the key's first case
    expected = ch09._lib_momentum_two_steps(rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.1, 0.9)
    for wrong, words in ((twice_the_first_velocity, "the second move uses the updated velocity mu v - eta g2"),
                         (minus_mu, "v <- mu v - eta g: the old velocity keeps its sign")):
        assert_hides(fails_with("ex-09-momentum-by-hand", wrong, words), expected)
    check_exercise("ex-09-momentum-by-hand", solution("09", "ex-09-momentum-by-hand")["momentum_two_steps"])


def test_ex_10_overfitting_names_the_sliced_off_entry_zero():
    right = solution("10", "ex-10-overfitting")
    best = right["best_step"]
    message = fails_with("ex-10-overfitting", best - 1, "one step too few: entry 0 is the untrained network",
                         regularised=right["regularised"])
    assert str(best) not in message
    check_exercise("ex-10-overfitting", best, regularised=right["regularised"])


def test_ex_07_backprop_by_hand_names_zs_l_minus_1_instead_of_a_broadcast_error():
    from lib.activations import sigmoid_prime

    def with_z_of_layer_l(network, X, Y):
        zs, activations = network.forward_trace(X)
        L = len(network.weights)
        delta = (activations[-1] - Y) / len(X)
        dW, db = [None] * L, [None] * L
        for layer in range(L, 0, -1):
            dW[layer - 1], db[layer - 1] = activations[layer - 1].T @ delta, delta.sum(axis=0)
            if layer > 1:
                delta = (delta @ network.weights[layer - 1].T) * sigmoid_prime(zs[layer - 1])
        return dW, db

    message = fails_with("ex-07-backprop-by-hand", with_z_of_layer_l, "which is zs[l - 2]; zs[l - 1] is z^l")
    assert "transpose" not in message and "shapes" not in message
    check_exercise("ex-07-backprop-by-hand", solution("07", "ex-07-backprop-by-hand")["my_gradients"])
