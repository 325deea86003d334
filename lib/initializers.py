"""Initial weights and biases, by name: "normal" (the lecture's), "glorot"
(Xavier) and "he".

With n_in inputs and n_out outputs per layer, W^l has shape (n_in, n_out):

- "normal": W ~ N(0, 1), b = 0.01 (the lecture's choice). With many inputs the
  weighted sums z are large (Var(z) = n_in Var(a)), so sigmoid and tanh units start
  saturated;
- "glorot" (Glorot and Bengio, 2010): W ~ N(0, 2 / (n_in + n_out)), b = 0. The variance
  keeps the activations' and the gradients' variances roughly constant from layer to
  layer for tanh/sigmoid-like units;
- "he" (He et al., 2015): W ~ N(0, 2 / n_in), b = 0. The factor 2 compensates ReLU
  zeroing half of its inputs.

Biases start at 0 for "glorot" and "he": the random weights already break the symmetry
between units, so the biases need not. The numbers are drawn in float64 and then
converted, so a given seed gives the same network in float32 and float64
(up to rounding).

Introduced in chapter 08.
"""

import numpy as np

from lib import _validate


def _normal_std(n_in, n_out):
    return 1.0


def _glorot_std(n_in, n_out):
    """Glorot (Xavier): Var(W) = 2 / (n_in + n_out). Introduced in chapter 08."""
    return np.sqrt(2.0 / (n_in + n_out))


def _he_std(n_in, n_out):
    """He: Var(W) = 2 / n_in. Introduced in chapter 08."""
    return np.sqrt(2.0 / n_in)


# name -> (standard deviation of W as a function of (n_in, n_out), initial bias)
INITIALIZERS = {"normal": (_normal_std, 0.01), "glorot": (_glorot_std, 0.0),
                "he": (_he_std, 0.0)}


def initialize(init, layer_sizes, rng, dtype=np.float64):
    """Return (weights, biases): lists with W^l of shape (n_{l-1}, n_l) and b^l of shape
    (n_l,), l = 1..L.

    ``init`` is "normal", "glorot" or "he"; ``rng`` a ``numpy.random.Generator`` (or an
    integer seed).

    Introduced in chapter 08.
    """
    if not isinstance(init, str):
        raise TypeError(f"init: expected one of {sorted(INITIALIZERS)}, "
                        f"got {type(init).__name__}")
    std, bias = _validate.choice("init", init, INITIALIZERS)
    sizes = _layer_sizes(layer_sizes)
    dtype = _float_dtype(dtype)
    rng = _validate.generator(rng)
    return _initialize(std, bias, sizes, rng, dtype)


def _initialize(std, bias, sizes, rng, dtype):
    """W^l = std(n_in, n_out) times standard normal numbers and b^l = bias, for the
    layer sizes n_0, ..., n_L and the rule (std, bias) that `initialize` has
    checked and looked up by name.

    Introduced in chapter 08.
    """
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = std(n_in, n_out) * rng.standard_normal((n_in, n_out))
        weights.append(W.astype(dtype))
        biases.append(np.full(n_out, bias, dtype=dtype))
    return weights, biases


def _float_dtype(dtype):
    """Return numpy.dtype(dtype) if it is float32 or float64; raise TypeError naming
    ``dtype`` otherwise."""
    try:
        result = None if dtype is None or isinstance(dtype, bool) else np.dtype(dtype)
    except TypeError:
        result = None
    if result not in (np.float32, np.float64):
        raise TypeError("dtype: expected numpy.float32 or numpy.float64, "
                        f"got {dtype!r}")
    return result


def _layer_sizes(layer_sizes):
    try:
        sizes = list(layer_sizes)
    except TypeError:
        raise TypeError("layer_sizes: expected a list of positive integers, "
                        f"got {layer_sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError("layer_sizes: expected at least two sizes "
                         f"(inputs and outputs), got {sizes!r}")
    for size in sizes:
        _validate.count("layer_sizes", size, 10**5)
    return [int(size) for size in sizes]
