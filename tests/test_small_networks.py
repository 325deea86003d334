"""Chapters 04-06: SymPy's derivation, the chain rule by hand, lib's backpropagation and autograd agree on the
three small networks (perceptron 1-1, scalar hidden layer 1-1-1, 2-2-1) at random parameter values."""

import functools

import autograd.numpy as anp
import numpy as np
import pytest

from lib.gradcheck import autograd_gradients, compare_gradients, finite_difference_gradients
from lib.network import FeedForwardNetwork
from lib.symbolic import network_221_model, perceptron_model, scalar_hidden_model

CASES = [
    (perceptron_model, ("sigmoid",), [1, 1]),
    (perceptron_model, ("tanh",), [1, 1]),
    (scalar_hidden_model, ("sigmoid", "sigmoid"), [1, 1, 1]),
    (scalar_hidden_model, ("sigmoid", "identity"), [1, 1, 1]),
    (scalar_hidden_model, ("tanh", "identity"), [1, 1, 1]),
    (network_221_model, ("sigmoid", "identity"), [2, 2, 1]),
    (network_221_model, ("sigmoid", "sigmoid"), [2, 2, 1]),
    (network_221_model, ("tanh", "tanh"), [2, 2, 1]),
]


@functools.lru_cache(maxsize=None)
def _model(make, activations):
    """Build each SymPy model once: its compiled numeric functions are then shared by the tests."""
    return make(*activations)


def _network(sizes, activations, theta, model):
    hidden, output = (activations[0], activations[-1])
    net = FeedForwardNetwork(sizes, hidden_activation=hidden, output_activation=output, loss="squared_error")
    return model.copy_into(net, theta)


def _flat_lib_gradient(net, model, X, Y):
    dW, db = net.gradients(X, Y)
    return model.flatten(dW, db)


@pytest.mark.parametrize("make, activations, sizes", CASES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sympy_lib_autograd_agree(make, activations, sizes, seed):
    model = _model(make, activations)
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1.5, len(model.parameters))
    X = rng.uniform(-2, 2, (7, sizes[0]))
    Y = rng.uniform(-1, 1, (7, 1))
    net = _network(sizes, activations, theta, model)
    sympy_grad = model.gradient_value(X, Y, theta)
    lib_grad = _flat_lib_gradient(net, model, X, Y)
    L = len(net.weights)

    def cost(params):
        return net.loss_from_params([params[i] for i in range(L)], [params[L + i] for i in range(L)], X, Y, xp=anp)

    auto = autograd_gradients(cost, net.weights + net.biases)
    auto_grad = model.flatten(auto[:L], auto[L:])
    compare_gradients([lib_grad], [sympy_grad], rtol=1e-10)
    compare_gradients([auto_grad], [sympy_grad], rtol=1e-10)
    compare_gradients([model.gradient_value(X, Y, theta, "chain_rule")], [sympy_grad], rtol=1e-10)
    assert model.cost_value(X, Y, theta) == pytest.approx(net.loss(X, Y), rel=1e-12)


@pytest.mark.parametrize("make, activations, sizes", CASES)
def test_sympy_gradient_matches_finite_differences(make, activations, sizes):
    model = _model(make, activations)
    rng = np.random.default_rng(5)
    theta = rng.normal(0, 1, len(model.parameters))
    X = rng.uniform(-1, 1, (4, sizes[0]))
    Y = rng.uniform(-1, 1, 4)
    numeric = finite_difference_gradients(lambda: model.cost_value(X, Y, theta), [theta], eps=1e-3, order=4)[0]
    compare_gradients([model.gradient_value(X, Y, theta)], [numeric], rtol=1e-8)


@pytest.mark.parametrize("make, sizes", [(scalar_hidden_model, [1, 1, 1]), (network_221_model, [2, 2, 1])])
def test_lecture_formulas_disagree_with_lib(make, sizes):
    model = _model(make, ("sigmoid", "sigmoid"))
    rng = np.random.default_rng(3)
    theta = rng.normal(0, 1, len(model.parameters))
    X = rng.uniform(-1, 1, (5, sizes[0]))
    Y = rng.uniform(-1, 1, 5)
    lib_grad = _flat_lib_gradient(_network(sizes, ("sigmoid", "sigmoid"), theta, model), model, X, Y)
    lecture = model.gradient_value(X, Y, theta, "lecture")
    wrong = [model.parameters.index(p) for p in model.lecture_gradient]
    assert not np.allclose(lecture[wrong], lib_grad[wrong], rtol=1e-3)
    right = [i for i in range(len(theta)) if i not in wrong]
    np.testing.assert_allclose(lecture[right], lib_grad[right], rtol=1e-10)


def test_plot_cost_surface_and_fit_surface():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from lib.plotting import plot_cost_surface, plot_fit_surface

    path = np.array([[-1.0, 1.0], [0.0, 0.5], [0.9, 0.1], [7.0, 0.0]])  # the last point leaves the grid
    ax = plot_cost_surface(lambda W, B: (W - 1) ** 2 + B**2, (-2, 2), (-1, 1), path=path, resolution=20)
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    assert len(ax.lines) == 3
    with pytest.raises(ValueError, match="w_range"):
        plot_cost_surface(lambda W, B: W, (2, 1), (0, 1))
    with pytest.raises(ValueError, match="cost"):
        plot_cost_surface(lambda W, B: 1.0, (0, 1), (0, 1))
    with pytest.raises(TypeError, match="cost"):
        plot_cost_surface("cost", (0, 1), (0, 1))
    with pytest.raises(ValueError, match="path"):
        plot_cost_surface(lambda W, B: W * B, (0, 1), (0, 1), path=[[0.0, 1.0, 2.0]])

    fig = plot_fit_surface(lambda P: P[:, 0] * P[:, 1], lambda P: 0.9 * P[:, 0] * P[:, 1], X=np.zeros((3, 2)),
                           resolution=10, title="t")
    assert len(fig.axes) >= 3
    with pytest.raises(ValueError, match="high"):
        plot_fit_surface(np.sum, np.sum, low=1.0, high=0.0)
    with pytest.raises(TypeError, match="predict_fn"):
        plot_fit_surface(np.sum, None)
    plt.close("all")
