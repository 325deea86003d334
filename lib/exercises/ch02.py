"""Answer keys of chapter 02's exercises (neurons, layers, steps and bumps, counting parameters).

Introduced in chapter 02.
"""

import numpy as np

from lib.activations import sigmoid
from lib.approximation import bump
from lib.checks import CheckError, call_student, check_close, check_function, check_less, check_shape
from lib.exercises import answer_key, require_answer
from lib.network import FeedForwardNetwork


def _layer(X, W, b):
    # lib's forward pass of a network with one sigmoid layer
    network = FeedForwardNetwork(list(W.shape), output_activation="sigmoid")
    network.weights, network.biases = [W], [b]
    return network.forward(X)


@answer_key("ex-02-layer")
def layer_key(layer):
    """`layer(X, W, b)` against lib's forward pass of one sigmoid layer."""
    rng = np.random.default_rng(0)
    cases = [(rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)) for _ in range(3)]
    check_function(
        layer, _layer, cases, name="layer(X, W, b)",
        mistakes={
            "the bias b is missing from z": lambda X, W, b: sigmoid(X @ W),
            "it returns z; the layer's output is the activation of z": lambda X, W, b: X @ W + b,
            "the bias is subtracted; z adds it": lambda X, W, b: sigmoid(X @ W - b),
        },
        hint="one matrix product gives every weighted sum of every sample; the bias broadcasts over the rows.",
    )


@answer_key("ex-02-step")
def step_key(answer):
    """`(w_step, b_step)`: a downward step at x = 0.7, within 1e-3 of 0 or 1 at distance 0.01 from it."""
    require_answer(answer, "w_step, b_step")
    w_step, b_step = answer
    check_less(w_step, 0, name="w_step (an upward step needs w > 0, a downward one w < 0)")
    check_close(-b_step / w_step, 0.7, name="the position of the step, -b/w", mistakes={
        "the step sits where w x + b = 0; yours is at -0.7: check the sign of b": -0.7,
    })
    probe = np.array([0.69, 0.71])
    check_close(sigmoid(w_step * probe + b_step), [1.0, 0.0], atol=1e-3,
                name="the neuron at x = 0.69 and 0.71 (0.01 from the step)",
                hint="|w| is too small: at distance 0.01 from the step, z = w x + b is only 0.01 |w|. "
                     "How large must z be for sigma(z) to be within 1e-3 of 1?")
    probe = np.array([0.0, 0.5, 0.9, 1.0])
    check_close(sigmoid(w_step * probe + b_step), (probe < 0.7).astype(float), atol=1e-3,
                name="the neuron at x = 0, 0.5, 0.9, 1")


def _bump_output(weights, x):
    W1, b1, W2, b2 = weights
    network = FeedForwardNetwork([1, 2, 1], hidden_activation="sigmoid", output_activation="identity")
    network.weights, network.biases = [np.asarray(W1, float), np.asarray(W2, float)], [
        np.asarray(b1, float), np.asarray(b2, float)]
    return network.forward(x[:, None])[:, 0]


@answer_key("ex-02-bump")
def bump_key(answer):
    """`(W1, b1, W2, b2)` of a 1-2-1 network whose output is a bump of height 2 on [0.2, 0.5]."""
    require_answer(answer, "W1, b1, W2, b2")
    for value, name, shape in zip(answer, ("W1", "b1", "W2", "b2"), ((1, 2), (2,), (2, 1), (1,)), strict=True):
        check_shape(value, shape, name=name)
    probe = np.array([0.0, 0.1, 0.25, 0.35, 0.45, 0.6, 0.9])
    expected = 2.0 * bump(probe, 0.2, 0.5, steepness=500.0)
    output = _bump_output(answer, probe)
    steepness = np.abs(np.ravel(answer[0]))
    if not np.allclose(steepness, 500.0):
        raise CheckError(f"W1 should hold the steepness 500 of both hidden neurons; yours has {steepness}.")
    check_close(output, expected, atol=1e-3, name="the output at x = 0, 0.1, 0.25, 0.35, 0.45, 0.6, 0.9", mistakes={
        "the bump points down: the output should be the left step minus the right step": -expected,
        "the steps sit at -0.2 and -0.5: a step is at x = -b/w, check the signs of b1":
            2.0 * (sigmoid(500 * probe + 100) - sigmoid(500 * probe + 250)),
        "the bump has height 1: W2 scales the steps": expected / 2,
    }, hint="each hidden neuron is a step at x = -b/w; the output adds the steps with the weights W2.")


def _n_parameters(layer_sizes):
    network = FeedForwardNetwork(list(layer_sizes))
    return sum(W.size + b.size for W, b in zip(network.weights, network.biases, strict=True))


def _n_weights(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


@answer_key("ex-02-parameters")
def parameters_key(n_parameters):
    """`n_parameters(layer_sizes)` against the size of lib's networks; after a pass, the 64-100-10 count."""
    cases = [([2, 2, 1],), ([64, 100, 10],), ([3, 4, 4, 2],), ([1, 50, 1],), ([5, 1],)]
    check_function(
        n_parameters, _n_parameters, cases, name="n_parameters",
        mistakes={
            "the biases are missing: each node after the input layer has one": _n_weights,
            "the input layer has biases: only the layers after the input have them":
                lambda sizes: _n_weights(sizes) + sum(sizes),
            "the weights are counted as n_in + n_out per layer: a fully connected layer has one per pair":
                lambda sizes: sum(a + b for a, b in zip(sizes[:-1], sizes[1:], strict=False)) + sum(sizes[1:]),
        },
        hint="a layer with n_in inputs and n_out nodes has a weight for every (input, node) pair "
             "and a bias per node.",
    )
    count = call_student(n_parameters, ([64, 100, 10],), name="n_parameters")
    print(f"A 64-100-10 network has {count} parameters.")
