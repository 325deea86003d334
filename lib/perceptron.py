"""Rosenblatt's perceptron: a threshold unit and the learning rule that needs no derivative.

Introduced in chapter 04. The unit outputs 1 when w . x + b > 0 and 0 otherwise. After each sample it moves the
weights by learning_rate * (y - prediction) * x: nothing happens when the prediction is right, and a mistake
pushes w towards x (a missed 1) or away from it (a false 1). When a line (hyperplane) separates the two classes
the rule stops after finitely many mistakes (the perceptron convergence theorem); when none does, as for XOR,
it never stops making mistakes.
"""

import numpy as np

from lib import _validate
from lib._validate import as_float_array, binary_labels, boolean, finite_number, positive_number


def perceptron_predict(X, w, b):
    """Return 1 where X @ w + b > 0 and 0 elsewhere (one label per row of X).

    Introduced in chapter 04.
    """
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w, ndim=1)
    if w.size != X.shape[1]:
        raise ValueError(f"w: expected {X.shape[1]} weights (one per column of X), got {w.size}")
    return (_weighted_sum(X, w, finite_number("b", b)) > 0).astype(np.int64)


def _weighted_sum(X, w, b):
    """X @ w + b, or a ValueError if it leaves the float range (then its sign is unknown)."""
    with np.errstate(over="ignore", invalid="ignore"):
        z = X @ w + b
    if not np.all(np.isfinite(z)):
        raise ValueError("w: X @ w + b overflows the float range; scale the inputs or the weights")
    return z


def perceptron_step(w, b, x, y, learning_rate=1.0):
    """One application of Rosenblatt's rule to the sample (x, y); returns the new
    (w, b).

    w <- w + learning_rate * (y - y_hat) * x and b <- b + learning_rate * (y - y_hat),
    with y_hat the unit's prediction for x. Introduced in chapter 04.
    """
    x = as_float_array("x", x, ndim=1)
    w = as_float_array("w", w, ndim=1)
    if w.size != x.size:
        raise ValueError(f"w: expected {x.size} weights (one per input), got {w.size}")
    b, y = _step_arguments(x, w, b, y, learning_rate)
    return _perceptron_step(w, b, x, y, learning_rate)


def _perceptron_step(w, b, x, y, learning_rate):
    """Rosenblatt's rule, w <- w + learning_rate (y - y_hat) x and
    b <- b + learning_rate (y - y_hat), for the arguments `perceptron_step` has
    checked.

    Introduced in chapter 04.
    """
    y_hat = float(x @ w + b > 0)  # the unit's prediction, 1 or 0
    error = y - y_hat  # +1: predicted 0 for a 1; -1: predicted 1 for a 0; 0: right
    return w + learning_rate * error * x, b + learning_rate * error


def _step_arguments(x, w, b, y, learning_rate):
    """Check b, y and learning_rate of perceptron_step, and that the step stays in the float range; return b
    and y as floats."""
    b = finite_number("b", b)
    y = finite_number("y", y)
    if y not in (0.0, 1.0):
        raise ValueError(f"y: expected the label 0 or 1, got {y!r}")
    positive_number("learning_rate", learning_rate)
    _weighted_sum(x[None, :], w, b)
    with np.errstate(over="ignore"):
        reach = np.abs(w).max(initial=0.0) + learning_rate * np.abs(x).max(initial=0.0), abs(b) + learning_rate
    if not np.all(np.isfinite(reach)):
        raise ValueError("learning_rate: the step w + learning_rate * x overflows the float range; use a smaller "
                         "learning_rate or scale the inputs")
    return b, y


class Perceptron:
    """Rosenblatt's perceptron with ``n_inputs`` inputs, weights and bias starting at zero.

    ``fit(X, y)`` starts again from zero weights, sweeps the samples in order (shuffled each epoch if
    ``shuffle``), applies :func:`perceptron_step` to each, and stops after the first epoch without a mistake.
    ``mistakes`` lists the number of mistakes per epoch of the last fit; ``converged`` says whether it reached
    an epoch without mistakes.

    Introduced in chapter 04.
    """

    def __init__(self, n_inputs, learning_rate=1.0):
        self.w = np.zeros(_validate.count("n_inputs", n_inputs))
        self.b = 0.0
        self.learning_rate = positive_number("learning_rate", learning_rate)
        self.mistakes = []
        self.converged = False

    def predict(self, X):
        """Labels 0/1 for the rows of X. Introduced in chapter 04."""
        return perceptron_predict(X, self.w, self.b)

    def fit(self, X, y, epochs=100, shuffle=False, seed=0):
        """Train with Rosenblatt's rule for at most ``epochs`` sweeps; return ``self.mistakes``.

        Introduced in chapter 04.
        """
        X = as_float_array("X", X, ndim=2)
        if X.shape[1] != self.w.size:
            raise ValueError(f"X: expected {self.w.size} columns (one per input), got shape {X.shape}")
        if X.shape[0] == 0:
            raise ValueError("X: expected at least one sample, got 0 rows")
        y = binary_labels("y", as_float_array("y", y).reshape(-1))
        if y.size != X.shape[0]:
            raise ValueError(f"y: expected {X.shape[0]} labels (one per row of X), got {y.size}")
        epochs = _validate.count("epochs", epochs)
        shuffle = boolean("shuffle", shuffle)
        rng = np.random.default_rng(_validate.seed(seed))
        # Every fit starts from the same state: zero weights, no mistakes counted.
        self.w, self.b = np.zeros_like(self.w), 0.0
        self.mistakes, self.converged = [], False
        for _ in range(epochs):
            order = rng.permutation(len(y)) if shuffle else range(len(y))
            mistakes = 0
            for i in order:
                w, b = perceptron_step(self.w, self.b, X[i], y[i], self.learning_rate)
                mistakes += int(b != self.b or np.any(w != self.w))
                self.w, self.b = w, b
            self.mistakes.append(mistakes)
            if mistakes == 0:
                self.converged = True
                break
        return self.mistakes
