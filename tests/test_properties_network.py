"""Property-based tests (hypothesis) of lib.network, lib.optimizers and lib.regularization (issue 15).

1. ``test_any_argument``: for every public call of the three modules and every one of its arguments
   (calls.NETWORK_CASES), the argument is replaced by a generated value (strategies.replacing: arrays of every dtype
   -- int, bool, float16/32/64, complex, object, strings -- and shape, NaN/inf, extreme magnitudes, empty and ragged
   input, Python scalars, None). The call must either return a finite result with no warning, or raise
   ValueError/TypeError naming the argument, or DivergenceError.
2. Properties on valid input: fit never returns NaN/inf parameters or cost, whatever the learning rate; fitting
   twice continues from the first fit; clip_by_norm clips to the norm in float32 and float64 up to the largest
   floats; the optimizers keep the dtype and never turn finite input into NaN; batch norm's backward before its
   forward is a clear error.

Reproducible: derandomized, no example database.
"""

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from calls import LABELS, NETWORK_CASES, X4, Y4, classifier, net, pairs, valid_calls
from hypothesis import given
from hypothesis import strategies as st
from strategies import call_with, check_valid_call, replacing, reproducible

from lib import optimizers, regularization
from lib.network import DivergenceError, FeedForwardNetwork
from lib.regularization import BatchNorm, RegularizedNetwork, clip_by_norm

SETTINGS = reproducible(15)


@pytest.mark.parametrize(("fn", "make", "argument", "names", "finite"), pairs(NETWORK_CASES))
@SETTINGS
@given(data=st.data())
def test_any_argument(fn, make, argument, names, finite, data):
    """One argument replaced by anything: a finite result without warnings, or an error naming that argument."""
    value = data.draw(replacing(make()[argument]), label=argument)
    call_with(fn, make, argument, value, names, finite, outcomes=(DivergenceError,))


@pytest.mark.parametrize(("fn", "make"), valid_calls(NETWORK_CASES))
def test_every_call_works_on_valid_input(fn, make):
    check_valid_call(fn, make())


# ----- properties on valid input ---------------------------------------------------------------------------------
@SETTINGS
@given(exponent=st.floats(-3, 308), scale=st.sampled_from([1.0, 100.0, 1e150]),
       dtype=st.sampled_from([np.float32, np.float64]), optimizer=st.sampled_from(sorted(optimizers.OPTIMIZERS)),
       batch_size=st.sampled_from([None, 2]))
def test_fit_never_returns_non_finite_parameters_or_cost(exponent, scale, dtype, optimizer, batch_size):
    """Any learning rate, targets of any scale: a finite trained network or a DivergenceError (issue 15, item 2)."""
    network = FeedForwardNetwork([2, 4, 1], "relu", init="he", dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            history = network.fit(X4, scale * Y4, epochs=4, batch_size=batch_size, optimizer=optimizer,
                                  learning_rate=10.0**exponent)
        except DivergenceError as error:
            assert "learning_rate" in str(error) or "before the first step" in str(error)
            return
        except ValueError as error:  # targets beyond float32's range
            assert dtype == np.float32 and scale > 3.4e38 and str(error).startswith("Y:")
            return
        assert all(math.isfinite(v) for v in history["loss"])
        assert all(np.isfinite(p).all() for p in network.weights + network.biases)
        assert math.isfinite(network.loss(X4, scale * Y4))
        assert np.isfinite(network.predict(X4)).all()


def test_issue_15_reproducers_raise_divergence_errors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    Y = rng.normal(size=(20, 1))
    with pytest.raises(DivergenceError, match="after the last step"):
        FeedForwardNetwork([3, 5, 1]).fit(X, 100 * Y, epochs=1, batch_size=None, learning_rate=1e308)
    with pytest.raises(DivergenceError):
        FeedForwardNetwork([3, 5, 1]).fit(X, 100 * Y, epochs=16, learning_rate=1e10)


def test_what_the_shared_strategies_found():
    """Found when these tests first drew what test_properties_lib draws (strategies.replacing): fit(epochs=10**400)
    ran for ever, BatchNorm(10**400) raised NumPy's 'Maximum allowed dimension exceeded', a huge int learning rate
    or eps a raw OverflowError, and BatchNorm.backward(None) a raw TypeError; none named its argument."""
    with pytest.raises(ValueError, match="epochs: expected at most 1000000"):
        net().fit(X4, Y4, epochs=10**400)
    with pytest.raises(ValueError, match="epochs: expected at most 1000000"):
        net().fit(X4, Y4, epochs=10**6 + 1)
    for n_units in (10**400, 10**5 + 1):
        with pytest.raises(ValueError, match="n_units: expected at most 100000"):
            BatchNorm(n_units)
    assert BatchNorm(10**5).gamma.shape == (10**5,)
    for call, name in ((lambda: optimizers.Adam(learning_rate=10**400), "learning_rate"),
                       (lambda: BatchNorm(2, eps=10**400), "eps"),
                       (lambda: clip_by_norm([np.ones(2)], 10**400), "max_norm")):
        with pytest.raises(ValueError, match=f"^{name}: "):
            call()
    layer = BatchNorm(2)
    layer.forward(X4, training=True)
    for backward in (layer.backward, layer.backward_inference):
        with pytest.raises(TypeError, match="^delta: "):
            backward(None)


def test_a_loss_that_is_infinite_before_training_is_not_blamed_on_the_learning_rate():
    X = np.array([[1e200, 1.0], [1.0, 1e200]])
    net_ = FeedForwardNetwork([2, 3, 1], "identity", init="normal")
    with pytest.raises(DivergenceError, match="before the first step") as info:
        net_.fit(X, np.array([1e200, 1.0]), epochs=2, batch_size=None, learning_rate=1e-3)
    message = str(info.value)
    assert "not the cause" in message and "standardise" in message and "try learning_rate" not in message


@pytest.mark.parametrize("output", ["identity", "tanh", "elu", "relu"])
@pytest.mark.parametrize("loss", ["cross_entropy", "binary_cross_entropy"])
def test_cross_entropy_needs_a_probability_output(output, loss):
    with pytest.raises(ValueError, match="output_activation"):
        FeedForwardNetwork([4, 3, 2], "tanh", output, loss)


@SETTINGS
@given(dtype=st.sampled_from([np.float32, np.float64]), exponent=st.floats(-30, 308),
       shapes=st.lists(hnp.array_shapes(min_dims=1, max_dims=2, max_side=5), min_size=1, max_size=4),
       max_norm=st.sampled_from([1e-3, 1.0, 5.0]), seed=st.integers(0, 2**32 - 1))
def test_clip_by_norm_clips_at_any_magnitude(dtype, exponent, shapes, max_norm, seed):
    """Up to the largest floats of float32 and float64: the clipped norm is max_norm, the direction is kept."""
    rng = np.random.default_rng(seed)
    limit = np.finfo(dtype).max / 4
    grads = [np.clip(rng.normal(size=s) * 10.0**exponent, -limit, limit).astype(dtype) for s in shapes]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipped, norm = clip_by_norm(grads, max_norm)
    assert all(c.dtype == dtype and c.shape == g.shape for c, g in zip(clipped, grads, strict=True))
    largest = max(float(np.abs(g).max()) for g in grads)
    exact = largest * math.sqrt(sum(float(np.sum((g.astype(np.float64) / largest) ** 2)) for g in grads)) \
        if largest else 0.0
    assert norm == pytest.approx(exact, rel=1e-5)
    new = math.sqrt(sum(float(np.sum(c.astype(np.float64) ** 2)) for c in clipped))
    if exact > max_norm:
        assert new == pytest.approx(max_norm, rel=1e-4)
        for c, g in zip(clipped, grads, strict=True):  # same direction: proportional to the original
            np.testing.assert_allclose(c.astype(np.float64), g.astype(np.float64) * (max_norm / exact), rtol=1e-4,
                                       atol=1e-30)
    else:
        assert all(c is g or np.array_equal(c, g) for c, g in zip(clipped, grads, strict=True))


def test_clip_by_norm_issue_15_reproducer():
    clipped, norm = clip_by_norm([np.full(4, 1e19, np.float32)], 1.0)
    assert norm == pytest.approx(2e19, rel=1e-6)
    assert np.linalg.norm(clipped[0].astype(np.float64)) == pytest.approx(1.0, rel=1e-5)
    clipped, norm = clip_by_norm([np.full(4, 1e300)], 1.0)
    assert np.linalg.norm(clipped[0]) == pytest.approx(1.0)


@SETTINGS
@given(name=st.sampled_from(sorted(optimizers.OPTIMIZERS)), dtype=st.sampled_from([np.float32, np.float64]),
       values=hnp.arrays(np.float64, (3, 2), elements=st.floats(-1e6, 1e6)), steps=st.integers(1, 5))
def test_optimizers_keep_the_dtype_and_stay_finite(name, dtype, values, steps):
    theta = values.astype(dtype)
    optimizer = optimizers.OPTIMIZERS[name](0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(steps):
            optimizer.update([theta], [(values * 0.5).astype(dtype)])
    assert theta.dtype == dtype and np.isfinite(theta).all()
    assert all(s.dtype == dtype for s in optimizer.state[0])


@pytest.mark.parametrize("name", sorted(optimizers.OPTIMIZERS))
def test_optimizers_refuse_integer_and_read_only_parameters(name):
    optimizer = optimizers.OPTIMIZERS[name](0.1)
    with pytest.raises(TypeError, match=r"params\[0\]"):
        optimizer.update([np.ones(2, dtype=int)], [np.ones(2)])
    frozen = np.ones(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\]"):
        optimizer.update([frozen], [np.ones(2)])


def test_fitting_twice_continues_from_the_first_fit():
    once = net(seed=2)
    once.fit(X4, Y4, epochs=20, batch_size=None, learning_rate=0.5)
    twice = net(seed=2)
    twice.fit(X4, Y4, epochs=10, batch_size=None, learning_rate=0.5)
    second = twice.fit(X4, Y4, epochs=10, batch_size=None, learning_rate=0.5)
    for a, b in zip(once.weights + once.biases, twice.weights + twice.biases, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)  # full batches: no shuffling, the same 20 steps
    assert len(second["loss"]) == 10


def test_fit_leaves_the_activation_objects_in_place():
    """fit swaps in the unchecked rules for its steps and must put the checked objects back, also after an error."""
    network = classifier()
    objects = network.hidden_activation, network.output_activation, network.loss_function
    network.fit(X4, LABELS, epochs=2, validation_data=(X4, LABELS))
    assert (network.hidden_activation, network.output_activation, network.loss_function) == objects
    with pytest.raises(DivergenceError):
        network.fit(X4 * 1e150, LABELS, epochs=3, learning_rate=1e300)
    assert (network.hidden_activation, network.output_activation, network.loss_function) == objects


def test_batch_norm_backward_before_forward_is_a_clear_error():
    layer = BatchNorm(3)
    for call in (lambda: layer.backward(np.ones((2, 3))), lambda: layer.backward_inference(np.ones((2, 3))),
                 layer.update_running_stats):
        with pytest.raises(ValueError, match="forward"):
            call()


def test_the_regularized_network_is_the_core_without_its_layers():
    """With p = 0 dropout and no batch norm, the extension's passes equal the core's bit for bit."""
    rng = np.random.default_rng(4)
    X, labels = rng.normal(size=(6, 3)), rng.integers(0, 2, 6)
    core = FeedForwardNetwork([3, 4, 4, 2], "tanh", "softmax", "cross_entropy", seed=3, l2=0.1)
    extended = RegularizedNetwork([3, 4, 4, 2], "tanh", "softmax", "cross_entropy", seed=3, l2=0.1)
    assert type(core) is FeedForwardNetwork and isinstance(extended, FeedForwardNetwork)
    for a, b in zip(sum(core.gradients(X, labels), []), sum(extended.gradients(X, labels, training=True), []),
                    strict=True):
        np.testing.assert_array_equal(a, b)
    assert type(FeedForwardNetwork([3, 2], dropout=0.5)) is RegularizedNetwork
    assert type(FeedForwardNetwork([3, 2], batch_norm=True)) is RegularizedNetwork
    assert regularization.RegularizedNetwork is RegularizedNetwork
