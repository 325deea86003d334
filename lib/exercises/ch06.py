"""Answer keys of chapter 06 (the 2-2-1 network). Introduced in chapter 06.

Each key computes its reference here, from the chapter's settings, never from a notebook global.
"""

import functools

import numpy as np

from lib.activations import sigmoid, sigmoid_prime
from lib.checks import CheckError, check_close, check_function, check_true
from lib.data import logic_gate, quadratic_2d, train_test_split
from lib.exercises import answer_key, require_answer
from lib.network import FeedForwardNetwork

# ex-06-one-weight ---------------------------------------------------------------------------------------------


def _hidden(x, y, W1, b1, W2, b2):
    """delta^(1) and a^(1) of one sample of the 2-2-1 network (sigmoid hidden layer, linear output)."""
    z1 = x @ W1 + b1
    a1 = sigmoid(z1)
    delta2 = a1 @ W2[:, 0] + b2[0] - y
    return delta2 * W2[:, 0] * sigmoid_prime(z1), a1, delta2, z1


def _one_weight_cases():
    rng = np.random.default_rng(11)
    return [(rng.uniform(-1, 1, 2), rng.uniform(4, 10), rng.normal(size=(2, 2)), rng.normal(size=2),
             rng.normal(size=(2, 1)), rng.normal(size=1), i, j)
            for i, j in [(0, 0), (0, 1), (1, 0), (1, 1)]]


@answer_key("ex-06-one-weight")
def _one_weight(answer):
    def reference(x, y, W1, b1, W2, b2, i, j):
        return x[i] * _hidden(x, y, W1, b1, W2, b2)[0][j]

    def notes_formula(x, y, W1, b1, W2, b2, i, j):
        delta1, a1, _, _ = _hidden(x, y, W1, b1, W2, b2)
        return a1[i] * delta1[j]

    def swapped(x, y, W1, b1, W2, b2, i, j):
        return x[j] * _hidden(x, y, W1, b1, W2, b2)[0][i]

    def no_slope(x, y, W1, b1, W2, b2, i, j):
        _, _, delta2, _ = _hidden(x, y, W1, b1, W2, b2)
        return x[i] * delta2 * W2[j, 0]

    def no_weight(x, y, W1, b1, W2, b2, i, j):
        _, _, delta2, z1 = _hidden(x, y, W1, b1, W2, b2)
        return x[i] * delta2 * sigmoid_prime(z1[j])

    def column_convention(x, y, W1, b1, W2, b2, i, j):
        return x[i] * _hidden(x, y, W1.T, b1, W2, b2)[0][j]

    def sigmoid_output(x, y, W1, b1, W2, b2, i, j):
        z1 = x @ W1 + b1
        a2 = sigmoid(sigmoid(z1) @ W2[:, 0] + b2[0])
        return x[i] * (a2 - y) * a2 * (1 - a2) * W2[j, 0] * sigmoid_prime(z1[j])

    check_function(answer, reference, _one_weight_cases(), name="first_layer_gradient (dC/dw^(1)_ij)", rtol=1e-10,
                   forbid=("lib.network.FeedForwardNetwork", "lib.symbolic.network_221_model"),
                   mistakes={
        "it multiplies delta^(1)_j by the hidden activation a^(1)_i, as the lecture notes do: "
        "the weight w^(1)_ij starts at the input, so the input x_i belongs there": notes_formula,
        "the indices are swapped: w^(1)_ij goes from input i to hidden node j": swapped,
        "the slope of the hidden neuron is missing: delta^(1)_j passes through sigma'(z^(1)_j)": no_slope,
        "the output weight is missing: the error reaches hidden node j through w^(2)_j": no_weight,
        "the forward pass uses W1 transposed (W1 @ x, the lecture's column "
        "convention): with the sample as a row, as in lib, z^(1) = x @ W1 + b1":
            column_convention,
        "the output is passed through a sigmoid: this network's output is linear, "
        "a^(2) = z^(2), so delta^(2) has no factor sigma'(z^(2))": sigmoid_output,
    })


# ex-06-xor ----------------------------------------------------------------------------------------------------

_XOR_SETTINGS = {"hidden_activation": "sigmoid", "output_activation": "sigmoid", "loss": "binary_cross_entropy"}


@answer_key("ex-06-xor")
def _xor(answer):
    require_answer(answer, "xor_net")
    if isinstance(answer, dict) and "loss" in answer:
        raise CheckError("xor_net is the training history that fit returns (a dict of "
                         "losses), not the network: keep the network in xor_net and "
                         "call xor_net.fit(...) on a line of its own.")
    if not isinstance(answer, FeedForwardNetwork):
        raise CheckError(f"xor_net is a {type(answer).__name__}: build it with FeedForwardNetwork([2, 2, 1], ...).")
    found = {"layer_sizes": list(answer.layer_sizes), "hidden_activation": answer.hidden_activation.name,
             "output_activation": answer.output_activation.name, "loss": answer.loss_function.name}
    wanted = {"layer_sizes": [2, 2, 1], **_XOR_SETTINGS}
    differ = [f"{part} is {found[part]!r} (the task: {wanted[part]!r})" for part in wanted
              if found[part] != wanted[part]]
    if differ:
        raise CheckError("xor_net is not the network the exercise asks for: its " + "; its ".join(differ))
    X, y = logic_gate("xor")
    outputs = answer.forward(X)[:, 0]
    if np.all((outputs > 0.5) == (y == 1)):
        print("outputs on (0,0), (0,1), (1,0), (1,1):", outputs.round(3))
        check_true(True, "xor_net gets all four XOR points right")
        return
    untrained = FeedForwardNetwork([2, 2, 1], **_XOR_SETTINGS, seed=answer.seed)
    if all(np.array_equal(a, b) for a, b in zip(answer.weights + answer.biases,
                                                 untrained.weights + untrained.biases, strict=True)):
        raise CheckError("xor_net has its initial weights: train it with xor_net.fit(X_xor, y_xor, ...).")
    wrong = int(np.sum((outputs > 0.5) != (y == 1)))
    if np.all(np.abs(outputs - 0.5) < 0.1):
        defaults = FeedForwardNetwork([2, 2, 1], **_XOR_SETTINGS, seed=answer.seed)
        defaults.fit(X, y)
        which = ("that is what fit's defaults give (100 epochs at learning rate 0.1): "
                 if np.allclose(defaults.forward(X)[:, 0], outputs) else "")
        raise CheckError(
            f"xor_net gets {wrong} of the 4 points wrong, and every output is within 0.1 of 0.5: the training is "
            f"still on the plateau where the network outputs about 1/2 everywhere; {which}it needs many more "
            "steps, or larger ones (try more epochs and a learning rate of a few units). The batch is not the "
            "problem here: fit's default batch_size=32 is larger than the 4 samples, so every step already uses "
            "the full batch, as batch_size=None does.")
    raise CheckError(
        f"xor_net gets {wrong} of the 4 XOR points wrong (output above 0.5 means 1): train longer, or try "
        "another learning rate or seed; some initial weights lead to a network that solves only 3 points.")


# ex-06-width --------------------------------------------------------------------------------------------------

WIDTHS = (1, 2, 5, 10)


@functools.cache
def _width_data():
    X, Y = quadratic_2d(n=100, noise=0.1, low=-1.0, high=1.0, seed=0)
    return train_test_split(X, Y, test_size=0.2, seed=0)


@functools.cache
def _width_costs(batch_size, learning_rate=0.3):
    """Test and training cost of the 2-h-1 networks of the table, for h in WIDTHS."""
    X_train, X_test, Y_train, Y_test = _width_data()
    test, train = [], []
    for h in WIDTHS:
        net = FeedForwardNetwork([2, h, 1], hidden_activation="sigmoid", output_activation="identity", seed=0)
        net.fit(X_train, Y_train, epochs=2000, batch_size=batch_size, learning_rate=learning_rate)
        test.append(net.loss(X_test, Y_test))
        train.append(net.loss(X_train, Y_train))
    return tuple(test), tuple(train)


@answer_key("ex-06-width")
def _width(answer):
    if answer is None or (isinstance(answer, dict) and not answer):
        require_answer(None, "test_costs")
    if not isinstance(answer, dict):
        raise CheckError(f"test_costs is a {type(answer).__name__}: expected a dict {{h: test cost}}.")
    keys = sorted(answer, key=str)
    if set(answer) != set(WIDTHS):
        raise CheckError(f"test_costs needs the keys 1, 2, 5, 10 (integers, the widths h); it has {keys}.")
    student = [answer[h] for h in WIDTHS]
    expected, train = _width_costs(None)
    if not np.allclose(np.asarray(student, dtype=float), expected, rtol=1e-6):
        mistakes = {
            "these are the training costs: the question is how well each network does on data it did not "
            "see, so evaluate on X_test, Y_test": list(train),
            "these are minibatch runs: fit trains on batches of 32 samples unless told otherwise "
            "(batch_size=32 is its default), while the table trains on the full batch: pass batch_size=None":
                list(_width_costs(32)[0]),
            "these runs use fit's default learning rate 0.1: pass learning_rate=0.3, as in the table":
                list(_width_costs(None, 0.1)[0]),
        }
    else:
        mistakes = None
    check_close(student, list(expected), rtol=1e-6, name="test costs for h = 1, 2, 5, 10", mistakes=mistakes)
    print("test costs:", {h: round(c, 4) for h, c in zip(WIDTHS, expected, strict=True)})
    check_true(expected[0] > 10 * expected[1], "one hidden neuron: a test cost over 10 times that of two")
    check_true(expected[3] < expected[1], "ten hidden neurons: a lower test cost than two")
