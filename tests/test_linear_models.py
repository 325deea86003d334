"""lib.linear_models and lib.plotting.plot_decision_boundary (chapter 01)."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from lib.data import logic_gate
from lib.linear_models import LeastSquares, LogisticRegressionGD, design_matrix, least_squares
from lib.plotting import plot_decision_boundary

X_GATE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_design_matrix_puts_a_column_of_ones_first():
    D = design_matrix(X_GATE)
    assert D.shape == (4, 3)
    np.testing.assert_array_equal(D[:, 0], 1)
    np.testing.assert_array_equal(D[:, 1:], X_GATE)
    assert design_matrix(np.arange(3.0)).shape == (3, 2)  # a 1-D X is one feature


def test_least_squares_matches_numpy_lstsq_on_random_data():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    expected = np.linalg.lstsq(design_matrix(X), y, rcond=None)[0]
    np.testing.assert_allclose(least_squares(X, y), expected, rtol=1e-10)


def test_least_squares_on_the_gates():
    np.testing.assert_allclose(least_squares(*logic_gate("and")), [-0.25, 0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(least_squares(*logic_gate("or")), [0.25, 0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(least_squares(*logic_gate("xor")), [0.5, 0, 0], atol=1e-12)
    model = LeastSquares().fit(*logic_gate("xor"))
    np.testing.assert_allclose(model.predict(X_GATE), 0.5, atol=1e-12)


def test_least_squares_with_a_singular_design_gives_the_minimum_norm_solution():
    X = np.column_stack([X_GATE, X_GATE[:, 0]])  # a repeated column: D^T D is singular
    theta = least_squares(X, [0, 1, 1, 1])
    np.testing.assert_allclose(theta, np.linalg.pinv(design_matrix(X)) @ [0, 1, 1, 1], atol=1e-10)


def numerical_gradient(model, X, y, eps=1e-6):
    def cost(w, b):
        model.w, model.b = w, b
        return model.loss(X, y)

    w0, b0 = model.w.copy(), model.b
    dw = np.array([(cost(w0 + eps * e, b0) - cost(w0 - eps * e, b0)) / (2 * eps) for e in np.eye(len(w0))])
    db = (cost(w0, b0 + eps) - cost(w0, b0 - eps)) / (2 * eps)
    model.w, model.b = w0, b0
    return dw, db


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_logistic_gradients_match_finite_differences(l2):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 2, size=7)
    model = LogisticRegressionGD(l2=l2)
    model.w, model.b = rng.normal(size=3), 0.4
    dw, db = model.gradients(X, y)
    dw_num, db_num = numerical_gradient(model, X, y)
    np.testing.assert_allclose(dw, dw_num, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(db, db_num, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("gate", ["and", "or", "xor", "nand"])
def test_logistic_regression_matches_scikit_learn_with_the_same_penalty(gate):
    X, y = logic_gate(gate)
    C = 100.0
    ours = LogisticRegressionGD(learning_rate=4.0, epochs=1000, l2=1 / (C * len(X))).fit(X, y)
    theirs = LogisticRegression(C=C, tol=1e-10, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_logistic_regression_on_xor_never_leaves_the_start():
    model = LogisticRegressionGD(epochs=50).fit(*logic_gate("xor"))
    np.testing.assert_allclose(model.history, np.log(2), atol=1e-15)
    np.testing.assert_array_equal(model.w, 0)


def test_logistic_regression_is_stable_for_huge_inputs():
    X = np.array([[-1e4], [1e4]])
    model = LogisticRegressionGD(learning_rate=1.0, epochs=3).fit(X, [0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(model.loss(X, [1, 0]))
        p = model.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="learning_rate"):
        LogisticRegressionGD(learning_rate=-1)
    with pytest.raises(TypeError, match="epochs"):
        LogisticRegressionGD(epochs=2.5)
    with pytest.raises(ValueError, match="l2"):
        LogisticRegressionGD(l2=-0.1)
    with pytest.raises(ValueError, match="y: expected 4 targets"):
        least_squares(X_GATE, [0, 1, 1])
    with pytest.raises(ValueError, match="X: contains NaN"):
        design_matrix([[0.0, np.nan]])
    with pytest.raises(ValueError, match="call fit"):
        LogisticRegressionGD().predict(X_GATE)
    with pytest.raises(ValueError, match="call fit"):
        LeastSquares().predict(X_GATE)
    with pytest.raises(TypeError, match="X"):
        design_matrix("abc")


# --- plot_decision_boundary -----------------------------------------------------------------------------------


def test_plot_decision_boundary_draws_the_boundary_and_counts_correct_points():
    X, y = logic_gate("and")
    model = LogisticRegressionGD(learning_rate=4.0, epochs=200).fit(X, y)
    ax = plot_decision_boundary(model, X, y, title="AND")
    assert ax.get_title() == "AND: 4/4 correct"
    assert len(ax.collections) >= 3  # the coloured plane, the boundary, the points
    plt.close("all")


def test_plot_decision_boundary_says_when_there_is_no_boundary():
    X, y = logic_gate("xor")
    fig, ax = plt.subplots()
    plot_decision_boundary(LeastSquares().fit(X, y), X, y, ax=ax, colorbar=False)
    assert any("no boundary" in text.get_text() for text in ax.texts)
    assert ax.get_title() == "2/4 correct"
    assert len(fig.axes) == 1  # no colour bar
    plt.close("all")


def test_plot_decision_boundary_accepts_a_function():
    X, y = logic_gate("xor")
    ax = plot_decision_boundary(lambda points: (points[:, 0] != points[:, 1]).astype(float), X, y)
    assert ax.get_title() == "4/4 correct"
    plt.close("all")


def test_plot_decision_boundary_rejects_bad_input():
    X, y = logic_gate("or")
    with pytest.raises(TypeError, match="model_or_predict_fn"):
        plot_decision_boundary(3, X, y)
    with pytest.raises(ValueError, match="X: expected 2 input columns"):
        plot_decision_boundary(LeastSquares().fit(X, y), np.ones((4, 3)), y)
    with pytest.raises(ValueError, match="y: expected 4 labels"):
        plot_decision_boundary(LeastSquares().fit(X, y), X, y[:3])
    plt.close("all")
