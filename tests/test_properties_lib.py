"""Property-based tests (hypothesis) of every public function and method of the modules activations, losses,
data, perceptron, linear_models, symbolic, approximation, autodiff, flops, diagnostics, tuning, initializers,
gradcheck and source (issue 15).

Two kinds of test:

1. ``test_any_argument``: for every public call and every one of its arguments (calls.LIB_CASES), the argument is
   replaced by a generated value (strategies.replacing: arrays of every dtype -- int, bool, float16/32/64, complex,
   object, strings -- and shape, NaN/inf, extreme magnitudes such as 1e308 and 5e-324, empty and ragged input,
   Python scalars, None, big ints), half of the time with the valid value's own shape so that the magnitudes reach
   the arithmetic. The call must either return a finite result with no warning, or raise ValueError/TypeError (or
   a documented lib outcome: DivergenceError, GradientCheckError) whose message names the argument.
2. Properties of correct results on valid input, and state: fitting twice equals fitting once, a model that
   is not fitted says so, a second backward sweep gives the same gradients.

Reproducible: derandomized, no example database. Example counts per test are set by EXAMPLES below.
"""

import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import sympy as sp
from calls import LIB_CASES, MODEL_221, X4, Y_AND, Z, pairs, valid_calls
from hypothesis import given
from hypothesis import strategies as st
from strategies import call_with, check_valid_call, replacing, reproducible

from lib import (
    activations,
    approximation,
    autodiff,
    data,
    flops,
    gradcheck,
    linear_models,
    losses,
    perceptron,
    symbolic,
)

EXAMPLES = 8  # per (call, argument) pair: 270 pairs, about 2,200 generated calls in test_any_argument

SETTINGS = reproducible(EXAMPLES)

ELEMENTWISE = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu")


@pytest.mark.parametrize(("fn", "make", "argument", "names", "finite"), pairs(LIB_CASES))
@SETTINGS
@given(data=st.data())
def test_any_argument(fn, make, argument, names, finite, data):
    call_with(fn, make, argument, data.draw(replacing(make()[argument]), label=argument), names, finite)


@pytest.mark.parametrize(("fn", "make"), valid_calls(LIB_CASES))
def test_valid_arguments_work(fn, make, capsys):
    """The valid arguments above are valid (so the test above changes one thing at a time)."""
    check_valid_call(fn, make())


# ---------------------------------------------------------------------------------------------------------------
# Correct results

FLOATS = st.floats(-1e308, 1e308)
Z_ARRAYS = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5), elements=FLOATS)


@SETTINGS
@given(z=Z_ARRAYS)
def test_activations_match_their_formulas_for_any_finite_z(z):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")  # underflow to 0 is the documented, correctly rounded answer
        s = activations.sigmoid(z)
        soft = activations.softmax(z)
        values = {name: activations.ACTIVATIONS[name](z) for name in ELEMENTWISE}
        slopes = {name: activations.ACTIVATIONS[name].derivative(z) for name in ELEMENTWISE}
    # sigmoid against the two exact forms, each evaluated where it cannot overflow (and underflowing to 0)
    with np.errstate(over="ignore", under="ignore"):
        expected = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    np.testing.assert_allclose(s, expected, rtol=1e-15, atol=0)
    assert np.all((s >= 0) & (s <= 1))
    rows = soft.reshape(-1, z.shape[-1])
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(rows >= 0)
    np.testing.assert_array_equal(values["relu"], np.maximum(z, 0))
    np.testing.assert_array_equal(values["identity"], z)
    np.testing.assert_allclose(values["tanh"], np.tanh(z))
    for name in ELEMENTWISE:
        assert np.all(np.isfinite(values[name])) and np.all(np.isfinite(slopes[name])), name


@SETTINGS
@given(z=hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-20, 20)))
def test_derivatives_match_central_differences(z):
    z = z[np.all(np.abs(z[:, None] - 0) > 1e-3, axis=1)]  # away from the kink at 0
    if z.size == 0:
        return
    h = 1e-6
    for name in ELEMENTWISE:
        act = activations.ACTIVATIONS[name]
        numeric = (act(z + h) - act(z - h)) / (2 * h)
        np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-5, atol=1e-8, err_msg=name)


@SETTINGS
@given(dtype=st.sampled_from([np.int64, np.bool_, np.float16, np.float32, np.float64]),
       shape=st.sampled_from([(3,), (2, 3)]))
def test_activations_take_any_real_dtype_and_python_numbers(dtype, shape):
    z = np.arange(np.prod(shape)).reshape(shape).astype(dtype)
    for name, act in activations.ACTIVATIONS.items():
        expected = act(z.astype(np.float64))
        np.testing.assert_allclose(act(z), expected, rtol=1e-3 if dtype == np.float32 else 1e-12, err_msg=name)
        assert act(z).dtype == (np.float32 if dtype == np.float32 else np.float64)
    assert float(activations.SIGMOID(0)) == 0.5 and float(activations.RELU.derivative(2.0)) == 1.0


def test_sigmoid_underflows_to_zero_as_documented():
    assert activations.sigmoid(-1e4) == 0.0
    assert activations.sigmoid(-745.0) > 0  # the last denormal before 0
    assert activations.sigmoid(1e4) == 1.0
    with pytest.raises(ValueError, match="z: .*too large"):
        activations.sigmoid([10**400])


@SETTINGS
@given(a=hnp.arrays(np.float64, (4, 3), elements=st.floats(0, 1)), labels=st.lists(st.integers(0, 2), min_size=4,
                                                                                     max_size=4))
def test_losses_equal_their_formulas(a, labels):
    y = np.eye(3)[labels]
    eps = np.finfo(np.float64).eps
    clipped = np.clip(a, eps, 1 - eps)
    np.testing.assert_allclose(losses.SQUARED_ERROR(a, y), 0.5 * np.sum((a - y) ** 2) / 4)
    np.testing.assert_allclose(losses.CROSS_ENTROPY(a, y), -np.sum(y * np.log(np.maximum(a, eps))) / 4)
    expected = -np.sum(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)) / 4
    np.testing.assert_allclose(losses.BINARY_CROSS_ENTROPY(a, y), expected)


def test_cross_entropies_refuse_values_that_are_not_probabilities():
    with pytest.raises(ValueError, match="y: binary_cross_entropy needs probabilities"):
        losses.BINARY_CROSS_ENTROPY([0.5, 0.5], [2.0, 0.0])
    with pytest.raises(ValueError, match="a: cross_entropy needs probabilities"):
        losses.CROSS_ENTROPY([[1.5, -0.5]], [[1.0, 0.0]])


@SETTINGS
@given(X=hnp.arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 3)), elements=st.floats(-1e3, 1e3)),
       seed=st.integers(0, 2**32))
def test_least_squares_minimises_the_squared_error(X, seed):
    y = np.random.default_rng(seed).normal(size=len(X))
    theta = linear_models.least_squares(X, y)
    D = linear_models.design_matrix(X)
    reference = np.linalg.lstsq(D, y, rcond=None)[0]
    residual = np.sum((D @ theta - y) ** 2)
    assert residual <= np.sum((D @ reference - y) ** 2) * (1 + 1e-6) + 1e-9


@pytest.mark.parametrize("gate", ["and", "or", "xor", "nand", "nor"])
def test_fitting_twice_equals_fitting_once(gate):
    """State: a second fit starts afresh (issue 15: fit(AND) then fit(XOR) reported converged on XOR)."""
    X, y = data.logic_gate(gate)
    first = perceptron.Perceptron(2)
    first.fit(*data.logic_gate("and"))
    first.fit(X, y, epochs=5)
    fresh = perceptron.Perceptron(2)
    fresh.fit(X, y, epochs=5)
    assert (first.mistakes, first.converged, first.b) == (fresh.mistakes, fresh.converged, fresh.b)
    np.testing.assert_array_equal(first.w, fresh.w)
    assert not (gate == "xor" and first.converged)
    for model in (linear_models.LogisticRegressionGD(epochs=50), linear_models.LeastSquares()):
        once = type(model)(**({"epochs": 50} if hasattr(model, "epochs") else {})).fit(X, y)
        model.fit(*data.logic_gate("and"))
        model.fit(X, y)
        np.testing.assert_array_equal(model.predict(X), once.predict(X))


def test_models_that_are_not_fitted_say_so():
    for model in (linear_models.LogisticRegressionGD(), linear_models.LeastSquares()):
        with pytest.raises(ValueError, match="fit"):
            model.predict(X4)


def test_logistic_regression_takes_numpy_numbers_and_refuses_bad_targets():
    model = linear_models.LogisticRegressionGD(l2=np.int64(1), epochs=np.int64(3), learning_rate=np.float32(0.5))
    assert model.l2 == 1.0
    with pytest.raises(ValueError, match="l2"):
        linear_models.LogisticRegressionGD(l2=np.inf)
    with pytest.raises(ValueError, match="y: expected labels 0 and 1"):
        linear_models.LogisticRegressionGD().fit(X4, 2 * Y_AND)


def test_silent_nan_cases_of_issue_15_raise():
    with pytest.raises(ValueError, match="X: expected at least one sample"):
        linear_models.least_squares(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="b"):
        perceptron.perceptron_predict(X4, [1.0, 1.0], np.nan)
    with pytest.raises(ValueError, match="height"):
        approximation.bump(np.linspace(0, 1, 3), 0.2, 0.5, height=np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(activations.softmax([[1e308, -1e308]]), [[1.0, 0.0]])


def test_what_every_malformed_value_on_every_argument_found():
    """test_fuzz_api runs strategies.MALFORMED on every call of LIB_CASES; these raised a raw error or named
    another argument before lib was fixed."""
    huge = 10**400  # a Python int no float can hold
    for call, name in ((lambda: activations.make_elu(huge), "alpha"),
                       (lambda: activations.leaky_relu(Z, huge), "alpha"),
                       (lambda: approximation.step(X4, 0.5, huge), "steepness"),
                       (lambda: perceptron.perceptron_step(np.ones(2), 0.0, np.ones(2), 1, huge), "learning_rate"),
                       (lambda: gradcheck.finite_difference_gradients(lambda: 1.0, [np.zeros(2)], eps=huge), "eps"),
                       (lambda: gradcheck.compare_gradients([np.ones(2)], [np.ones(2)], rtol=huge), "rtol"),
                       (lambda: data.spirals(10, n_classes=huge), "n_classes")):
        with pytest.raises(ValueError, match=f"^{name}: "):  # was OverflowError: int too large to convert
            call()
    with pytest.raises(ValueError, match="^exprs: cannot count operations of Dict"):  # named expr
        flops.count_flops_cse({"a": 1})
    with pytest.raises(ValueError, match="^interval: expected two numbers"):  # was: not enough values to unpack
        approximation.bump_network(np.sin, 3, interval=[])
    with pytest.raises(ValueError, match="^z, a and grad_a: too large"):  # named grad_a, which was all ones
        activations.TANH.backward(Z, np.full_like(Z, 1e308), np.ones_like(Z))
    # a derivative that overflows: Var kept inf as the local derivative (backward gave grad inf silently), Dual
    # raised "tangent: expected a finite number, got nan"
    for cls in (autodiff.Var, autodiff.Dual):
        with pytest.raises(ValueError, match=r"^log\(x\): x = 4.94066e-324 is so close to 0"):
            cls(5e-324).log()
        with pytest.raises(ValueError, match="^divisor: b = 1e-160 is so close to 0"):
            cls(0.75) / 1e-160


def test_var_backward_twice_gives_the_same_gradients():
    x = autodiff.Var(0.4)
    y = (x * x).sigmoid() + x.exp()
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first
    with autodiff.counting() as count:
        autodiff.Dual(0.4, 1.0).exp()
    assert count.operations == 1


@SETTINGS
@given(n=st.integers(2, 40), seed=st.integers(0, 2**32 - 1), test_size=st.floats(0.05, 0.95))
def test_split_is_a_partition_that_keeps_pairs(n, seed, test_size):
    X = np.arange(n, dtype=float)[:, None]
    Y = 10 * X
    X_train, X_test, Y_train, Y_test = data.train_test_split(X, Y, test_size=test_size, seed=seed)
    assert sorted(np.concatenate([X_train, X_test])[:, 0]) == list(range(n))
    np.testing.assert_array_equal(Y_train, 10 * X_train)
    np.testing.assert_array_equal(Y_test, 10 * X_test)


@SETTINGS
@given(X=hnp.arrays(np.float64, st.tuples(st.integers(2, 6), st.integers(1, 3)), elements=st.floats(-1e100, 1e100)))
def test_standardize_gives_mean_zero_and_unit_or_zero_spread(X):
    train, _ = data.standardize(X, X)
    np.testing.assert_allclose(train.mean(axis=0), 0, atol=1e-6)
    std = train.std(axis=0)
    assert np.all((np.abs(std - 1) < 1e-6) | (std < 1e-6))


@SETTINGS
@given(labels=st.lists(st.integers(0, 5), min_size=1, max_size=10))
def test_one_hot_has_one_one_per_row_at_the_label(labels):
    encoded = data.one_hot(labels)
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)


@SETTINGS
@given(x=hnp.arrays(np.float64, st.integers(1, 5), elements=st.floats(-2, 3)), height=st.floats(-1e6, 1e6))
def test_bump_is_height_times_a_difference_of_steps(x, height):
    expected = height * (approximation.step(x, 0.2, 50.0) - approximation.step(x, 0.7, 50.0))
    np.testing.assert_allclose(approximation.bump(x, 0.2, 0.7, height, 50.0), expected)


@SETTINGS
@given(theta=hnp.arrays(np.float64, 9, elements=st.floats(-3, 3)))
def test_symbolic_flatten_and_unflatten_are_inverse(theta):
    weights, biases = MODEL_221.unflatten(theta)
    np.testing.assert_array_equal(MODEL_221.flatten(weights, biases), theta)


def test_the_two_sigmoids_agree():
    """One numeric sigmoid (activations) and one SymPy expression (symbolic), and they are the same function."""
    z = sp.Symbol("z")
    numeric = sp.lambdify(z, symbolic._sigmoid_expression(z), "numpy")
    grid = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(numeric(grid), activations.sigmoid(grid), rtol=1e-13)
    assert not hasattr(symbolic, "_sigmoid")


def test_one_home_for_each_validator():
    """Issue 13.3: the helpers data.py, activations.py and symbolic.py used to copy are gone from them."""
    for module, name in ((data, "_seed"), (data, "_non_negative"), (data, "_finite"), (symbolic, "_sigmoid")):
        assert not hasattr(module, name), f"{module.__name__}.{name} should use lib._validate"




@SETTINGS
@given(z=hnp.arrays(np.float64, (3, 2), elements=st.one_of(st.just(0.0), st.floats(-30, 30))))
def test_autograd_through_the_forward_rules_gives_the_derivatives(z):
    """The forward rules run under autograd.numpy (gradcheck and the network's cross-check rely on it); its
    derivative must be f'(z), at z = 0 too (abs inside the sigmoid once made autograd's sigmoid'(0) = 0)."""
    import autograd
    import autograd.numpy as anp

    for name in ("identity", "sigmoid", "tanh", "elu"):  # the kinks of relu/leaky relu have no derivative
        act = activations.ACTIVATIONS[name]
        automatic = autograd.elementwise_grad(lambda v, act=act: act.f(v, anp))(z)
        np.testing.assert_allclose(automatic, act.derivative(z), rtol=1e-12, atol=1e-15, err_msg=name)
