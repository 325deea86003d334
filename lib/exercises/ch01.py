"""Answer keys of chapter 01's exercises (logic gates, least squares, logistic regression).

Introduced in chapter 01.
"""

import numpy as np

from lib.activations import sigmoid
from lib.checks import CheckError, NotImplementedYet, call_student, check_close, check_function, diagnose
from lib.data import logic_gate
from lib.exercises import answer_key, require_answer
from lib.linear_models import LogisticRegressionGD, design_matrix, least_squares

GATES = ("and", "or", "xor")


@answer_key("ex-01-normal-equations")
def normal_equations_key(normal_equations):
    """`normal_equations(X, y)` against lib's least squares, with least_squares and explicit inverses forbidden."""
    rng = np.random.default_rng(1)
    cases = [logic_gate(gate) for gate in GATES] + [(rng.normal(size=(6, 2)), rng.normal(size=6))]
    forbid = ("lib.linear_models.least_squares", "lib.linear_models.LeastSquares",
              "numpy.linalg.inv", "numpy.linalg.pinv", "numpy.linalg.lstsq")
    try:
        _check_normal_equations(normal_equations, cases, forbid)
    except CheckError as error:
        if not isinstance(error, NotImplementedYet) and _solves_for_y(normal_equations, forbid):
            # from the student's own error, if it raised: its traceback points at the line
            raise CheckError(
                "theta is wrong in a known way: the right-hand side of the normal equations is D^T y, not y "
                "(D^T D is (3, 3) and y has one entry per sample, so with n != 3 samples the shapes do not fit)."
            ) from error.__cause__
        raise


def _solves_for_y(normal_equations, forbid):
    """Does normal_equations solve D^T D theta = y (D^T missing on the right)? Asked on 3 samples, where
    D^T D and y fit, so that mistake returns a value instead of raising."""
    rng = np.random.default_rng(11)
    X, y = rng.normal(size=(3, 2)), rng.normal(size=3)
    D = design_matrix(X)
    try:
        theta = call_student(normal_equations, (X, y), name="theta", forbid=forbid)
    except CheckError:
        return False
    return diagnose(theta, np.linalg.solve(D.T @ D, y)) is None


def _check_normal_equations(normal_equations, cases, forbid):
    check_function(
        normal_equations, least_squares, cases, name="theta", rtol=1e-9, forbid=forbid,
        mistakes={
            "the column of ones is missing, so there is no intercept theta0: build D from X first":
                lambda X, y: np.linalg.solve(X.T @ X, X.T @ y),
            "the column of ones is last: theta0, the intercept, comes first in D = [1, x1, x2]":
                lambda X, y: np.roll(least_squares(X, y), -1),
        },
        hint="write D^T D theta = D^T y out for D = [1, x1, x2], and check the shapes: D is (n, 3), theta (3,).",
    )


def _logistic_gradient(X, y, w, b):
    model = LogisticRegressionGD()
    model.w, model.b = np.asarray(w, dtype=float), float(b)
    return model.gradients(X, y)[0]


def _extra_sigma_prime(X, y, w, b):
    # the squared-error habit: (p - y) times sigma'(z) once more
    p = sigmoid(np.asarray(X, dtype=float) @ w + b)
    return X.T @ ((p - y) * p * (1 - p)) / len(y)


@answer_key("ex-01-cross-entropy-gradient")
def cross_entropy_gradient_key(cross_entropy_gradient):
    """`cross_entropy_gradient(X, y, w, b)` against lib's logistic regression."""
    rng = np.random.default_rng(2)
    cases = [(rng.normal(size=(5, 3)), rng.integers(0, 2, size=5), rng.normal(size=3), rng.normal())
             for _ in range(3)]
    check_function(
        cross_entropy_gradient, _logistic_gradient, cases, name="dC/dw",
        mistakes={
            "it is the sum over the samples; the cost is the mean, so its gradient is a mean too":
                lambda X, y, w, b: len(y) * _logistic_gradient(X, y, w, b),
            "it uses z = X w + b where the probability p = sigma(z) belongs":
                lambda X, y, w, b: X.T @ (X @ w + b - y) / len(y),
            "it points uphill: the difference is the wrong way round":
                lambda X, y, w, b: -_logistic_gradient(X, y, w, b),
            "it ignores the bias b: z = X w + b":
                lambda X, y, w, b: _logistic_gradient(X, y, w, 0.0),
            "it has an extra factor p (1 - p): that is sigma'(z) itself; simplify dC/dp first, over a common "
            "denominator, and see what is left after multiplying by sigma'(z)":
                lambda X, y, w, b: _extra_sigma_prime(X, y, w, b),
        },
        hint="differentiate one sample's term with respect to p_i, over a common denominator, then multiply by "
             "dp_i/dz_i = p_i (1 - p_i) and by dz_i/dw = x_i; with samples as rows, the sum over samples is one "
             "matrix product.",
    )


def _with_product(X):
    X = np.asarray(X, dtype=float)
    return np.column_stack([X, X[:, 0] * X[:, 1]])


@answer_key("ex-01-product-feature")
def product_feature_key(product_features):
    """`product_features(X)` on the XOR inputs and on real-valued inputs; after a pass, fit XOR with it."""
    X_xor, y_xor = logic_gate("xor")
    rng = np.random.default_rng(3)
    cases = [X_xor, rng.normal(size=(5, 2))]
    check_function(
        product_features, _with_product, cases, name="product_features(X)",
        mistakes={
            "the third column is x1 + x2; the interaction is the product of the inputs":
                lambda X: np.column_stack([X, X.sum(axis=1)]),
            "it has a column of ones: least_squares adds that itself":
                lambda X: np.column_stack([np.ones(len(X)), X, X[:, 0] * X[:, 1]]),
            "the third column is only the AND of 0/1 inputs: on real inputs it must be the product x1 x2":
                lambda X: np.column_stack([X, np.logical_and(X[:, 0], X[:, 1])]),
            "the new column comes first: keep x1 and x2 as the first two columns":
                lambda X: np.column_stack([X[:, 0] * X[:, 1], X]),
        },
        hint="np.column_stack puts 1-D arrays side by side as columns; X[:, 0] is the column x1.",
    )
    features = call_student(product_features, (X_xor,), name="product_features")
    theta = least_squares(features, y_xor)
    print("theta =", np.round(theta, 6) + 0.0, "(theta0, then one weight per column)")
    check_close(design_matrix(features) @ theta, y_xor, atol=1e-9, name="the fit to XOR")


__all__ = ["normal_equations_key", "cross_entropy_gradient_key", "product_feature_key", "require_answer"]
