"""lib.autodiff: reverse mode (Var) and forward mode (Dual) against autograd, finite differences and by hand."""

import math

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.autodiff import Dual, Var, counting

UNARY = ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "neg", "square", "cube", "half_power"]
BINARY = ["+", "-", "*", "/"]


def random_tree(rng, n_inputs, depth):
    """A random expression: leaves are inputs ("x", i) or constants; log, sqrt, / and exp get safe arguments."""
    if depth == 0 or rng.random() < 0.2:
        if rng.random() < 0.75:
            return ("x", int(rng.integers(n_inputs)))
        return ("const", float(np.round(rng.uniform(-2, 2), 3)))
    if rng.random() < 0.5:
        return (str(rng.choice(UNARY)), random_tree(rng, n_inputs, depth - 1))
    return (str(rng.choice(BINARY)), random_tree(rng, n_inputs, depth - 1), random_tree(rng, n_inputs, depth - 1))


# The same tree is evaluated with Var/Dual methods and with autograd.numpy. Arguments of log, sqrt, exp and the
# divisor are made safe (positive, bounded) by the same formula in both, so both compute one function.
AUTOGRAD_OPS = {"exp": anp.exp, "log": anp.log, "sqrt": anp.sqrt, "tanh": anp.tanh,
                "sigmoid": lambda v: 1 / (1 + anp.exp(-v)), "relu": lambda v: anp.maximum(v, 0.0)}


def method(name):
    """Call the Var/Dual method `name`; a subtree of constants is a plain float, evaluated directly."""
    return lambda v: AUTOGRAD_OPS[name](v) if isinstance(v, float) else getattr(v, name)()


SCALAR_OPS = {name: method(name) for name in AUTOGRAD_OPS}


def evaluate(tree, xs, ops):
    kind = tree[0]
    if kind == "x":
        return xs[tree[1]]
    if kind == "const":
        return tree[1]
    if kind in BINARY:
        left, right = evaluate(tree[1], xs, ops), evaluate(tree[2], xs, ops)
        if kind == "+":
            return left + right
        if kind == "-":
            return left - right
        if kind == "*":
            return left * right
        return left / (1.5 + right * right)
    u = evaluate(tree[1], xs, ops)
    if kind == "neg":
        return -u
    if kind == "square":
        return u**2
    if kind == "cube":
        return u**3
    if kind == "half_power":
        return (1 + u * u) ** 0.5
    if kind in ("log", "sqrt"):
        return ops[kind](0.5 + u * u)
    if kind == "exp":
        return ops["exp"](ops["tanh"](u))
    return ops[kind](u)


def reverse_gradient(tree, values):
    xs = [Var(v) for v in values]
    out = evaluate(tree, xs, SCALAR_OPS)
    if not isinstance(out, Var):  # a tree without inputs is a constant
        return out, np.zeros(len(values))
    out.backward()
    return out.value, np.array([x.grad for x in xs])


def forward_gradient(tree, values):
    gradient = []
    for i in range(len(values)):
        xs = [Dual(v, float(i == j)) for j, v in enumerate(values)]
        out = evaluate(tree, xs, SCALAR_OPS)
        gradient.append(out.tangent if isinstance(out, Dual) else 0.0)
    return np.array(gradient)


@pytest.mark.parametrize("seed", range(300))
def test_reverse_and_forward_mode_match_autograd_on_random_expressions(seed):
    rng = np.random.default_rng(seed)
    n_inputs = int(rng.integers(1, 5))
    tree = random_tree(rng, n_inputs, depth=int(rng.integers(1, 7)))
    values = rng.uniform(-2, 2, n_inputs)
    value, gradient = reverse_gradient(tree, values)
    expected_value = evaluate(tree, list(values), AUTOGRAD_OPS)
    expected = autograd.grad(lambda v: evaluate(tree, [v[i] for i in range(n_inputs)], AUTOGRAD_OPS) + 0.0 * v[0])(
        values
    )
    np.testing.assert_allclose(value, expected_value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gradient, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(forward_gradient(tree, values), expected, rtol=1e-10, atol=1e-12)


def lecture_function(x):
    return (x**2 + (x**2).exp()).sqrt()


def lecture_derivative(x):
    return x * (1 + math.exp(x**2)) / math.sqrt(x**2 + math.exp(x**2))


@pytest.mark.parametrize("x0", [-1.3, -0.2, 0.5, 1.0, 2.1])
def test_lecture_examples_agree_with_hand_derivatives_autograd_and_finite_differences(x0):
    x = Var(x0)
    f = lecture_function(x)
    f.backward()
    h = 1e-6
    finite_difference = (lecture_function(Var(x0 + h)).value - lecture_function(Var(x0 - h)).value) / (2 * h)
    by_autograd = autograd.grad(lambda t: anp.sqrt(t**2 + anp.exp(t**2)))(x0)
    assert x.grad == pytest.approx(lecture_derivative(x0), rel=1e-12)
    assert x.grad == pytest.approx(by_autograd, rel=1e-12)
    assert x.grad == pytest.approx(finite_difference, rel=1e-7)
    assert lecture_function(Dual(x0, 1.0)).tangent == pytest.approx(lecture_derivative(x0), rel=1e-12)
    y = Var(x0)
    g = (y**2).exp()
    g.backward()
    assert y.grad == pytest.approx(2 * x0 * math.exp(x0**2), rel=1e-12)


def test_numbers_on_either_side_and_all_methods():
    x = Var(0.7)
    assert (2 + x).value == pytest.approx(2.7) and (x + 2).value == pytest.approx(2.7)
    assert (2 - x).value == pytest.approx(1.3) and (x - 2).value == pytest.approx(-1.3)
    assert (2 * x).value == pytest.approx(1.4) and (x * 2).value == pytest.approx(1.4)
    assert (2 / x).value == pytest.approx(2 / 0.7) and (x / 2).value == pytest.approx(0.35)
    assert (-x).value == pytest.approx(-0.7)
    f = 2 / x + 3 - x * 4 - 1 / (x**3)
    f.backward()
    assert x.grad == pytest.approx(-2 / 0.49 - 4 + 3 / 0.7**4)
    for name, derivative in [("exp", math.exp(0.7)), ("log", 1 / 0.7), ("sqrt", 0.5 / math.sqrt(0.7)),
                             ("tanh", 1 - math.tanh(0.7) ** 2), ("relu", 1.0),
                             ("sigmoid", math.exp(-0.7) / (1 + math.exp(-0.7)) ** 2)]:
        x = Var(0.7)
        getattr(x, name)().backward()
        assert x.grad == pytest.approx(derivative, rel=1e-12), name
        assert getattr(Dual(0.7, 1.0), name)().tangent == pytest.approx(derivative, rel=1e-12), name
    assert Var(-0.5).relu().value == 0.0


def test_sigmoid_is_stable_for_large_arguments():
    for z in (-1e4, 1e4):
        x = Var(z)
        y = x.sigmoid()
        y.backward()
        assert 0.0 <= y.value <= 1.0 and x.grad == 0.0


def test_shared_nodes_accumulate_and_backward_can_be_repeated():
    x = Var(3.0)
    a = x * x  # x feeds the same node twice: two edges
    f = a + a
    f.backward()
    assert x.grad == pytest.approx(12.0)
    f.backward()  # gradients are refilled, not accumulated across calls
    assert x.grad == pytest.approx(12.0)


def test_long_chains_need_no_recursion():
    x = Var(0.1)
    y = x
    for _ in range(5000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0001**5000, rel=1e-9)


def test_counts_for_the_lecture_graph():
    x = Var(0.5)
    with counting() as count:
        a = x**2
        f = (a + a.exp()).sqrt()  # x1 = x, x2 = a, x3 = exp(a), x4 = a + b, x5 = sqrt(c)
        f.backward()
    assert count.operations == 4 and count.products == 5
    assert [node.op for node in f.graph()] == ["", "**2", "exp", "+", "sqrt"]
    with counting() as count:
        lecture_function(Var(0.5))  # x**2 computed twice: one more node
    assert count.operations == 5


def test_forward_mode_is_cheaper_for_one_input_many_outputs_and_reverse_for_the_converse():
    n = 20

    def many_to_one(xs):
        total = xs[0] * xs[1]
        for i in range(1, n - 1):
            total = total + xs[i] * xs[i + 1]
        return total

    with counting() as reverse:
        xs = [Var(0.1 * i) for i in range(n)]
        many_to_one(xs).backward()
    with counting() as forward:
        for i in range(n):
            many_to_one([Dual(0.1 * j, float(i == j)) for j in range(n)])
    assert forward.operations + forward.products > 5 * (reverse.operations + reverse.products)

    def one_to_many(t):
        u = t
        for _ in range(n):  # a shared trunk that every output depends on
            u = u.tanh()
        return [u * k for k in range(1, n + 1)]

    with counting() as forward:
        one_to_many(Dual(0.3, 1.0))
    with counting() as reverse:
        t = Var(0.3)
        for output in one_to_many(t):
            output.backward()
    assert forward.products == n + 2 * n  # the trunk once, then one product per operand of each u * k
    assert reverse.products == n * (n + 2)  # every backward sweep walks the whole trunk again
    assert reverse.products > 5 * forward.products


def test_counting_blocks_nest():
    with counting() as outer:
        Var(1.0) + 1
        with counting() as inner:
            Var(1.0) * 2
    assert outer.operations == 2 and inner.operations == 1


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: Var("1"), TypeError, "value"),
        (lambda: Var(True), TypeError, "value"),
        (lambda: Var(float("nan")), ValueError, "value"),
        (lambda: Var(1.0) + "a", TypeError, "operand"),
        (lambda: Var(1.0) + Dual(1.0), TypeError, "operand"),
        (lambda: Var(1.0) ** Var(2.0), TypeError, "exponent"),
        (lambda: Var(-1.0) ** 0.5, ValueError, "differentiable"),
        (lambda: Var(0.0) ** 0.5, ValueError, "differentiable"),
        (lambda: Var(1.0) / 0, ValueError, "divisor"),
        (lambda: Var(-1.0).log(), ValueError, "log"),
        (lambda: Var(0.0).sqrt(), ValueError, "sqrt"),
        (lambda: Var(1e4).exp(), ValueError, "exp"),
        (lambda: Dual(1.0, "a"), TypeError, "tangent"),
        (lambda: Dual(1.0, float("inf")), ValueError, "tangent"),
    ],
)
def test_bad_input_raises_a_clear_error(make, error, match):
    with pytest.raises(error, match=match):
        make()


ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3),
                     st.lists(st.floats(), max_size=3), st.complex_numbers(), st.sampled_from([10**400, -10**400]))


@settings(max_examples=200, deadline=None)
@given(value=ANYTHING, other=ANYTHING)
def test_no_raw_error_escapes_for_malformed_input(value, other):
    for make in (lambda: Var(value), lambda: Dual(1.0, value), lambda: Var(1.0) + other, lambda: other * Var(2.0),
                 lambda: Var(0.5) ** other, lambda: Var(1.0) / other, lambda: Dual(0.5) - other):
        try:
            result = make()
        except (TypeError, ValueError):
            continue
        assert math.isfinite(result.value)


def test_a_missing_attribute_is_named_as_the_student_wrote_it():
    """Var's label and Dual's tangent are checked properties of their shared base class; asking a Dual for a
    label (or a Var for a tangent) names the attribute asked for, not the private one behind the property."""
    from lib.autodiff import Dual, Var

    with pytest.raises(AttributeError, match="'Dual' object has no attribute 'label'"):
        Dual(1.0).label  # noqa: B018
    with pytest.raises(AttributeError, match="'Var' object has no attribute 'tangent'"):
        Var(1.0).tangent  # noqa: B018
