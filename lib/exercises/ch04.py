"""Answer keys of chapter 04's exercises (the sigmoid neuron's gradient, Rosenblatt's rule, cross-entropy).

Introduced in chapter 04.
"""

import functools

import numpy as np

from lib.activations import sigmoid, sigmoid_prime
from lib.checks import CheckError, call_student, check_close, check_function
from lib.data import logic_gate
from lib.exercises import answer_key, require_answer
from lib.perceptron import perceptron_step


@functools.cache
def _neuron_model():
    from lib.symbolic import perceptron_model

    return perceptron_model("sigmoid")


def _neuron_gradient(X, Y, w, b):
    return _neuron_model().gradient_value(X, Y, [w, b])


def _without_sigma_prime(X, Y, w, b):
    error = sigmoid(w * X + b) - Y
    return np.array([np.mean(error * X), np.mean(error)])


def _sigma_prime_of_a(X, Y, w, b):
    # sigma'(z) = a (1 - a) invites sigmoid_prime(a); sigmoid_prime wants z
    a = sigmoid(w * X + b)
    delta = (a - Y) * sigmoid_prime(a)
    return np.array([np.mean(delta * X), np.mean(delta)])


@answer_key("ex-04-batch-gradient")
def batch_gradient_key(neuron_gradient):
    """`neuron_gradient(X, Y, w, b)` against SymPy's gradient of the batch-mean squared error."""
    rng = np.random.default_rng(4)
    cases = [(rng.uniform(-2, 2, (6, 1)), rng.uniform(0, 1, (6, 1)), rng.normal(), rng.normal()) for _ in range(3)]
    check_function(
        neuron_gradient, _neuron_gradient, cases, name="neuron_gradient", rtol=1e-10,
        mistakes={
            "it is the sum over the samples; lib's cost is the mean, so its gradient is the mean too":
                lambda X, Y, w, b: len(X) * _neuron_gradient(X, Y, w, b),
            "the factor da/dz, the sigmoid's slope at z, is missing": _without_sigma_prime,
            "it points uphill: the error is the wrong way round":
                lambda X, Y, w, b: -_neuron_gradient(X, Y, w, b),
            "dC/dw lacks the factor dz/dw":
                lambda X, Y, w, b: np.repeat(_neuron_gradient(X, Y, w, b)[1], 2),
            "the two entries are swapped: the array is (dC/dw, dC/db)":
                lambda X, Y, w, b: _neuron_gradient(X, Y, w, b)[::-1],
            "sigmoid_prime takes the weighted input z, not the activation a = sigmoid(z): it computes "
            "sigma(z) (1 - sigma(z)) from z itself": _sigma_prime_of_a,
        },
        hint="compute the error delta of every sample at once (arrays of shape (n, 1)), then average.",
    )


def _rosenblatt(X, y, w, b, learning_rate):
    w, b = np.array(w, dtype=float), float(b)
    for x_k, y_k in zip(X, y, strict=True):
        w, b = perceptron_step(w, b, x_k, y_k, learning_rate)
    return w, b


def _all_at_once(X, y, w, b, learning_rate):
    error = y - (X @ w + b > 0)
    return w + learning_rate * error @ X, b + learning_rate * error.sum()


def _flipped(X, y, w, b, learning_rate):
    w, b = np.array(w, dtype=float), float(b)
    for x_k, y_k in zip(X, y, strict=True):
        error = float(x_k @ w + b > 0) - y_k
        w, b = w + learning_rate * error * x_k, b + learning_rate * error
    return w, b


def _on_the_line_is_1(X, y, w, b, learning_rate):
    w, b = np.array(w, dtype=float), float(b)
    for x_k, y_k in zip(X, y, strict=True):
        error = y_k - float(x_k @ w + b >= 0)
        w, b = w + learning_rate * error * x_k, b + learning_rate * error
    return w, b


def _no_bias(X, y, w, b, learning_rate):
    w = np.array(w, dtype=float)
    for x_k, y_k in zip(X, y, strict=True):
        w, _ = perceptron_step(w, b, x_k, y_k, learning_rate)
    return w, b


@answer_key("ex-04-rosenblatt-sweep")
def rosenblatt_sweep_key(rosenblatt_sweep):
    """`rosenblatt_sweep(X, y, w, b, learning_rate)` against lib's perceptron, with lib.perceptron forbidden."""
    rng = np.random.default_rng(5)
    cases = [(X_gate, y_gate, np.zeros(2), 0.0, 1.0) for X_gate, y_gate in (logic_gate("and"), logic_gate("xor"))]
    cases += [(rng.normal(size=(8, 3)), rng.integers(0, 2, 8), rng.normal(size=3), 0.1, 0.5)]
    check_function(
        rosenblatt_sweep, _rosenblatt, cases, name="rosenblatt_sweep (w, b)",
        forbid=("lib.perceptron.perceptron_step", "lib.perceptron.perceptron_predict", "lib.perceptron.Perceptron"),
        mistakes={
            "every sample is predicted with the weights from before the sweep: the rule updates "
            "after each sample, and the next prediction uses the new weights": _all_at_once,
            "the update goes the wrong way: the error is target minus prediction": _flipped,
            "the bias never changes: it is updated like a weight whose input is always 1": _no_bias,
            "a point with w · x + b = 0 is predicted 1; Rosenblatt's unit says 1 only when w · x + b > 0, "
            "and 0 otherwise": _on_the_line_is_1,
        },
        hint="loop over the samples in order; for each, predict with the current w and b, then update both.",
    )
    for case in cases:
        _require_w_unchanged(rosenblatt_sweep, case)


def _require_w_unchanged(rosenblatt_sweep, case):
    """The caller's w is the same after the call. call_student passes a deep copy, so the student's function is
    called here on an array the key keeps, and that array comes back for comparison."""
    def sweep_and_return_w(X, y, w, b, learning_rate):
        rosenblatt_sweep(X, y, w, b, learning_rate)
        return w

    w_after = call_student(sweep_and_return_w, case, name="rosenblatt_sweep")
    if not np.array_equal(w_after, case[2]):
        raise CheckError(
            "rosenblatt_sweep changed the caller's w in place: work on a copy (w = np.array(w, dtype=float) "
            "first, as the hint says, or w = w + ... instead of w += ...)."
        )


@answer_key("ex-04-cross-entropy-delta")
def cross_entropy_delta_key(delta_cross_entropy):
    """`delta_cross_entropy`, a SymPy expression in z and y, against a - y at a few points."""
    import sympy as sp

    require_answer(delta_cross_entropy, "delta_cross_entropy")
    if not isinstance(delta_cross_entropy, sp.Basic):
        raise CheckError(
            f"delta_cross_entropy is a {type(delta_cross_entropy).__name__}, expected a SymPy expression in z and y."
        )
    symbols = {symbol.name: symbol for symbol in delta_cross_entropy.free_symbols}
    unknown = sorted(set(symbols) - {"z", "y"})
    if unknown:
        raise CheckError(
            f"delta_cross_entropy contains {', '.join(unknown)}: write it in z and y only "
            "(substitute a = sigma(z))."
        )
    z, y = symbols.get("z", sp.Symbol("z")), symbols.get("y", sp.Symbol("y"))
    z_values = np.array([-3.0, -0.5, 0.4, 2.0])
    y_values = np.array([1.0, 0.0, 0.3, 0.9])
    function = sp.lambdify((z, y), delta_cross_entropy, "numpy")
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(function(z_values, y_values), dtype=float), z_values.shape)
    a_values = sigmoid(z_values)
    check_close(values, a_values - y_values, name="delta at four (z, y) points", rtol=1e-9, mistakes={
        "this is the squared error's delta: differentiate the cross-entropy instead":
            (a_values - y_values) * sigmoid_prime(z_values),
        "the sign is flipped: mind the minus sign in front of C": y_values - a_values,
        "this is dC/da, not dC/dz: the chain rule needs da/dz too":
            (a_values - y_values) / (a_values * (1 - a_values)),
    }, hint="C depends on z through a = sigma(z): write a in terms of z, differentiate with sp.diff, "
            "then sp.simplify.")
    print("delta - sigma(z) simplifies to", sp.simplify(delta_cross_entropy - 1 / (1 + sp.exp(-z))))
