"""The universal approximation theorem, built by hand in one dimension: steps, bumps, and sums of bumps.

Introduced in chapter 02. A sigmoid neuron sigma(w x + b) with a large weight w is almost a step at x = -b/w;
the difference of two steps is a bump; a sum of bumps whose heights follow a target function approximates it.
All of it is one hidden layer of sigmoid neurons and a linear output, the network of the theorem, and
`bump_network` returns its weights in the book's convention (z = a @ W + b, W^l of shape (n_{l-1}, n_l)).
"""

import numpy as np

from lib import _validate
from lib.activations import sigmoid

_SATURATED = 1e4  # sigma(z) is 0 or 1 in double precision long before |z| = 1e4: larger z are clipped to it


def step(x, position, steepness=100.0):
    """A sigmoid neuron sigma(w x + b) with w = steepness and b = -steepness * position: a step at x = -b/w.

    Introduced in chapter 02.
    """
    x = _validate.as_float_array("x", x)
    position = float(_validate.as_float_array("position", position, ndim=0))
    _validate.positive_number("steepness", steepness)
    with np.errstate(over="ignore"):  # an overflow to +-inf only saturates the sigmoid further
        z = steepness * (x - position)  # = w x + b with w = steepness, b = -steepness * position
    return sigmoid(np.clip(z, -_SATURATED, _SATURATED))


def bump(x, left, right, height=1.0, steepness=100.0):
    """height * (step at `left` - step at `right`): about `height` between left and right, about 0 elsewhere.

    Introduced in chapter 02.
    """
    left = float(_validate.as_float_array("left", left, ndim=0))
    right = float(_validate.as_float_array("right", right, ndim=0))
    if not left < right:
        raise ValueError(f"left, right: expected left < right, got left={left}, right={right}")
    height = _validate.finite_number("height", height)
    return height * (step(x, left, steepness) - step(x, right, steepness))


def bump_network(target, n_bumps, steepness=None, interval=(0.0, 1.0)):
    """Weights of a 1-(2 n_bumps)-1 sigmoid network that approximates `target` on
    `interval` by n_bumps bumps.

    Bump k covers the k-th of n_bumps equal pieces of the interval and has the height of
    `target` at the piece's midpoint. It takes two hidden neurons, the steps at its left
    and right edge, with output weights +height and -height (the two outermost steps sit
    just outside the interval). `steepness` defaults to
    40 * n_bumps / (interval length), so each step is sharp compared with a bump's
    width. Returns ``(W1, b1, W2, b2)`` with shapes (1, 2n), (2n,), (2n, 1), (1,): the
    network computes ``sigmoid(x @ W1 + b1) @ W2 + b2`` for x of shape (n_samples, 1),
    as a ``FeedForwardNetwork([1, 2n, 1])`` with these weights does.

    Introduced in chapter 02.
    """
    _validate.function("target", target, "a function of x")
    n_bumps = _validate.count("n_bumps", n_bumps, 10**5)
    bounds = _validate.as_float_array("interval", interval, ndim=1)
    if bounds.shape != (2,):
        raise ValueError(f"interval: expected two numbers (low, high), got {bounds.size}")
    low, high = (float(v) for v in bounds)
    if not low < high:
        raise ValueError("interval: expected (low, high) with low < high, "
                         f"got {tuple(interval)}")
    if steepness is None:
        steepness = 40.0 * n_bumps / (high - low)
    _validate.positive_number("steepness", steepness)
    _check_range(steepness, low, high)

    def checked_target(x):
        return _heights(target(x), n_bumps)

    return _bump_network(checked_target, n_bumps, steepness, low, high)


def _bump_network(target, n_bumps, steepness, low, high):
    """The weights (W1, b1, W2, b2) of a network with one bump per piece of [low, high],
    of the height of `target` at the piece's midpoint. `bump_network` checks the
    arguments and calls it.

    Introduced in chapter 02.
    """
    edges = np.linspace(low, high, n_bumps + 1)
    midpoints = (edges[:-1] + edges[1:]) / 2
    heights = target(midpoints)
    # The outermost steps move 10/steepness outside [low, high]: sigmoid(10) = 1 - 5e-5,
    # so the first and last bumps keep their full height up to the ends.
    edges[[0, -1]] += [-10 / steepness, 10 / steepness]
    # left, right, left, right, ...
    positions = np.stack([edges[:-1], edges[1:]], axis=1).reshape(-1)
    W1 = np.full((1, 2 * n_bumps), steepness)
    b1 = -steepness * positions  # the step of each neuron sits at -b/w
    W2 = np.stack([heights, -heights], axis=1).reshape(-1, 1)
    b2 = np.zeros(1)
    return W1, b1, W2, b2


def _heights(values, n_bumps):
    """The target's values at the midpoints as n_bumps finite floats, or an error saying what target returned."""
    try:
        heights = _validate.as_float_array("target", values)
    except (TypeError, ValueError) as error:
        raise type(error)(f"target(x) must return finite numbers, one per x: {error}") from None
    if heights.size != n_bumps:
        raise ValueError(f"target: expected {n_bumps} values (one per midpoint x), got shape {heights.shape}")
    return heights.reshape(n_bumps)


def _check_range(steepness, low, high):
    """Raise if the biases -steepness * position overflow: the outermost steps sit at low - 10 / steepness and
    high + 10 / steepness, as in _bump_network."""
    with np.errstate(over="ignore"):
        ends = steepness * (np.array([low, high]) + [-10 / steepness, 10 / steepness])
    if not np.all(np.isfinite(ends)):
        raise ValueError(f"steepness: {steepness!r} times the interval's ends overflows the float range")


def _params(params):
    """(W1, b1, W2, b2) of a 1-k-1 network as float arrays of shapes (1, k), (k,), (k, 1), (1,)."""
    if not isinstance(params, (list, tuple)) or len(params) != 4:
        raise TypeError(f"params: expected (W1, b1, W2, b2) as returned by bump_network, got {type(params).__name__}")
    W1, b1, W2, b2 = (_validate.as_float_array(f"params[{i}]", p) for i, p in enumerate(params))
    k = W1.shape[-1] if W1.ndim == 2 else -1
    if (W1.shape, b1.shape, W2.shape, b2.shape) != ((1, k), (k,), (k, 1), (1,)):
        raise ValueError(f"params: expected shapes (1, k), (k,), (k, 1), (1,), got "
                         f"{W1.shape}, {b1.shape}, {W2.shape}, {b2.shape}")
    return W1, b1, W2, b2


def network_output(params, x):
    """Evaluate the one-hidden-layer network ``(W1, b1, W2, b2)`` (sigmoid hidden, linear output) at 1-D x.

    Introduced in chapter 02.
    """
    W1, b1, W2, b2 = _params(params)
    x = _validate.as_float_array("x", x, ndim=1)
    with np.errstate(over="ignore", invalid="ignore"):
        z = x[:, None] @ W1 + b1
    if np.any(np.isnan(z)):  # inf - inf: the weighted input has no value
        raise ValueError("x: x W1 + b1 overflows the float range (inf - inf); scale x or the weights")
    a = sigmoid(np.clip(z, -_SATURATED, _SATURATED))
    return _validate.finite_result("params", "a W2 + b2 overflows the float range", lambda: (a @ W2 + b2)[:, 0])
