"""Data sets of the book, all generated here or shipped with scikit-learn (nothing is downloaded), all seeded.

Introduced in chapter 01. Conventions: inputs ``X`` have one sample per row; class labels ``y`` are a 1-D int
array; regression targets are a column ``(n, 1)``. The same seed gives the same data on every machine.
"""

import functools
import numbers

import numpy as np

from lib import _validate
from lib._validate import choice, finite_number, non_negative, positive_number

_GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
_GATE_TARGETS = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
}


_MAX_SAMPLES = 10**6  # far more than any chapter uses; more would only exhaust the memory
_MAX_SCALE = 1e100  # noise, ranges and turns up to this keep squares and sums within the float range


def _samples(name, value, minimum=1):
    positive_number(name, value, integer=True)
    if not minimum <= value <= _MAX_SAMPLES:
        raise ValueError(f"{name}: expected between {minimum} and {_MAX_SAMPLES} samples, got {value!r}")
    return int(value)


def _scale(name, value, check=finite_number):
    return _validate.at_most(name, check(name, value), _MAX_SCALE, " (larger values overflow the data)")


def logic_gate(name):
    """The truth table of a logic gate: X of shape (4, 2) with rows (0,0), (0,1), (1,0), (1,1), and y of
    shape (4,) with the gate's output (int 0/1). `name` is "and", "or", "xor", "nand" or "nor".

    Introduced in chapter 01.
    """
    if not isinstance(name, str):
        raise TypeError(f"name: expected a gate name (one of {sorted(_GATE_TARGETS)}), got {type(name).__name__}")
    targets = choice("name", name.lower(), _GATE_TARGETS)
    return _GATE_INPUTS.copy(), np.array(targets, dtype=np.int64)


def logic_gates():
    """All gates as a dict name -> (X, y), in the order and, or, xor, nand, nor (see `logic_gate`).

    Introduced in chapter 01.
    """
    return {name: logic_gate(name) for name in _GATE_TARGETS}


def quadratic_2d(n=100, noise=0.1, low=-1.0, high=1.0, seed=0):
    """The lecture's regression problem y = x0^2 + 3 x0 x1 + x1^2 + 5, with the details
    the lecture leaves open.

    x0 and x1 are drawn uniformly from [low, high) (default [-1, 1), where y lies in
    about [4, 10]); Gaussian noise of standard deviation `noise` is added to y (0 gives
    the exact function); `seed` fixes both. Returns X of shape (n, 2) and y of shape
    (n, 1).

    Introduced in chapter 06.
    """
    n = _samples("n", n)
    noise = _scale("noise", noise, non_negative)
    low, high = _scale("low", low), _scale("high", high)
    if not low < high:
        raise ValueError(f"high: expected a number above low={low!r}, got {high!r}")
    return _quadratic_2d(n, noise, low, high, _validate.seed(seed))


def _quadratic_2d(n, noise, low, high, seed):
    """y = x0^2 + 3 x0 x1 + x1^2 + 5 plus noise at n points drawn uniformly from
    [low, high)^2, for the arguments `quadratic_2d` has checked.

    Introduced in chapter 06.
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(low, high, size=(n, 2))
    x0, x1 = X[:, 0], X[:, 1]
    y = x0**2 + 3 * x0 * x1 + x1**2 + 5 + noise * rng.standard_normal(n)
    return X, y[:, None]


def _as_data(name, value):
    """An array of numbers (any shape with a first axis of samples), finite; strings, objects, None refused."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise ValueError(f"{name}: expected a rectangular array of numbers ({error})") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected an array of numbers, got dtype {array.dtype} ({type(value).__name__})")
    if array.ndim == 0:
        raise ValueError(f"{name}: expected an array with one sample per row, got a scalar")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: contains NaN or inf")
    return array


def _labels(name, value):
    """A 1-D array of non-negative integer class labels."""
    labels = _as_data(name, value)
    if labels.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array of class labels, got shape {labels.shape}")
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)) or (labels.size and np.abs(labels).max() >= 2**53):
            raise ValueError(f"{name}: expected integer class labels, got non-integer or huge values")
        labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"{name}: expected non-negative class labels, got {labels.min()}")
    return labels.astype(np.int64)


def train_test_split(X, Y, test_size=0.2, seed=0, stratify=None):
    """Split (X, Y) into a training and a test part, shuffling rows with ONE permutation so that every input
    stays with its own target (the lecture's hand-written split shuffles them separately: errata 7).

    `test_size` is a fraction in (0, 1) (the test part gets ceil(test_size * n) samples) or a number of samples.
    With `stratify` (class labels, one per sample, e.g. y) each class is split in the same proportion, so a
    small test set still has all classes in their original shares. Returns X_train, X_test, Y_train, Y_test.

    Introduced in chapter 06.
    """
    X, Y = _as_data("X", X), _as_data("Y", Y)
    n = len(X)
    if len(Y) != n:
        raise ValueError(f"Y: expected {n} rows (one per row of X), got {len(Y)}")
    if n < 2:
        raise ValueError(f"X: expected at least 2 samples to split, got {n}")
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise TypeError(f"test_size: expected a fraction in (0, 1) or a number of samples, got {test_size!r}")
    if isinstance(test_size, numbers.Integral):
        if not 1 <= test_size < n:
            raise ValueError(f"test_size: expected between 1 and {n - 1} samples, got {test_size}")
        n_test = int(test_size)
    else:
        if not 0 < test_size < 1:
            raise ValueError(f"test_size: expected a fraction in (0, 1), got {test_size!r}")
        n_test = min(max(int(np.ceil(test_size * n)), 1), n - 1)
    rng = np.random.default_rng(_validate.seed(seed))
    if stratify is None:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        test, train = _stratified(_labels("stratify", stratify), n, n_test, rng)
    return X[train], X[test], Y[train], Y[test]


def _stratified(labels, n, n_test, rng):
    """Test/train indices with each class's test share proportional to its size (largest remainders)."""
    if len(labels) != n:
        raise ValueError(f"stratify: expected {n} labels (one per row of X), got {len(labels)}")
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * n_test / n
    per_class = np.floor(exact).astype(int)
    per_class[np.argsort(per_class - exact, kind="stable")[: n_test - per_class.sum()]] += 1
    test, train = [], []
    for label, k in zip(classes, per_class, strict=True):
        members = rng.permutation(np.flatnonzero(labels == label))
        test.append(members[:k])
        train.append(members[k:])
    return rng.permutation(np.concatenate(test)), rng.permutation(np.concatenate(train))


def one_hot(labels, n_classes=None):
    """One-hot rows for integer class labels: row i has a 1.0 in column labels[i] and zeros elsewhere.

    `n_classes` defaults to max(labels) + 1. Returns a float64 array of shape (len(labels), n_classes).

    Introduced in chapter 07.
    """
    labels = _labels("labels", labels)
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 1
    positive_number("n_classes", n_classes, integer=True)
    if len(labels) * n_classes > 10 * _MAX_SAMPLES:
        raise ValueError(f"n_classes: {n_classes} classes for {len(labels)} labels would not fit in memory")
    if labels.size and labels.max() >= n_classes:
        raise ValueError(f"n_classes: expected more than the largest label {labels.max()}, got {n_classes}")
    encoded = np.zeros((len(labels), int(n_classes)))
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded


def standardize(X_train, X_test):
    """Shift and scale each column to mean 0 and standard deviation 1, with the mean and standard deviation of
    the TRAINING data applied to both parts (the test data must not influence the model, not even through
    its scaling). Constant columns (e.g. always-blank pixels) have standard deviation 0: they are only
    shifted, to 0, instead of divided by zero. Returns X_train, X_test standardised (new float arrays).

    Introduced in chapter 09.
    """
    X_train, X_test = _as_data("X_train", X_train), _as_data("X_test", X_test)
    for name, X in (("X_train", X_train), ("X_test", X_test)):
        if X.ndim != 2:
            raise ValueError(f"{name}: expected a 2-D array (samples x features), got shape {X.shape}")
    if len(X_train) < 1:
        raise ValueError("X_train: expected at least one sample")
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_test: expected {X_train.shape[1]} columns like X_train, got {X_test.shape[1]}")
    mean, std = _validate.finite_result(
        "X_train", "values too large: the mean or standard deviation overflows the float range",
        lambda: np.stack([X_train.mean(axis=0), X_train.std(axis=0)]))
    std[std == 0] = 1.0
    too_large = "values too large: standardising overflows the float range"
    return (_validate.finite_result("X_train", too_large, lambda: (X_train - mean) / std),
            _validate.finite_result("X_test", too_large, lambda: (X_test - mean) / std))


_standardize = standardize  # digits() has an argument of the same name


@functools.cache
def _load_digits():
    """The 1797 digits as (X float64, y int64), read once per session (the split indexes, so never modified)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    X, y = data.data.astype(np.float64), data.target.astype(np.int64)
    X.flags.writeable = y.flags.writeable = False
    return X, y


def digits(test_size=0.2, seed=0, standardize=True):
    """The 8x8 handwritten digits shipped with scikit-learn (1797 images, 10 classes, 64 pixels 0..16).

    Split with `train_test_split` (stratified by digit, so both parts have every digit in the same share) and,
    with `standardize=True`, standardised with the training part's statistics (see `standardize`).
    Returns X_train, X_test (float64, one flattened image per row), y_train, y_test (int labels 0-9).

    Introduced in chapter 07.
    """
    _validate.boolean("standardize", standardize)
    X, y = _load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, seed=seed, stratify=y)
    if standardize:
        X_train, X_test = _standardize(X_train, X_test)
    return X_train, X_test, y_train, y_test


def _balanced_labels(n, n_classes, rng):
    """n labels, as equal counts per class as possible, in random order."""
    return rng.permutation(np.arange(n) % n_classes)


def circles(n=200, noise=0.1, factor=0.5, seed=0):
    """Two concentric circles: class 0 on the unit circle, class 1 on a circle of radius `factor`; Gaussian
    noise of standard deviation `noise` is added to both coordinates. Returns X (n, 2), y (n,) int.

    Introduced in chapter 10.
    """
    n = _samples("n", n, minimum=2)
    noise = _scale("noise", noise, non_negative)
    factor = finite_number("factor", factor)
    if not 0 < factor < 1:
        raise ValueError(f"factor: expected a radius ratio in (0, 1), got {factor!r}")
    rng = np.random.default_rng(_validate.seed(seed))
    y = _balanced_labels(n, 2, rng)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), y


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles: class 0 is the upper arc (cos t, sin t), class 1 the lower arc
    (1 - cos t, 0.5 - sin t), t uniform in [0, pi]; Gaussian noise of standard deviation `noise` is added.
    Returns X (n, 2), y (n,) int.

    Introduced in chapter 10.
    """
    n = _samples("n", n, minimum=2)
    noise = _scale("noise", noise, non_negative)
    rng = np.random.default_rng(_validate.seed(seed))
    y = _balanced_labels(n, 2, rng)
    t = rng.uniform(0, np.pi, n)
    X = np.where((y == 0)[:, None],
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    return X + noise * rng.standard_normal((n, 2)), y


def spirals(n=300, noise=0.05, n_classes=2, turns=1.0, seed=0):
    """Interleaved spiral arms, one per class (the hardest set of the playground).

    Arm k starts near the origin at angle 2 pi k / n_classes and winds `turns` times outwards to radius 1;
    Gaussian noise of standard deviation `noise` is added to both coordinates. Returns X (n, 2), y (n,) int.

    Introduced in chapter 10.
    """
    n = _samples("n", n, minimum=2)
    noise = _scale("noise", noise, non_negative)
    _validate.count("n_classes", n_classes)
    if n_classes < 2:
        raise ValueError(f"n_classes: expected at least 2 arms, got {n_classes}")
    turns = _scale("turns", float(positive_number("turns", turns)))
    rng = np.random.default_rng(_validate.seed(seed))
    y = _balanced_labels(n, n_classes, rng)
    radius = rng.uniform(0.05, 1.0, n)
    angle = 2 * np.pi * (y / n_classes + turns * radius)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), y


def xor_blobs(n=200, noise=0.3, seed=0):
    """The XOR problem with noise: four Gaussian blobs of standard deviation `noise` centred at (+-1, +-1);
    the label is 1 where the signs of x0 and x1 differ (the XOR of "x0 > 0" and "x1 > 0"), 0 otherwise.
    Returns X (n, 2), y (n,) int.

    Introduced in chapter 10.
    """
    n = _samples("n", n, minimum=2)
    noise = _scale("noise", noise, non_negative)
    rng = np.random.default_rng(_validate.seed(seed))
    corner = _balanced_labels(n, 4, rng)
    centres = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    y = (corner >= 2).astype(np.int64)
    return centres[corner] + noise * rng.standard_normal((n, 2)), y
