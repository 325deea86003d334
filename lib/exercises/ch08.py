"""Answer keys of chapter 08 (activations and initialisation). Introduced in chapter 08.

Each key computes its reference here, from the chapter's settings (the digits split, the seeds, the training
of the dying network), never from a notebook global.
"""

import functools

import numpy as np

from lib.checks import CheckError, call_student, check_close, check_function, check_shape, check_true
from lib.data import digits
from lib.diagnostics import dead_relu_fraction
from lib.exercises import answer_key, require_answer
from lib.initializers import initialize
from lib.network import FeedForwardNetwork

# ex-08-glorot-uniform -----------------------------------------------------------------------------------------


@answer_key("ex-08-glorot-uniform")
def _glorot_uniform(answer, glorot_uniform=None):
    """`answer` is glorot_uniform_limit; `glorot_uniform` the sampling function."""
    cases = [(64, 64), (300, 100), (2, 1)]
    check_function(answer, lambda n_in, n_out: np.sqrt(6 / (n_in + n_out)), cases, name="glorot_uniform_limit",
                   mistakes={
        "this r has variance r^2 = 2/(n_in + n_out), but a uniform on [-r, r] has variance r^2/3":
            lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)),
        "this is r^2, the square root is missing": lambda n_in, n_out: 6 / (n_in + n_out),
        "this r gives the variance 2/n_in (He's), not Glorot's 2/(n_in + n_out)":
            lambda n_in, n_out: np.sqrt(6 / n_in),
        "this r gives the variance 2/(3 (n_in + n_out)): solve r^2/3 = 2/(n_in + n_out) for r":
            lambda n_in, n_out: np.sqrt(2 / (3 * (n_in + n_out))),
    })
    rng = np.random.default_rng(1)
    W = call_student(glorot_uniform, (400, 200, rng), name="glorot_uniform")
    check_shape(W, (400, 200), name="glorot_uniform(400, 200, rng)")
    (W_lib,), _ = initialize("glorot", [400, 200], np.random.default_rng(1))
    if abs(np.mean(W)) > 0.1 * np.sqrt(6 / 600):
        raise CheckError("the weights of glorot_uniform are not centred at 0: a "
                         "uniform distribution on [-r, r] has mean 0")
    check_close(np.var(W), W_lib.var(), name="variance of glorot_uniform vs. lib's glorot", rtol=0.03)
    largest = np.abs(W).max() / np.sqrt(6 / 600)
    if largest > 1:
        raise CheckError(f"some weights lie outside [-r, r], up to {largest:.2f} r: the right variance is not "
                         "enough, draw them from a uniform distribution on [-r, r]")
    check_true(largest > 0.99, "the weights lie in [-r, r] and spread to its ends")
    if np.array_equal(W, call_student(glorot_uniform, (400, 200, np.random.default_rng(2)), name="glorot_uniform")):
        raise CheckError("glorot_uniform gives the same weights for two different generators: draw them with the "
                         "rng it receives (rng.uniform), not with a generator of its own")


# ex-08-backward-gain ------------------------------------------------------------------------------------------

DEEP_SIZES = [64] + [64] * 9 + [10]


@functools.cache
def _digits_batch():
    X_train, _, y_train, _ = digits(test_size=0.2, seed=0, standardize=True)
    return X_train[:256], np.eye(10)[y_train[:256]]


def _deep_net(activation, init):
    return FeedForwardNetwork(DEEP_SIZES, hidden_activation=activation, output_activation="softmax",
                              loss="cross_entropy", init=init, seed=0)


def _gain(net, X, layer, square=True, n_from="columns", weights_of=None, z_of=None,
          root=True, spread="var"):
    """The estimate of BP2's gain at hidden layer l, and the named variants of it."""
    zs, _ = net.forward_trace(X)
    W = net.weights[layer if weights_of is None else weights_of(layer)]
    n = W.shape[1] if n_from == "columns" else W.shape[0]
    z = zs[layer - 1 if z_of is None else z_of(layer)]
    slope = net.hidden_activation.derivative(z)
    gain_squared = n * getattr(W, spread)() * np.mean(slope**2 if square else slope)
    return np.sqrt(gain_squared) if root else gain_squared


@functools.cache
def _measured_factor_tanh_normal():
    """rms(delta^1) / rms(delta^10) of the "tanh, normal" network, per BP2 step (geometric mean over 9 steps)."""
    net = _deep_net("tanh", "normal")
    X, Y = _digits_batch()
    deltas = [net.gradients(X[i:i + 1], Y[i:i + 1])[1] for i in range(len(X))]
    rms = [np.sqrt(np.mean([d[layer] ** 2 for d in deltas])) for layer in (0, len(net.weights) - 1)]
    return (rms[0] / rms[1]) ** (1 / 9)


@answer_key("ex-08-backward-gain")
def _backward_gain(answer, gain_tanh_normal=None):
    """`answer` is backward_gain; `gain_tanh_normal` the geometric mean over layers 1 to 9."""
    X, _ = _digits_batch()
    nets = {label: _deep_net(*label.split(", ")) for label in ("tanh, normal", "sigmoid, glorot")}
    cases = [(nets[label], X, layer) for label in nets for layer in (1, 5, 9)]
    # rtol 2e-3 accepts the variance with ddof=1 as well
    check_function(answer, _gain, cases, name="backward_gain", rtol=2e-3, mistakes={
        "the slope f'(z) is not squared: BP2 scales the variance by the mean of f'(z)**2":
            lambda net, X, layer: _gain(net, X, layer, square=False),
        "n is the number of units BP2 sums over, those of layer l + 1: the columns of W^{l+1}, not its rows":
            lambda net, X, layer: _gain(net, X, layer, n_from="rows"),
        "BP2 from layer l + 1 down to layer l uses W^{l+1}, which is net.weights[l]":
            lambda net, X, layer: _gain(net, X, layer, weights_of=lambda layer: layer - 1),
        "the slope is taken at z^{l+1}: BP2 into layer l multiplies by f'(z^l), and "
        "z^l is zs[l - 1]":
            lambda net, X, layer: _gain(net, X, layer, z_of=lambda layer: layer),
        "that is the factor of the variance: the error's standard deviation changes by "
        "its square root": lambda net, X, layer: _gain(net, X, layer, root=False),
        "Var(w) is W.var(); W.std() is its square root":
            lambda net, X, layer: _gain(net, X, layer, spread="std"),
    })
    gains = [_gain(nets["tanh, normal"], X, layer) for layer in range(1, 10)]
    check_close(gain_tanh_normal, np.exp(np.mean(np.log(gains))), name="gain_tanh_normal", rtol=2e-3, mistakes={
        "the arithmetic mean of layers 1 to 8: take the geometric mean of the nine gains of layers 1 to 9":
            np.mean(gains[:8]),
        "the arithmetic mean: factors that multiply are averaged geometrically, (g_1 g_2 ... g_9)^(1/9)":
            np.mean(gains),
        "the geometric mean of layers 1 to 8: layer 9 is the ninth BP2 step": np.exp(np.mean(np.log(gains[:8]))),
        "the product of the nine gains: the question asks for the factor per step, its ninth root":
            np.prod(gains),
    })
    measured = _measured_factor_tanh_normal()
    print(f"estimated gain per step {gain_tanh_normal:.3f}, measured factor per step {measured:.3f}")
    check_close(gain_tanh_normal, measured, name="gain_tanh_normal vs. the measured factor per step", rtol=0.05,
                reveal=True)


# ex-08-leaky-revives ------------------------------------------------------------------------------------------


@functools.cache
def _dying_net():
    """The chapter's 64-100-100-10 ReLU network after 10 epochs at learning rate 1, without a penalty."""
    X_train, _, y_train, _ = digits(test_size=0.2, seed=0, standardize=True)
    net = FeedForwardNetwork([64, 100, 100, 10], hidden_activation="relu", output_activation="softmax",
                             loss="cross_entropy", init="he", seed=0)
    for epoch in range(10):
        net.fit(X_train, y_train, epochs=1, batch_size=32, learning_rate=1.0, l2=0.0, seed=epoch)
    return net, X_train, y_train


def _no_gradient_share(net, X, y, layer=1, whole_columns=True):
    dW, _ = net.gradients(X, y)
    zero = dW[layer] == 0
    return np.mean(np.all(zero, axis=0)) if whole_columns else np.mean(zero)


@answer_key("ex-08-leaky-revives")
def _leaky_revives(answer, no_gradient_leaky=None, leaky_net=None):
    """`answer` is no_gradient_relu; `no_gradient_leaky` and `leaky_net` the second part."""
    require_answer((answer, no_gradient_leaky, leaky_net), "no_gradient_relu, no_gradient_leaky, leaky_net")
    dying, X, y = _dying_net()
    share = _no_gradient_share(dying, X, y)
    n_units = dying.layer_sizes[2]
    check_close(answer, share, name="no_gradient_relu", mistakes={
        "that is the share of hidden layer 1 (dW[0]), or of the rows of dW[1]: the "
        "incoming weights of unit k of hidden layer 2 are column k of dW[1] = dC/dW^2":
            _no_gradient_share(dying, X, y, layer=0),
        "that is the share of single zero entries: a unit's incoming weights are a whole column of dW[1], "
        "and the unit gets no gradient when the whole column is zero (np.all over axis 0)":
            _no_gradient_share(dying, X, y, whole_columns=False),
        "that is a number of units: divide by the layer's 100 units to get the share": share * n_units,
    })
    check_close(answer, dead_relu_fraction(dying, X)[1], name="no_gradient_relu vs. the share of dead units",
                reveal=True)
    if not isinstance(leaky_net, FeedForwardNetwork):
        raise CheckError(f"leaky_net is a {type(leaky_net).__name__}: build a FeedForwardNetwork.")
    check_true(leaky_net.hidden_activation.name == "leaky_relu",
               f"leaky_net's hidden activation is leaky ReLU (yours: {leaky_net.hidden_activation.name!r})")
    check_true(list(leaky_net.layer_sizes) == list(dying.layer_sizes),
               f"leaky_net has the sizes of dying_nets[1.0] (yours: {list(leaky_net.layer_sizes)})")
    untrained = FeedForwardNetwork(dying.layer_sizes, init="he", seed=0)
    for part in ("weights", "biases"):
        check_close(getattr(leaky_net, part), getattr(dying, part), name=f"leaky_net.{part}", mistakes={
            "these are the initial values: copy the trained ones of dying_nets[1.0] in": getattr(untrained, part)})
    check_close(no_gradient_leaky, 0.0, name="no_gradient_leaky", mistakes={
        "that is the ReLU network's share: compute it from leaky_net's gradients": share})
    print(f"units of layer 2 without gradient: ReLU {share:.0%}, leaky ReLU 0%")
