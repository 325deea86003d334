"""Answer keys of chapter 02's exercises (neurons, layers, steps and bumps, counting parameters).

Introduced in chapter 02.
"""

import math
import numbers

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
    mistakes = {"the step sits where w x + b = 0; yours is at -0.7: check the sign of b": -0.7}
    # a mistake is only named when the position is wrong, so this names b set to the position itself
    if isinstance(b_step, numbers.Real) and math.isclose(abs(b_step), 0.7):
        mistakes["b is not the position: the step sits at x = -b/w, where w x + b = 0"] = -b_step / w_step
    check_close(-b_step / w_step, 0.7, name="the position of the step, -b/w", mistakes=mistakes)
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
    # one weight per pair of nodes in consecutive layers, one bias per node after the input layer
    pairs = zip(layer_sizes[:-1], layer_sizes[1:], strict=False)
    return sum(n_in * n_out for n_in, n_out in pairs) + sum(layer_sizes[1:])


def _widest(n_in, n_out, budget):
    # counted, not solved: the largest n whose network fits the budget
    n = 0
    while _n_parameters([n_in, n + 1, n_out]) <= budget:
        n += 1
    return n


def _widest_with(hidden_biases, output_biases):
    def widest(n_in, n_out, budget):
        return (budget - (n_out if output_biases else 0)) // (n_in + n_out + (1 if hidden_biases else 0))

    return widest


@answer_key("ex-02-parameters")
def parameters_key(widest_hidden_layer):
    """`widest_hidden_layer(n_in, n_out, budget)`: the largest hidden width within a parameter budget."""
    # budgets just below and just above a whole number of nodes tell the named mistakes apart
    cases = [(64, 10, 7510), (64, 10, 7505), (64, 10, 10_000), (2, 1, 9), (3, 2, 97), (1, 1, 4), (5, 3, 77),
             (4, 2, 60), (1, 10, 49)]
    check_function(
        widest_hidden_layer, _widest, cases, name="widest_hidden_layer",
        mistakes={
            "the hidden nodes' biases are not counted: each hidden node has one": _widest_with(False, True),
            "the output layer's biases are not counted": _widest_with(True, False),
            "no biases are counted: every node after the input layer has one": _widest_with(False, False),
            "the width is not a whole number: round the division down to whole nodes":
                lambda n_in, n_out, budget: (budget - n_out) / (n_in + 1 + n_out),
            "the width is rounded to the nearest whole number; when that rounds up, the network breaks the "
            "budget: round down":
                lambda n_in, n_out, budget: round((budget - n_out) / (n_in + 1 + n_out)),
            "the width is rounded up, so the network has more parameters than the budget: round down":
                lambda n_in, n_out, budget: -((n_out - budget) // (n_in + 1 + n_out)),
        },
        hint="write the number of parameters of [n_in, n, n_out] as a function of n: which part grows with n, "
             "and which is paid once?",
    )
    widths = [call_student(widest_hidden_layer, (64, 10, budget), name="widest_hidden_layer")
              for budget in (7510, 10_000)]
    for width in widths:
        if not isinstance(width, (int, np.integer)):
            raise CheckError(f"widest_hidden_layer returns a {type(width).__name__} ({width!r}): a width is a whole "
                             "number of nodes (integer division // keeps it an int).")
    print(f"64-n-10 within 7510 parameters: n = {widths[0]}; within 10 000: n = {widths[1]}")
