"""Cost functions C(a, y): the batch mean of a per-sample cost, with the gradient dC/da.

Every loss is a :class:`Loss` object with

- ``value(a, y, xp=numpy)``: the cost, the MEAN over the n samples (rows) of the per-sample cost. Written with
  ``xp`` functions only, so it also runs under ``autograd.numpy``;
- ``gradient(a, y)``: dC/da, already divided by n because the cost is a mean.

Why softmax + cross-entropy gives delta^L = (a - y) / n
--------------------------------------------------------
For one sample, C = -sum_j y_j log a_j with a = softmax(z), so dC/da_j = -y_j / a_j, and the softmax Jacobian is
da_j/dz_k = a_j (delta_jk - a_k). The chain rule gives

    dC/dz_k = sum_j (-y_j / a_j) a_j (delta_jk - a_k) = -y_k + a_k sum_j y_j = a_k - y_k,

because a one-hot (or any probability) target sums to 1. The 1/a_j of the logarithm cancels the a_j of the
softmax: the output error is simply prediction minus target, it never divides by a tiny probability, and it
does not vanish when the output saturates. The same cancellation happens for sigmoid + binary cross-entropy:
dC/da = (a - y) / (a (1 - a)) and sigmoid' = a (1 - a), so delta = a - y. (And trivially for identity + squared
error.) Such an activation is the loss's *canonical* output activation; averaged over the batch, delta^L =
(a - y) / n. :class:`lib.network.FeedForwardNetwork` uses this fused form, which is both faster and more
accurate than multiplying the two factors.

Numerical stability: the cross-entropies clip a into [eps, 1 - eps] (eps the machine epsilon of a's dtype)
before taking logarithms, so a probability of exactly 0 or 1 gives a large finite cost, never log(0): one
sample costs at most -ln(eps), about 36.04 in float64 (chapter 08 meets this cap in a network that explodes).

Introduced in chapter 04 (squared error) and chapter 07 (cross-entropies).
"""

import numpy

from lib import _validate
from lib.activations import IDENTITY, SIGMOID, SOFTMAX


class Loss:
    """A cost function: its name, value (batch mean) and gradient dC/da, and its canonical output activation.

    Introduced in chapter 04.
    """

    def __init__(self, name, value, gradient, canonical_activation):
        self.name = name
        self._value = value
        self._gradient = gradient
        self.canonical_activation = canonical_activation

    def value(self, a, y, xp=numpy):
        """Return the cost: the mean over the rows of a and y of the per-sample cost.

        With NumPy, a and y are checked first (as in :meth:`__call__`); autograd's traced arrays pass as they are.

        Introduced in chapter 04.
        """
        if xp is not numpy or _validate.in_training():
            return self._value(a, y, xp)
        a, y = self._checked(a, y)
        return _validate.finite_result("a and y", "the cost overflows the float range (|a - y| near 1e154 or more)",
                                       self._value, a, y, numpy)

    def __call__(self, a, y):
        """Return the cost for activations a and targets y as a Python float.

        a and y must have the same shape: (n_samples, n_outputs), or 1-D for one output per sample. The
        cross-entropies need probabilities: a and y between 0 and 1.

        Introduced in chapter 04.
        """
        return float(self.value(a, y))

    def gradient(self, a, y):
        """Return dC/da, with the 1/n of the batch mean included.

        Introduced in chapter 04.
        """
        if _validate.in_training():
            return self._gradient(a, y)
        a, y = self._checked(a, y)
        return _validate.finite_result("a and y", "dC/da overflows the float range", self._gradient, a, y)

    def _checked(self, a, y):
        a = _validate.unless_ignored("a", a)
        y = _validate.unless_ignored("y", y, dtype=a.dtype)
        if _validate.in_training():  # the training loop: its arrays are right
            return a, y
        if a.ndim > 2:
            raise ValueError(f"a: expected an array of shape (n_samples, n_outputs), got shape {a.shape}")
        _validate.same_shape("a and y", a, y)
        if a.ndim < 2:
            a, y = a.reshape(-1, 1), y.reshape(-1, 1)
        if a.shape[0] == 0:
            raise ValueError("a: expected at least one sample, got 0 rows")
        if self.canonical_activation in (SIGMOID, SOFTMAX):  # the cross-entropies
            for name, array in (("a", a), ("y", y)):
                if array.min() < 0 or array.max() > 1:
                    raise ValueError(f"{name}: {self.name} needs probabilities between 0 and 1, got values in "
                                     f"[{array.min():.3g}, {array.max():.3g}]")
        return a, y

    def __repr__(self):
        return f"<loss {self.name}>"


EPS = {numpy.dtype(t): float(numpy.finfo(t).eps) for t in (numpy.float16, numpy.float32, numpy.float64)}


# Squared error, per sample C = 1/2 sum_j (a_j - y_j)^2 (the lecture's cost); dC/da = a - y.
def _squared_error(a, y, xp):
    return 0.5 * ((a - y) ** 2).sum() / a.shape[0]


def _squared_error_gradient(a, y):
    return (a - y) / a.shape[0]


# Binary cross-entropy, per sample C = -sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]; dC/da = (a - y) / (a (1 - a)).
def _binary_cross_entropy(a, y, xp):
    eps = EPS[a.dtype]
    a = xp.clip(a, eps, 1 - eps)
    return -(y * xp.log(a) + (1 - y) * xp.log(1 - a)).sum() / a.shape[0]


def _binary_cross_entropy_gradient(a, y):
    eps = EPS[a.dtype]
    a = numpy.clip(a, eps, 1 - eps)
    return (a - y) / (a * (1 - a)) / a.shape[0]


# Categorical cross-entropy, per sample C = -sum_j y_j log a_j (y one-hot); dC/da = -y / a.
def _cross_entropy(a, y, xp):
    return -(y * xp.log(xp.maximum(a, EPS[a.dtype]))).sum() / a.shape[0]


def _cross_entropy_gradient(a, y):
    return -y / numpy.maximum(a, EPS[a.dtype]) / a.shape[0]


SQUARED_ERROR = Loss("squared_error", _squared_error, _squared_error_gradient, IDENTITY)
BINARY_CROSS_ENTROPY = Loss("binary_cross_entropy", _binary_cross_entropy, _binary_cross_entropy_gradient, SIGMOID)
CROSS_ENTROPY = Loss("cross_entropy", _cross_entropy, _cross_entropy_gradient, SOFTMAX)

LOSSES = {loss.name: loss for loss in (SQUARED_ERROR, BINARY_CROSS_ENTROPY, CROSS_ENTROPY)}


def get_loss(loss):
    """Return the loss object for a name ("squared_error", "binary_cross_entropy", "cross_entropy") or a Loss.

    Raises ValueError listing the known names for an unknown name, TypeError for anything else.

    Introduced in chapter 07.
    """
    return _validate.named("loss", loss, LOSSES, Loss, "a Loss object")
