"""lib.symbolic: the SymPy models of chapters 04-06."""

import hypothesis.strategies as st
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis.extra.numpy import array_shapes, arrays

from lib.symbolic import network_221_model, perceptron_model, scalar_hidden_model


@pytest.mark.parametrize("make, activations", [
    (perceptron_model, ("sigmoid",)), (perceptron_model, ("identity",)), (perceptron_model, ("generic",)),
    (scalar_hidden_model, ("sigmoid", "sigmoid")), (scalar_hidden_model, ("generic", "generic")),
    (network_221_model, ("sigmoid", "identity")), (network_221_model, ("generic", "generic")),
])
def test_chain_rule_equals_sympy(make, activations):
    model = make(*activations)
    assert all(d == 0 for d in model.difference(model.chain_rule).values())


@pytest.mark.parametrize("make", [scalar_hidden_model, network_221_model])
def test_two_generic_activations_are_two_different_functions(make):
    """So the chain-rule check holds for any pair f_1, f_2, not only for f_1 = f_2."""
    model = make("generic", "generic")
    functions = {f.func for f in model.output.atoms(sp.core.function.AppliedUndef)}
    assert len(functions) == 2


@pytest.mark.parametrize("make", [scalar_hidden_model, network_221_model])
def test_lecture_formulas_are_wrong_symbolically(make):
    model = make("generic", "generic")
    differences = model.difference(model.lecture_gradient)
    assert differences and all(d != 0 for d in differences.values())


def test_errata_item_1_numbers():
    # errata item 1: x=0.3, y=0.7, w1=0.5, b1=-0.2, w2=1.3, b2=0.1, sigmoid at both nodes
    model = scalar_hidden_model("sigmoid", "sigmoid")
    theta = [0.5, -0.2, 1.3, 0.1]
    assert model.gradient_value(0.3, 0.7, theta)[0] == pytest.approx(-5.204e-4, rel=1e-3)
    assert model.gradient_value(0.3, 0.7, theta, "lecture")[0] == pytest.approx(-1.952e-4, rel=1e-3)


def test_perceptron_gradient_by_hand():
    model = perceptron_model("sigmoid")
    w, b, x, y = 0.7, -0.3, 1.5, 1.0
    a = 1 / (1 + np.exp(-(w * x + b)))
    delta = (a - y) * a * (1 - a)
    np.testing.assert_allclose(model.gradient_value(x, y, [w, b]), [delta * x, delta], rtol=1e-12)
    assert model.cost_value(x, y, [w, b]) == pytest.approx((a - y) ** 2 / 2)


def test_parameter_count_and_names():
    assert len(network_221_model().parameters) == 9
    assert [str(p) for p in scalar_hidden_model().parameters] == ["w_1", "b_1", "w_2", "b_2"]
    assert perceptron_model().layer_sizes == (1, 1)


def test_flatten_unflatten_round_trip():
    model = network_221_model()
    theta = np.arange(9.0)
    weights, biases = model.unflatten(theta)
    assert [W.shape for W in weights] == [(2, 2), (2, 1)] and [b.shape for b in biases] == [(2,), (1,)]
    np.testing.assert_array_equal(model.flatten(weights, biases), theta)
    # W1[i, j] connects input i to hidden node j: z_j = sum_i x_i w_ij + b_j
    assert str(model.parameters[1]) == "w^{(1)}_{01}"
    assert model.forward["z^{(1)}_1"] == sp.expand(sum(model.inputs[i] * model.parameters[2 * i + 1]
                                                      for i in range(2)) + model.parameters[5])


def test_batch_mean():
    model = perceptron_model("identity")
    X = np.array([[0.0], [1.0], [2.0]])
    Y = np.array([0.0, 0.0, 0.0])
    # a = w x + b = x with w=1, b=0: costs 0, 1/2, 2 -> mean 5/6
    assert model.cost_value(X, Y, [1.0, 0.0]) == pytest.approx(5 / 6)


@pytest.mark.parametrize("call, error", [
    (lambda m: m.cost_value([[1.0, 2.0]], [1.0], [0.0, 0.0]), ValueError),
    (lambda m: m.cost_value([1.0, 2.0], [1.0], [0.0, 0.0]), ValueError),
    (lambda m: m.cost_value([1.0], [1.0], [0.0]), ValueError),
    (lambda m: m.cost_value([np.nan], [1.0], [0.0, 0.0]), ValueError),
    (lambda m: m.cost_value(["a"], [1.0], [0.0, 0.0]), TypeError),
    (lambda m: m.gradient_value([1.0], [1.0], [0.0, 0.0], which="bogus"), ValueError),
    (lambda m: m.unflatten([1.0, 2.0, 3.0]), ValueError),
])
def test_bad_input(call, error):
    with pytest.raises(error):
        call(perceptron_model())


def test_bad_activation_and_generic_numbers():
    with pytest.raises(ValueError, match="activation"):
        perceptron_model("softsign")
    with pytest.raises(ValueError, match="hidden_activation"):
        scalar_hidden_model(hidden_activation="nope")
    with pytest.raises(ValueError, match="generic"):
        perceptron_model("generic").cost_value([1.0], [0.0], [1.0, 0.0])


def test_copy_into_checks_shapes():
    from lib.network import FeedForwardNetwork

    model = network_221_model()
    net = model.copy_into(FeedForwardNetwork([2, 2, 1]), np.arange(9.0))
    np.testing.assert_array_equal(net.weights[0], [[0.0, 1.0], [2.0, 3.0]])
    np.testing.assert_array_equal(net.biases[1], [8.0])
    with pytest.raises(ValueError, match="net"):
        model.copy_into(FeedForwardNetwork([2, 3, 1]), np.arange(9.0))


@settings(max_examples=60, deadline=None)
@given(X=arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=4),
                elements=st.floats(allow_nan=True, allow_infinity=True, width=64)),
       Y=st.one_of(st.lists(st.floats(-3, 3), max_size=4), st.text(max_size=2), st.none()),
       theta=st.one_of(st.lists(st.floats(-3, 3), max_size=10), st.just("ab")))
def test_malformed_input_raises_only_value_or_type_errors(X, Y, theta):
    model = _PERCEPTRON
    for call in (lambda: model.cost_value(X, Y, theta), lambda: model.gradient_value(X, Y, theta),
                 lambda: model.unflatten(theta)):
        try:
            call()
        except (ValueError, TypeError):
            pass


_PERCEPTRON = perceptron_model()


def test_overflow_is_reported():
    with pytest.raises(ValueError, match="overflow"):
        perceptron_model("sigmoid").gradient_value([-1e4], [0.0], [1.0, 0.0])
