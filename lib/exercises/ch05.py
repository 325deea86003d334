"""Answer keys of chapter 05's exercises (the 1-1-1 network's gradients, two hidden layers, L1 and L2 steps).

Introduced in chapter 05.
"""

import functools

import numpy as np

from lib.checks import check_function
from lib.exercises import answer_key
from lib.network import FeedForwardNetwork


@functools.cache
def _model():
    from lib.symbolic import scalar_hidden_model

    return scalar_hidden_model("sigmoid", "sigmoid")


def _hidden_gradient(x, y, w1, b1, w2, b2):
    return _model().gradient_value(x, y, [w1, b1, w2, b2])[0]


def _sigma_prime_of_a(hidden, output):
    """dC/dw1 with sigmoid_prime applied to the activation a instead of z, at the hidden and/or the output node
    (sigma'(z) = a (1 - a) invites sigmoid_prime(a))."""
    def gradient(x, y, w1, b1, w2, b2):
        z1 = w1 * x + b1
        a1 = _sigmoid(z1)
        z2 = w2 * a1 + b2
        a2 = _sigmoid(z2)
        delta2 = (a2 - y) * _slope(a2 if output else z2)
        return delta2 * w2 * _slope(a1 if hidden else z1) * x

    return gradient


def _notes_formula(x, y, w1, b1, w2, b2):
    return _model().gradient_value(x, y, [w1, b1, w2, b2], "lecture")[0]


@answer_key("ex-05-hidden-gradient")
def hidden_gradient_key(hidden_weight_gradient):
    """`hidden_weight_gradient(x, y, w1, b1, w2, b2)` against SymPy's dC/dw1 of the 1-1-1 sigmoid network."""
    rng = np.random.default_rng(7)
    cases = [(0.3, 0.7, 0.5, -0.2, 1.3, 0.1)] + [tuple(rng.uniform(-2, 2, 6)) for _ in range(3)]
    check_function(
        hidden_weight_gradient, _hidden_gradient, cases, name="dC/dw1", rtol=1e-10,
        mistakes={
            "it is the lecture notes' formula, with a1 where another factor belongs (see the admonition "
            "in this chapter)": _notes_formula,
            "the factor dz2/da1 is missing: the error reaches the hidden neuron through the weight it feeds":
                lambda x, y, w1, b1, w2, b2: _hidden_gradient(x, y, w1, b1, w2, b2) / w2,
            "the factor dz1/dw1 is missing (that is dC/db1)":
                lambda x, y, w1, b1, w2, b2: _hidden_gradient(x, y, w1, b1, w2, b2) / x,
            "the hidden neuron's slope is taken at z2: each sigma' belongs to its own node's z":
                lambda x, y, w1, b1, w2, b2: _hidden_gradient(x, y, w1, b1, w2, b2)
                / _slope(w1 * x + b1) * _slope(w2 * _sigmoid(w1 * x + b1) + b2),
            "the output neuron's slope sigma'(z2) is missing from delta2: here the output is a sigmoid too, "
            "not the linear output of the lecture's code experiment":
                lambda x, y, w1, b1, w2, b2: _hidden_gradient(x, y, w1, b1, w2, b2)
                / _slope(w2 * _sigmoid(w1 * x + b1) + b2),
            "sigmoid_prime takes the weighted input z, not the activation a = sigmoid(z): it computes "
            "sigma(z) (1 - sigma(z)) from z itself; yours passes a at both nodes": _sigma_prime_of_a(True, True),
            "sigmoid_prime takes the weighted input z, not the activation a = sigmoid(z): the hidden node's "
            "slope is sigmoid_prime(z1)": _sigma_prime_of_a(True, False),
            "sigmoid_prime takes the weighted input z, not the activation a = sigmoid(z): the output node's "
            "slope is sigmoid_prime(z2)": _sigma_prime_of_a(False, True),
        },
        hint="forward pass first (z1, a1, z2, a2), then the errors from the output back: delta2, then delta1.",
    )


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _slope(z):
    return _sigmoid(z) * (1 - _sigmoid(z))


@functools.cache
def _deep_net():
    return FeedForwardNetwork([1, 1, 1, 1], hidden_activation="sigmoid", output_activation="identity")


def _first_weight_gradient(x, y, w1, b1, w2, b2, w3, b3):
    net = _deep_net()
    for W, b, value_w, value_b in zip(net.weights, net.biases, (w1, w2, w3), (b1, b2, b3), strict=True):
        W[...], b[...] = value_w, value_b
    return net.gradients([[x]], [[y]])[0][0][0, 0]


@answer_key("ex-05-two-hidden-layers")
def two_hidden_layers_key(first_weight_gradient):
    """`first_weight_gradient(x, y, w1, b1, w2, b2, w3, b3)` against lib's network [1, 1, 1, 1]."""
    rng = np.random.default_rng(8)
    cases = [tuple(rng.uniform(-2, 2, 8)) for _ in range(4)]

    def divided_by(k):
        return lambda *args: _first_weight_gradient(*args) / args[k]

    check_function(
        first_weight_gradient, _first_weight_gradient, cases, name="dC/dw1 of the 1-1-1-1 network", rtol=1e-10,
        mistakes={
            "the error does not pass through w2 on its way from layer 2 to layer 1": divided_by(4),
            "the error does not pass through w3 on its way from the output to layer 2": divided_by(6),
            "the factor dz1/dw1 is missing (that is dC/db1)": divided_by(0),
            "the output is linear here, so delta3 has no sigma' factor":
                lambda *args: _first_weight_gradient(*args) * _slope(
                    args[6] * _sigmoid(args[4] * _sigmoid(args[2] * args[0] + args[3]) + args[5]) + args[7]),
        },
        hint="one delta per layer: delta3 at the output, then delta2 from delta3, then delta1 from delta2.",
    )


def _penalty_descent(W, lam, learning_rate, steps, penalty, zero_slope=0.0, l2_factor=1.0, descent=1.0):
    W = np.array(W, dtype=float)
    for _ in range(steps):
        if penalty == "l1":
            gradient = lam * np.where(W == 0, zero_slope, np.sign(W))
        else:
            gradient = l2_factor * lam * W
        W = W - descent * learning_rate * gradient
    return W


@answer_key("ex-05-l1-gradient")
def penalty_descent_key(penalty_descent):
    """`penalty_descent(W, lam, learning_rate, steps, penalty)`: gradient descent on the L1 or L2 penalty alone."""
    rng = np.random.default_rng(9)
    cases = []
    for penalty in ("l1", "l2"):
        cases += [
            (rng.normal(size=(3, 2)), 0.1, 0.5, 1, penalty),
            (np.array([[-1.5, 0.0, 0.3]]), 0.05, 1.0, 1, penalty),  # a weight exactly 0
            (rng.normal(size=4), 0.2, 0.3, 7, penalty),
            (np.array([1.0, 0.1, 0.01]), 0.1, 0.3, 50, penalty),
        ]

    def l1_like_l2(W, lam, learning_rate, steps, penalty):
        return _penalty_descent(W, lam, learning_rate, steps, "l2")

    check_function(
        penalty_descent, _penalty_descent, cases, name="penalty_descent", rtol=1e-10,
        mistakes={
            "with penalty='l1' your steps shrink each weight in proportion to its size, which is what L2 does: "
            "differentiate |w| for w > 0 and for w < 0 separately": l1_like_l2,
            "a weight that is exactly 0 moves under L1: the exercise takes the derivative of |w| there as 0":
                lambda *args: _penalty_descent(*args, zero_slope=1.0),
            "the L2 steps are twice too large: the chapter's L2 penalty is (lam/2) sum w^2":
                lambda *args: _penalty_descent(*args, l2_factor=2.0),
            "the weights grow: a descent step subtracts learning_rate times the gradient":
                lambda *args: _penalty_descent(*args, descent=-1.0),
            "the penalty's strength lam is missing from the gradient":
                lambda W, lam, learning_rate, steps, penalty: _penalty_descent(W, 1.0, learning_rate, steps, penalty),
            "only one step is taken: take `steps` steps":
                lambda W, lam, learning_rate, steps, penalty: _penalty_descent(W, lam, learning_rate, 1, penalty),
        },
        hint="one step is W - learning_rate * gradient of the penalty; write the gradient for each penalty, "
             "then repeat the step in a loop.",
    )
