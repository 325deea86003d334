"""Diagnostics: what each layer's gradients and activations look like, and what one training step costs.

Introduced in chapter 07 (cost of a step, per-sample vs batched timing) and chapter 08 (per-layer gradient
norms, activation statistics, dead ReLU units). Every function takes a network with the
:class:`lib.network.FeedForwardNetwork` interface (``weights``, ``biases``, ``forward_trace``, ``gradients``).
"""

import time

import numpy as np

from lib import _validate


def _check_network(network):
    _validate.has_attributes("network", network, ("weights", "biases", "forward_trace", "gradients"))


def _inputs(network, X):
    """X as a float array of shape (n_samples, n_inputs of the network), checked."""
    X = _validate.as_float_array("X", X, ndim=2, dtype=network.weights[0].dtype)
    if X.shape[1] != network.weights[0].shape[0] or X.shape[0] == 0:
        raise ValueError(f"X: expected shape (n_samples >= 1, {network.weights[0].shape[0]}), got {X.shape}")
    return X


def layer_gradient_norms(network, X, Y):
    """Return the Frobenius norm of dC/dW^l for every layer l = 1, ..., L (index 0 is the first layer).

    One call to ``network.gradients(X, Y)``, so the norms are those of the batch-mean cost on (X, Y).
    A ratio ``norms[0] / norms[-1]`` far below 1 means the gradient vanishes on its way to the input.

    Introduced in chapter 08.
    """
    _check_network(network)
    dW, _ = network.gradients(_inputs(network, X), Y)
    return _validate.finite_result("X and Y", "the gradient norms overflow the float range",
                                   lambda: np.array([np.linalg.norm(g) for g in dW]))


def activation_statistics(network, X):
    """Return per-layer statistics of the forward pass on X, as a dict of arrays indexed by layer 1, ..., L.

    Keys: ``"z_std"`` (standard deviation of the weighted inputs z^l over all samples and units),
    ``"a_mean"``, ``"a_std"`` and ``"a_var"`` (the same for the activations a^l). Glorot's argument is about
    ``a_var``: with a good initialisation it stays roughly constant from layer to layer.

    Introduced in chapter 08.
    """
    _check_network(network)
    zs, activations = network.forward_trace(_inputs(network, X))
    # activations[0] is the input a^0 = X; the layers are 1..L.
    layers = activations[1:]
    statistics = {
        "z_std": lambda: np.array([np.std(z) for z in zs]),
        "a_mean": lambda: np.array([np.mean(a) for a in layers]),
        "a_std": lambda: np.array([np.std(a) for a in layers]),
        "a_var": lambda: np.array([np.var(a) for a in layers]),
    }
    too_large = "the network's values are too large for these statistics (they overflow the float range)"
    return {key: _validate.finite_result("X", too_large, value) for key, value in statistics.items()}


def dead_relu_fraction(network, X):
    """Return, for every hidden layer, the fraction of units with z <= 0 on every
    row of X.

    Such a unit outputs 0 for all these inputs and, with ReLU, has derivative 0 as well:
    no gradient reaches its incoming weights, so gradient descent cannot bring it back
    ("dead"). The output layer is not counted.

    Introduced in chapter 08.
    """
    _check_network(network)
    return _dead_relu_fraction(network, _inputs(network, X))


def _dead_relu_fraction(network, X):
    """The fractions of `dead_relu_fraction`, for the network and the X it has
    checked.

    Introduced in chapter 08.
    """
    zs, _ = network.forward_trace(X)  # zs[l - 1] is z^l, one row per sample
    # A unit is dead if its column of z is <= 0 in every row; zs[-1] is the output.
    return np.array([np.mean(np.all(z <= 0, axis=0)) for z in zs[:-1]])


def multiply_adds(layer_sizes, batch_size=1):
    """Count the multiply-adds of one gradient-descent step of a dense network
    on a batch.

    Convention: one multiply-add is one multiplication and one addition
    (``s += w * a``); only the matrix products and the parameter update are counted,
    because they grow with the product of two layer widths, while activations and
    Hadamard products grow with one width only. For layers l = 1, ..., L with n_{l-1}
    inputs and n_l outputs and a batch of m samples:

    - forward ``z^l = a^{l-1} @ W^l + b^l``: m n_{l-1} n_l;
    - backward ``dW^l = a^{l-1}.T @ delta^l``: m n_{l-1} n_l for every layer, and
      ``delta^{l-1} = (delta^l @ W^l.T) * f'(z^{l-1})``: m n_l n_{l-1} for
      l = L, ..., 2 (no delta for the input);
    - update ``W -= eta * dW``, ``b -= eta * db``: n_{l-1} n_l + n_l.

    Returns a dict with the keys ``"forward"``, ``"backward"``, ``"update"`` and
    ``"total"``.

    Introduced in chapter 07.
    """
    is_array = isinstance(layer_sizes, np.ndarray) and layer_sizes.ndim == 1
    is_sequence = isinstance(layer_sizes, (list, tuple)) or is_array
    if not is_sequence or len(layer_sizes) < 2:
        raise ValueError("layer_sizes: expected a sequence of at least two positive "
                         f"integers, got {layer_sizes!r}")
    sizes = [int(_validate.positive_number("layer_sizes", n, integer=True))
             for n in layer_sizes]
    m = _validate.positive_number("batch_size", batch_size, integer=True)
    return _multiply_adds(sizes, m)


def _multiply_adds(sizes, m):
    """The counts of `multiply_adds` for the layer sizes n_0, ..., n_L and the
    batch size m it has checked.

    Introduced in chapter 07.
    """
    products = [n_in * n_out  # n_{l-1} n_l for l = 1, ..., L
                for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    forward = m * sum(products)  # z^l = a^{l-1} @ W^l
    backward = 2 * m * sum(products) - m * products[0]  # BP4 for all, BP2 for l >= 2
    update = sum(products) + sum(sizes[1:])  # one per weight and per bias
    return {"forward": forward, "backward": backward, "update": update,
            "total": forward + backward + update}


def per_sample_gradients(network, X, Y):
    """Average the gradients of one-sample batches, looping over the rows of (X, Y) in Python.

    For a batch-mean cost this equals ``network.gradients(X, Y)`` (up to rounding); it exists to show that
    the batched version computes the same sums as matrix products, and to time the difference.

    Introduced in chapter 07.
    """
    _check_network(network)
    X = _validate.as_float_array("X", X, dtype=network.weights[0].dtype)
    try:
        Y = np.asarray(Y)  # labels stay integers: the network one-hot encodes them
    except ValueError as error:
        raise ValueError("Y: expected a rectangular array with one row per sample") from error
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X: expected a 2-D array with at least one row, got shape {X.shape}")
    if Y.ndim == 0 or len(Y) != len(X):
        raise ValueError(f"Y: expected {len(X)} rows to match X, got shape {Y.shape}")
    dW_sum = [np.zeros_like(W) for W in network.weights]
    db_sum = [np.zeros_like(b) for b in network.biases]
    for i in range(len(X)):
        dW, db = network.gradients(X[i : i + 1], Y[i : i + 1])
        for total, g in zip(dW_sum + db_sum, dW + db, strict=True):
            total += g
    n = len(X)
    return [g / n for g in dW_sum], [g / n for g in db_sum]


def time_call(function, repeat=5, number=1):
    """Return the best time in seconds of ``number`` calls of ``function()``, over ``repeat`` trials.

    The minimum is the least noisy estimate on a shared machine: other processes only ever add time.

    Introduced in chapter 06.
    """
    _validate.function("function", function, "a callable taking no arguments")
    repeat = _validate.count("repeat", repeat)
    number = _validate.count("number", number)
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        best = min(best, (time.perf_counter() - start) / number)
    return best
