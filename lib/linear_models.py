"""Linear models for the logic gates: least squares with the design matrix, and logistic regression by gradient descent.

Introduced in chapter 01. Samples are rows: X has shape (n_samples, n_features).
"""

import functools

import numpy as np

from lib import _validate
from lib.activations import sigmoid


def _inputs(X):
    X = _validate.as_float_array("X", X, ndim=(1, 2))
    return X.reshape(-1, 1) if X.ndim == 1 else X


def _targets(y, D, labels=False):
    """y as a float array with one target per row of D (X or the design matrix), checked: at least one sample,
    labels 0/1 if `labels`, and D and y small enough that D^T D and D^T y stay in the float range."""
    y = _validate.as_float_array("y", y, ndim=1)
    if y.shape[0] != D.shape[0]:
        raise ValueError(f"y: expected {D.shape[0]} targets (one per row of X), got {y.shape[0]}")
    if D.shape[0] == 0:
        raise ValueError("X: expected at least one sample to fit, got 0 rows")
    if labels:
        _validate.binary_labels("y", y)
    # sqrt of the float range, shared between the n terms of a sum of products
    limit = np.sqrt(np.finfo(np.float64).max / (D.shape[0] * max(D.shape[1], 1)))
    for name, array in (("X", D), ("y", y)):
        if np.abs(array).max(initial=0.0) > limit:
            raise ValueError(f"{name}: values up to {np.abs(array).max():.3g} are too large (sums of products "
                             f"overflow above about {limit:.3g}); scale the data")
    return y


def _columns(X, w):
    X = _inputs(X)
    if X.shape[1] != w.size:
        raise ValueError(f"X: expected {w.size} columns (the features the model was fitted on), got {X.shape[1]}")
    return X


def design_matrix(X):
    """The design matrix [1, x1, x2, ...]: a column of ones (for the intercept) next to the inputs.

    Introduced in chapter 01.
    """
    X = _inputs(X)
    return np.hstack([np.ones((X.shape[0], 1)), X])


def least_squares(X, y):
    """Least-squares parameters theta = (D^T D)^+ D^T y for the design matrix D of X;
    theta[0] is the intercept.

    The pseudo-inverse ^+ equals the inverse when D has full column rank and still gives
    the minimum-norm solution when it does not.

    Introduced in chapter 01.
    """
    D = design_matrix(X)
    return _least_squares(D, _targets(y, D))


def _least_squares(D, y):
    """theta = (D^T D)^+ D^T y for a design matrix D and targets y that
    `least_squares` has checked.

    Introduced in chapter 01.
    """
    return np.linalg.pinv(D.T @ D) @ D.T @ y


class LeastSquares:
    """Ordinary least squares on the design matrix, as a model with `fit` and `predict`.

    `predict` returns the fitted values D theta (real numbers, not classes): read them as "how much the
    model says 1", with the decision threshold at 0.5.

    Introduced in chapter 01.
    """

    def fit(self, X, y):
        """Fit theta = (D^T D)^+ D^T y and return self. Introduced in chapter 01."""
        self.theta = least_squares(X, y)
        return self

    def predict(self, X):
        """The fitted values D theta. Introduced in chapter 01."""
        if not hasattr(self, "theta"):
            raise ValueError("LeastSquares.predict: call fit(X, y) first")
        D = design_matrix(X)
        if D.shape[1] != self.theta.size:
            raise ValueError(f"X: expected {self.theta.size - 1} columns (the features of fit), got {D.shape[1] - 1}")
        return _validate.finite_result("X", "D theta overflows the float range; scale the inputs",
                                       lambda: D @ self.theta)


def _reports_divergence(fit):
    """Run `fit` ignoring floating-point overflow, then raise DivergenceError if the parameters or the loss are
    not finite (a learning rate too large for the data), instead of an error from deep inside a step."""

    @functools.wraps(fit)
    def checked_fit(self, X, y):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            result = fit(self, X, y)
        finite = np.all(np.isfinite(self.w)) and np.isfinite(self.b) and np.all(np.isfinite(self.history))
        if not finite:
            from lib.network import DivergenceError  # lib.network imports much more than this module needs

            raise DivergenceError(f"learning_rate: gradient descent diverged (learning_rate={self.learning_rate!r}: "
                                  "the parameters or the loss overflowed); use a smaller learning_rate")
        return result

    return checked_fit


class LogisticRegressionGD:
    """Logistic regression p = sigmoid(X w + b) fitted by full-batch gradient descent on the cross-entropy.

    The cost is the mean binary cross-entropy plus (l2 / 2) ||w||^2 (the intercept b is not penalised,
    as in scikit-learn). Its gradient is dC/dw = X^T (p - y) / n + l2 w and dC/db = mean(p - y).

    Introduced in chapter 01.
    """

    def __init__(self, learning_rate=1.0, epochs=2000, l2=0.0):
        self.learning_rate = _validate.positive_number("learning_rate", learning_rate)
        self.epochs = _validate.count("epochs", epochs)
        self.l2 = _validate.non_negative("l2", l2)

    def decision_function(self, X):
        """z = X w + b. Introduced in chapter 01."""
        if not hasattr(self, "w"):
            raise ValueError("LogisticRegressionGD: call fit(X, y) first")
        return _validate.finite_result("X", "X w + b overflows the float range; scale the inputs",
                                       lambda: _columns(X, self.w) @ self.w + self.b)

    # The fit loop calls these on validated arrays: validation once per fit, not once per step.
    def _loss(self, X, y):
        z = X @ self.w + self.b
        cross_entropy = np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))
        return cross_entropy + 0.5 * self.l2 * self.w @ self.w

    def _gradients(self, X, y):
        residual = sigmoid(X @ self.w + self.b) - y  # n * dC/dz for each sample
        return X.T @ residual / X.shape[0] + self.l2 * self.w, residual.mean()

    def loss(self, X, y):
        """Mean binary cross-entropy plus the L2 penalty, computed from z without overflow.

        -log p = log(1 + exp(-z)) and -log(1 - p) = log(1 + exp(z)); np.logaddexp computes them stably.

        Introduced in chapter 01.
        """
        self.decision_function(X)  # fails clearly before fit, and on the wrong number of columns
        X = _inputs(X)
        return self._loss(X, _targets(y, X, labels=True))

    def gradients(self, X, y):
        """(dC/dw, dC/db) of :meth:`loss`. Introduced in chapter 01."""
        self.decision_function(X)
        X = _inputs(X)
        return self._gradients(X, _targets(y, X, labels=True))

    @_reports_divergence
    def fit(self, X, y):
        """Start from w = 0, b = 0 and take `epochs` gradient steps; record the loss per
        epoch in `history`.

        Introduced in chapter 01.
        """
        X = _inputs(X)
        return self._fit(X, _targets(y, X, labels=True))

    def _fit(self, X, y):
        """`epochs` gradient steps from w = 0, b = 0, recording the loss of each epoch in
        `history`, on the inputs and labels that `fit` has checked.

        Introduced in chapter 01.
        """
        self.w, self.b = np.zeros(X.shape[1]), 0.0
        self.history = []
        for _ in range(self.epochs):
            dw, db = self._gradients(X, y)
            self.w = self.w - self.learning_rate * dw
            self.b = self.b - self.learning_rate * db
            self.history.append(self._loss(X, y))
        return self

    def predict_proba(self, X):
        """Probabilities of class 0 and class 1, shape (n_samples, 2) as in scikit-learn. Introduced in chapter 01."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        """Class labels: 1 where p > 0.5, else 0 (a tie p = 0.5 gives 0, as in scikit-learn).

        Introduced in chapter 01.
        """
        return (self.decision_function(X) > 0).astype(int)
