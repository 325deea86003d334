"""The optimizers' steps against hand-computed formulas, their state handling, dtypes and input checks."""

import numpy as np
import pytest

from lib.optimizers import OPTIMIZERS, SGD, AdaGrad, Adam, Momentum, RMSprop, get_optimizer

# Three steps with different gradients, on a weight matrix and a bias vector.
RNG = np.random.default_rng(42)
THETA0 = [RNG.normal(size=(3, 2)), RNG.normal(size=2)]
GRADS = [[RNG.normal(size=(3, 2)), RNG.normal(size=2)] for _ in range(3)]


def run(optimizer, dtype=np.float64, steps=3):
    params = [p.astype(dtype) for p in THETA0]
    for grads in GRADS[:steps]:
        optimizer.update(params, [g.astype(dtype) for g in grads])
    return params


def reference(rule, steps=3):
    """Apply `rule(theta, g, state, t)` (written with fresh arrays, straight from the formulas) per parameter."""
    params = [p.copy() for p in THETA0]
    states = [{} for _ in params]
    for t, grads in enumerate(GRADS[:steps], start=1):
        params = [rule(theta, g, state, t) for theta, g, state in zip(params, grads, states, strict=True)]
    return params


def sgd_rule(eta):
    return lambda theta, g, state, t: theta - eta * g


def momentum_rule(eta, mu):
    def rule(theta, g, state, t):
        state["v"] = mu * state.get("v", 0.0) - eta * g
        return theta + state["v"]
    return rule


def adagrad_rule(eta, eps):
    def rule(theta, g, state, t):
        state["r"] = state.get("r", 0.0) + g**2
        return theta - eta * g / (np.sqrt(state["r"]) + eps)
    return rule


def rmsprop_rule(eta, rho, eps):
    def rule(theta, g, state, t):
        state["r"] = rho * state.get("r", 0.0) + (1 - rho) * g**2
        return theta - eta * g / (np.sqrt(state["r"]) + eps)
    return rule


def adam_rule(eta, beta1, beta2, eps):
    def rule(theta, g, state, t):
        state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
        state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g**2
        m_hat = state["m"] / (1 - beta1**t)
        v_hat = state["v"] / (1 - beta2**t)
        return theta - eta * m_hat / (np.sqrt(v_hat) + eps)
    return rule


CASES = [
    (SGD(0.1), sgd_rule(0.1)),
    (Momentum(0.1), momentum_rule(0.1, 0.9)),
    (Momentum(0.05, momentum=0.5), momentum_rule(0.05, 0.5)),
    (AdaGrad(0.1), adagrad_rule(0.1, 1e-8)),
    (AdaGrad(0.3, eps=0.1), adagrad_rule(0.3, 0.1)),
    (RMSprop(0.01), rmsprop_rule(0.01, 0.9, 1e-8)),
    (RMSprop(0.01, rho=0.5, eps=1e-3), rmsprop_rule(0.01, 0.5, 1e-3)),
    (Adam(0.001), adam_rule(0.001, 0.9, 0.999, 1e-8)),
    (Adam(0.02, beta1=0.5, beta2=0.9, eps=1e-4), adam_rule(0.02, 0.5, 0.9, 1e-4)),
]


@pytest.mark.parametrize(("optimizer", "rule"), CASES, ids=lambda c: type(c).__name__ if not callable(c) else "")
@pytest.mark.parametrize("steps", [1, 2, 3])
def test_steps_match_the_formulas(optimizer, rule, steps):
    optimizer.reset()
    for got, expected in zip(run(optimizer, steps=steps), reference(rule, steps), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-15)


def test_hand_computed_numbers():
    # Constant gradient g = 1 from theta = 0: the numbers below are worked out by hand.
    def steps(optimizer, n=3):
        theta = np.zeros(1)
        out = []
        for _ in range(n):
            optimizer.update([theta], [np.ones(1)])
            out.append(theta[0])
        return out

    np.testing.assert_allclose(steps(SGD(0.1)), [-0.1, -0.2, -0.3])
    # v = -0.1, -0.19, -0.271: theta = -0.1, -0.29, -0.561
    np.testing.assert_allclose(steps(Momentum(0.1, momentum=0.9)), [-0.1, -0.29, -0.561])
    # r = 1, 2, 3: steps 0.1/1, 0.1/sqrt(2), 0.1/sqrt(3) (eps negligible)
    np.testing.assert_allclose(steps(AdaGrad(0.1)), np.cumsum([-0.1, -0.1 / np.sqrt(2), -0.1 / np.sqrt(3)]))
    # r = 0.1, 0.19, 0.271
    np.testing.assert_allclose(steps(RMSprop(0.1)), np.cumsum([-0.1 / np.sqrt(r) for r in (0.1, 0.19, 0.271)]))
    # Bias correction makes m_hat = 1 and v_hat = 1 exactly: every step is eta.
    np.testing.assert_allclose(steps(Adam(0.1)), [-0.1, -0.2, -0.3])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_float32_is_preserved_and_close_to_float64(name):
    params32 = run(get_optimizer(name, 0.01), dtype=np.float32)
    params64 = run(get_optimizer(name, 0.01))
    for p32, p64 in zip(params32, params64, strict=True):
        assert p32.dtype == np.float32
        np.testing.assert_allclose(p32, p64, rtol=1e-5, atol=1e-6)
    optimizer = get_optimizer(name, 0.01)
    run(optimizer, dtype=np.float32)
    assert all(a.dtype == np.float32 for state in optimizer.state for a in state)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_updates_in_place_keeps_state_arrays_and_leaves_grads_alone(name):
    optimizer = get_optimizer(name, 0.1)
    params = [p.copy() for p in THETA0]
    ids = [id(p) for p in params]
    grads = [g.copy() for g in GRADS[0]]
    optimizer.update(params, grads)
    state_ids = [id(a) for state in optimizer.state for a in state]
    optimizer.update(params, grads)
    assert [id(p) for p in params] == ids
    assert [id(a) for state in optimizer.state for a in state] == state_ids  # no new arrays per step
    for g, g0 in zip(grads, GRADS[0], strict=True):
        np.testing.assert_array_equal(g, g0)
    assert optimizer.t == 2


def test_reset_forgets_the_state():
    optimizer = Adam(0.1)
    first = run(optimizer, steps=1)
    run(optimizer, steps=2)
    optimizer.reset()
    assert optimizer.t == 0 and optimizer.state == []
    for a, b in zip(run(optimizer, steps=1), first, strict=True):
        np.testing.assert_array_equal(a, b)


def test_changed_shapes_need_reset():
    optimizer = Momentum(0.1)
    optimizer.update([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="reset"):
        optimizer.update([np.zeros(3)], [np.ones(3)])
    optimizer.reset()
    optimizer.update([np.zeros(3)], [np.ones(3)])


def test_tuples_work_like_lists():
    params = (np.zeros(2),)
    SGD(0.5).update(params, (np.ones(2),))
    np.testing.assert_array_equal(params[0], [-0.5, -0.5])


def test_get_optimizer():
    assert isinstance(get_optimizer("sgd", 0.1), SGD)
    assert isinstance(get_optimizer("Adam", 0.1), Adam)
    assert get_optimizer("momentum", 0.1, momentum=0.5).momentum == 0.5
    mine = RMSprop(0.2)
    assert get_optimizer(mine, 0.5) is mine
    with pytest.raises(ValueError, match="optimizer.*adagrad.*adam.*momentum.*rmsprop.*sgd"):
        get_optimizer("newton", 0.1)
    with pytest.raises(TypeError, match="optimizer"):
        get_optimizer(3, 0.1)


@pytest.mark.parametrize("rate", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate_is_named(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        get_optimizer("sgd", rate)


@pytest.mark.parametrize(("cls", "kwargs", "name"), [
    (Momentum, {"momentum": 1.0}, "momentum"),
    (Momentum, {"momentum": -0.1}, "momentum"),
    (RMSprop, {"rho": 1.5}, "rho"),
    (RMSprop, {"eps": 0}, "eps"),
    (AdaGrad, {"eps": -1e-8}, "eps"),
    (Adam, {"beta1": 1.0}, "beta1"),
    (Adam, {"beta2": float("nan")}, "beta2"),
])
def test_bad_hyperparameters_are_named(cls, kwargs, name):
    with pytest.raises(ValueError, match=name):
        cls(0.1, **kwargs)


@pytest.mark.parametrize(("params", "grads", "error", "name"), [
    (np.zeros(2), [np.ones(2)], TypeError, "params"),
    ([np.zeros(2)], [np.ones(2), np.ones(2)], ValueError, "grads"),
    ([np.zeros(2)], [np.ones(3)], ValueError, r"grads\[0\]"),
    ([np.zeros(2, dtype=int)], [np.ones(2)], TypeError, r"params\[0\]"),
    ([np.zeros(2)], [[1.0, 1.0]], TypeError, r"grads\[0\]"),
    ([np.zeros(2)], [np.array(["a", "b"])], TypeError, r"grads\[0\]"),
])
def test_bad_update_arguments_are_named(params, grads, error, name):
    with pytest.raises(error, match=name):
        SGD(0.1).update(params, grads)


def test_read_only_parameter():
    theta = np.zeros(2)
    theta.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        SGD(0.1).update([theta], [np.ones(2)])


def test_new_arrays_of_the_same_shapes_keep_the_state():
    optimizer = Momentum(0.1)
    optimizer.update([np.zeros(2)], [np.ones(2)])  # v = -0.1
    theta = np.zeros(2)
    optimizer.update([theta], [np.ones(2)])  # v = 0.9 * -0.1 - 0.1
    np.testing.assert_allclose(theta, [-0.19, -0.19])


def test_float64_gradients_for_float32_parameters():
    theta = np.ones(3, dtype=np.float32)
    Adam(0.1).update([theta], [np.full(3, 0.5)])
    assert theta.dtype == np.float32
    np.testing.assert_allclose(theta, 0.9, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_bound_update_steps_exactly_like_update(name):
    """fit uses bind(params) to check once; its steps must equal the checked update's, bit for bit."""
    rng = np.random.default_rng(3)
    start = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    grads = [[rng.normal(size=(3, 2)), rng.normal(size=2)] for _ in range(4)]
    checked, bound = [p.copy() for p in start], [p.copy() for p in start]
    checked_opt, bound_opt = get_optimizer(name, 0.05), get_optimizer(name, 0.05)
    update = bound_opt.bind(bound)
    for g in grads:
        checked_opt.update(checked, g)
        update(g)
    for a, b in zip(checked, bound, strict=True):
        np.testing.assert_array_equal(a, b)


def test_bind_keeps_a_subclass_own_update():
    calls = []

    class Logged(SGD):
        def update(self, params, grads):
            calls.append(len(grads))
            super().update(params, grads)

    params = [np.zeros(2)]
    Logged(0.1).bind(params)([np.ones(2)])
    assert calls == [1]
    np.testing.assert_allclose(params[0], [-0.1, -0.1])
