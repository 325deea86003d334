"""The data sets: shapes, seeds, documented ranges, aligned splits, standardisation, input checks."""

import numpy as np
import pytest

from lib import data


def test_logic_gates():
    gates = data.logic_gates()
    assert list(gates) == ["and", "or", "xor", "nand", "nor"]
    for name, (X, y) in gates.items():
        assert X.shape == (4, 2) and X.dtype == np.float64
        assert y.shape == (4,) and y.dtype.kind == "i"
        a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
        expected = {"and": a & b, "or": a | b, "xor": a ^ b, "nand": ~(a & b), "nor": ~(a | b)}[name]
        np.testing.assert_array_equal(y, expected.astype(int))
    X, y = data.logic_gate("XOR")
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    X[0, 0] = 5  # the caller gets a copy
    assert data.logic_gate("xor")[0][0, 0] == 0
    with pytest.raises(ValueError, match="name.*xor"):
        data.logic_gate("xnor")
    with pytest.raises(TypeError, match="name"):
        data.logic_gate(None)


def test_quadratic_2d():
    X, y = data.quadratic_2d()
    assert X.shape == (100, 2) and y.shape == (100, 1)
    assert X.min() >= -1 and X.max() < 1
    x0, x1 = X.T
    exact = x0**2 + 3 * x0 * x1 + x1**2 + 5
    residual = y[:, 0] - exact
    assert 0.05 < residual.std() < 0.15  # noise 0.1
    X2, y2 = data.quadratic_2d(n=10, noise=0.0, low=0.0, high=2.0, seed=3)
    np.testing.assert_allclose(y2[:, 0], X2[:, 0] ** 2 + 3 * X2[:, 0] * X2[:, 1] + X2[:, 1] ** 2 + 5)
    assert X2.min() >= 0 and X2.max() < 2
    np.testing.assert_array_equal(data.quadratic_2d(seed=1)[0], data.quadratic_2d(seed=1)[0])
    assert not np.array_equal(data.quadratic_2d(seed=1)[0], data.quadratic_2d(seed=2)[0])
    with pytest.raises(ValueError, match="high"):
        data.quadratic_2d(low=1.0, high=1.0)
    with pytest.raises(ValueError, match="noise"):
        data.quadratic_2d(noise=-1)


def test_digits_split_and_standardisation():
    X_train, X_test, y_train, y_test = data.digits()
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    assert y_train.shape == (1437,) and y_test.shape == (360,)
    # Stratified: every digit has the same share (within one sample) in both parts.
    shares_train = np.bincount(y_train) / len(y_train)
    shares_test = np.bincount(y_test) / len(y_test)
    assert np.all(np.abs(shares_train - shares_test) < 1.5 / len(y_test))
    np.testing.assert_allclose(X_train.mean(axis=0), 0, atol=1e-12)
    stds = X_train.std(axis=0)
    assert np.all((np.abs(stds - 1) < 1e-12) | (stds == 0))  # constant pixels stay 0
    assert np.all(np.isfinite(X_test))
    raw = data.digits(standardize=False)[0]
    assert raw.min() == 0 and raw.max() == 16
    # The raw images and labels still match after the split: the pairs of load_digits are kept.
    from sklearn.datasets import load_digits
    full = load_digits()
    lookup = {row.tobytes(): label for row, label in zip(full.data, full.target, strict=True)}
    X_raw_train, _, y_raw_train, _ = data.digits(standardize=False)
    assert all(lookup[row.tobytes()] == label for row, label in zip(X_raw_train, y_raw_train, strict=True))


def test_train_test_split_keeps_pairs_aligned():
    # Errata 7: the lecture shuffles inputs and labels separately. Here each Y row encodes its X row.
    X = np.arange(50, dtype=float).reshape(25, 2)
    Y = X[:, :1] * 10
    X_train, X_test, Y_train, Y_test = data.train_test_split(X, Y, test_size=0.2, seed=1)
    assert len(X_test) == 5 and len(X_train) == 20
    np.testing.assert_array_equal(Y_train, X_train[:, :1] * 10)
    np.testing.assert_array_equal(Y_test, X_test[:, :1] * 10)
    assert sorted(np.concatenate([X_train, X_test])[:, 0]) == list(X[:, 0])  # a partition
    assert not np.array_equal(X_train[:, 0], np.sort(X_train[:, 0]))  # shuffled


def test_train_test_split_stratified_and_sizes():
    y = np.array([0] * 80 + [1] * 20)
    X = np.arange(100)
    _, X_test, _, y_test = data.train_test_split(X, y, test_size=0.1, stratify=y)
    assert np.bincount(y_test).tolist() == [8, 2]
    np.testing.assert_array_equal(y[X_test], y_test)
    _, X_test, _, _ = data.train_test_split(X, y, test_size=7)
    assert len(X_test) == 7
    a = data.train_test_split(X, y, seed=3)[1]
    b = data.train_test_split(X, y, seed=3)[1]
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"X": np.zeros((5, 2)), "Y": np.zeros(4)}, "Y"),
    ({"X": np.zeros((5, 2)), "Y": np.zeros(5), "test_size": 0.0}, "test_size"),
    ({"X": np.zeros((5, 2)), "Y": np.zeros(5), "test_size": 5}, "test_size"),
    ({"X": np.zeros((5, 2)), "Y": np.zeros(5), "stratify": np.zeros(4)}, "stratify"),
    ({"X": np.zeros((1, 2)), "Y": np.zeros(1)}, "X"),
    ({"X": [[1.0, np.nan]] * 3, "Y": np.zeros(3)}, "X"),
    ({"X": np.zeros((5, 2)), "Y": np.zeros(5), "seed": -1}, "seed"),
])
def test_train_test_split_errors(kwargs, name):
    with pytest.raises(ValueError, match=name):
        data.train_test_split(**kwargs)


def test_one_hot():
    np.testing.assert_array_equal(data.one_hot([2, 0, 1]), np.eye(3)[[2, 0, 1]])
    assert data.one_hot(np.array([0, 1]), n_classes=4).shape == (2, 4)
    with pytest.raises(ValueError, match="n_classes"):
        data.one_hot([0, 3], n_classes=3)
    with pytest.raises(ValueError, match="labels"):
        data.one_hot([0.5, 1])
    with pytest.raises(ValueError, match="labels"):
        data.one_hot([-1, 1])


def test_standardize_uses_training_statistics_only():
    X_train = np.array([[0.0, 5.0], [2.0, 5.0]])
    X_test = np.array([[4.0, 6.0]])
    train, test = data.standardize(X_train, X_test)
    np.testing.assert_allclose(train, [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(test, [[3.0, 1.0]])  # (4 - 1) / 1; constant column: only shifted
    with pytest.raises(ValueError, match="X_test"):
        data.standardize(X_train, np.zeros((1, 3)))


@pytest.mark.parametrize("make", [data.circles, data.moons, data.spirals, data.xor_blobs])
def test_2d_sets(make):
    X, y = make(n=101, seed=5)
    assert X.shape == (101, 2) and y.shape == (101,) and y.dtype.kind == "i"
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1  # balanced
    assert np.abs(X).max() < 4
    X2, y2 = make(n=101, seed=5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(n=101, seed=6)[0])
    with pytest.raises(ValueError, match="n"):
        make(n=0)
    with pytest.raises(ValueError, match="noise"):
        make(noise=-0.1)


def test_2d_sets_have_their_shape():
    X, y = data.circles(n=400, noise=0.0, factor=0.3)
    radius = np.hypot(*X.T)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    X, y = data.xor_blobs(n=400, noise=0.1)
    assert np.mean((X[:, 0] * X[:, 1] < 0) == (y == 1)) > 0.99
    X, y = data.spirals(n=300, n_classes=3)
    assert set(y) == {0, 1, 2}
    X, y = data.moons(n=200, noise=0.0)
    assert np.all(X[y == 0, 1] >= 0) and np.all(X[y == 1, 1] <= 0.5)
