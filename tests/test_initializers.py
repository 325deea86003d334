"""lib.initializers: shapes, dtypes, seeds, the variances of the three schemes, errors."""

import numpy as np
import pytest

from lib.initializers import initialize


def test_shapes_dtypes_and_biases():
    for init, bias in (("normal", 0.01), ("glorot", 0.0), ("he", 0.0)):
        for dtype in (np.float64, np.float32):
            weights, biases = initialize(init, [4, 7, 3], np.random.default_rng(0), dtype)
            assert [W.shape for W in weights] == [(4, 7), (7, 3)]
            assert [b.shape for b in biases] == [(7,), (3,)]
            assert all(p.dtype == dtype for p in weights + biases)
            assert all(np.all(b == np.asarray(bias, dtype)) for b in biases)


def test_seeded_and_the_same_in_float32_and_float64():
    first = initialize("glorot", [5, 6, 2], 3)
    second = initialize("glorot", [5, 6, 2], np.random.default_rng(3))
    single = initialize("glorot", [5, 6, 2], 3, np.float32)
    for W, W2, W32 in zip(first[0], second[0], single[0], strict=True):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_allclose(W32, W, rtol=1e-6)
    assert not np.array_equal(initialize("glorot", [5, 6, 2], 4)[0][0], first[0][0])


@pytest.mark.parametrize(("init", "variance"), [("normal", lambda n_in, n_out: 1.0),
                                                ("glorot", lambda n_in, n_out: 2 / (n_in + n_out)),
                                                ("he", lambda n_in, n_out: 2 / n_in)])
def test_variances(init, variance):
    weights, _ = initialize(init, [300, 200, 100], 0)
    for W in weights:
        n_in, n_out = W.shape
        assert abs(W.mean()) < 0.02 * np.sqrt(variance(n_in, n_out)) * 5
        assert W.var() == pytest.approx(variance(n_in, n_out), rel=0.03)


@pytest.mark.parametrize(("args", "error", "message"), [
    (("xavier", [2, 1], 0), ValueError, r"init: unknown name 'xavier'.*'glorot'"),
    ((None, [2, 1], 0), TypeError, "init"),
    (("he", [2], 0), ValueError, "layer_sizes"),
    (("he", [2, -1], 0), ValueError, "layer_sizes"),
    (("he", [2, 1.5], 0), TypeError, "layer_sizes"),
    (("he", None, 0), TypeError, "layer_sizes"),
    (("he", [2, 1], "seed"), TypeError, "rng"),
    (("he", [2, 1], 0, np.int64), TypeError, "dtype"),
])
def test_errors_name_the_argument(args, error, message):
    with pytest.raises(error, match=message):
        initialize(*args)
