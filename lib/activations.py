"""Activation functions a = f(z), each with its derivative written next to its forward rule.

Every activation is an :class:`Activation` object with

- ``f(z, xp=numpy)``: the forward rule. It uses only functions of the module ``xp``, so the same definition
  runs under NumPy and under ``autograd.numpy`` (which is how the tests and :mod:`lib.gradcheck` check the
  derivatives against automatic differentiation);
- ``derivative(z)``: f'(z), elementwise;
- ``backward(z, a, grad_a)``: dC/dz given dC/da, what backpropagation needs. For an elementwise activation
  this is ``grad_a * f'(z)``; softmax mixes the units of a row and needs its Jacobian instead.

All forward rules are numerically stable for any finite z (the tests use |z| up to 1e4): no overflow, no
division by zero, no NaN, and no warning (the tests turn NumPy's overflow, division and invalid-value errors
into exceptions). Results may underflow to 0 (exp(-1e4) is 0 in floating point), which is the correctly
rounded answer and silent in NumPy by default.

Introduced in chapter 04 (sigmoid), chapter 07 (softmax) and chapter 08 (the others).
"""

import numpy

from lib import _validate


class Activation:
    """An elementwise activation function: a name, a forward rule and its derivative.

    ``forward(z, xp)`` computes f(z) with the array module ``xp``; ``derivative(z, a)`` computes f'(z),
    where ``a = f(z)`` is passed in because some derivatives are cheapest in terms of the output
    (sigmoid: f' = a (1 - a)). ``unguarded(z, xp)``, optional, is the forward rule without its guard against
    overflow, for code that already runs under ``numpy.errstate(over="ignore")`` (the training loop
    :meth:`lib.network.FeedForwardNetwork.fit`); it defaults to ``forward``.

    Introduced in chapter 04.
    """

    def __init__(self, name, forward, derivative, unguarded=None):
        self.name = name
        self._forward = forward
        self._derivative = derivative
        self.f_unguarded = forward if unguarded is None else unguarded

    def f(self, z, xp=numpy):
        """Return f(z), computed with the array module ``xp`` (numpy or autograd.numpy).

        Introduced in chapter 04.
        """
        return self._forward(z, xp)

    def __call__(self, z):
        return self._forward(z, numpy)

    def derivative(self, z):
        """Return f'(z), elementwise.

        Introduced in chapter 04.
        """
        return self._derivative(z, self._forward(z, numpy))

    def backward(self, z, a, grad_a):
        """Return dC/dz = dC/da * f'(z) for an elementwise activation, given z, a = f(z) and dC/da.

        Introduced in chapter 04.
        """
        return grad_a * self._derivative(z, a)

    def __repr__(self):
        return f"<activation {self.name}>"


class Identity(Activation):
    """f(z) = z, f'(z) = 1: the output activation for regression.

    Introduced in chapter 08.
    """

    def __init__(self):
        super().__init__("identity", lambda z, xp: z, lambda z, a: numpy.ones_like(z))

    def backward(self, z, a, grad_a):
        """Return dC/dz = dC/da (f' = 1, so no multiplication is needed).

        Introduced in chapter 08.
        """
        return grad_a


class Softmax(Activation):
    """Row-wise softmax: a_j = exp(z_j) / sum_k exp(z_k), for each sample (row) separately.

    Each row's maximum is subtracted before exponentiating. This changes nothing mathematically (the factor
    exp(-max) cancels) but keeps every exponent <= 0, so exp cannot overflow. It must be each ROW's maximum:
    the lecture notes subtract a column maximum, which mixes samples and gives wrong probabilities
    (errata item 8).

    Introduced in chapter 07.
    """

    def __init__(self):
        super().__init__("softmax", self._softmax, None)

    @staticmethod
    def _softmax(z, xp):
        # After subtracting the row maximum every exponent is <= 0: exp cannot overflow.
        e = xp.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def derivative(self, z):
        """Return the diagonal of the softmax Jacobian, a_j (1 - a_j).

        Softmax is not elementwise: da_j/dz_k = a_j (delta_jk - a_k). This diagonal alone is NOT enough for
        backpropagation; :meth:`backward` uses the full Jacobian.

        Introduced in chapter 07.
        """
        a = self._softmax(z, numpy)
        return a * (1 - a)

    def backward(self, z, a, grad_a):
        """Return dC/dz_k = sum_j dC/da_j a_j (delta_jk - a_k) = a_k (dC/da_k - sum_j dC/da_j a_j), per row.

        This is the Jacobian-vector product, computed without forming the (n_out x n_out) Jacobian.

        Introduced in chapter 07.
        """
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


def _exp_limit(dtype):
    # The largest B with exp(B) finite in this dtype: 709 for float64, 88 for float32.
    return float(numpy.floor(numpy.log(numpy.finfo(dtype).max)))


EXP_LIMIT = {numpy.dtype(t): _exp_limit(t) for t in (numpy.float16, numpy.float32, numpy.float64)}


def _sigmoid_unguarded(z, xp):
    # exp(-z) overflows for z below about -709 (float64) or -88 (float32): to inf, with a warning. Under
    # numpy.errstate(over="ignore") this is harmless: 1 / (1 + inf) = 0, the sigmoid to working precision.
    return 1 / (1 + xp.exp(-z))


def _sigmoid(z, xp):
    # The sigmoid is 0 to working precision where exp(-z) would overflow, so the exponent is capped there: no
    # overflow and no warning, one more pass over z (fit, which ignores overflow, skips it).
    return _sigmoid_unguarded(xp.maximum(z, -EXP_LIMIT[z.dtype]), xp)


def _tanh(z, xp):
    return xp.tanh(z)


def _relu(z, xp):
    return xp.maximum(z, 0)


def _step(z):
    # f'(0) is taken as 0 for relu-like functions (the kink has no derivative; any value in [0, 1] is a subgradient).
    return (z > 0).astype(z.dtype)


def make_leaky_relu(alpha=0.01):
    """Leaky ReLU with slope ``alpha`` for z <= 0: f(z) = z for z > 0,
    alpha z otherwise.

    The lecture notes mention leaky ReLU without defining it and use alpha = 1e-3 in
    code while recommending 0.01 in the text (errata item 9); the book uses 0.01.

    Introduced in chapter 08.
    """
    alpha = float(_validate.positive_number("alpha", alpha))
    return Activation(
        "leaky_relu",
        lambda z, xp: xp.where(z > 0, z, alpha * z),  # f(z)
        lambda z, a: numpy.where(z > 0, 1, alpha).astype(z.dtype),  # f'(z)
    )


def make_elu(alpha=1.0):
    """ELU: f(z) = z for z > 0, alpha (exp(z) - 1) otherwise; f'(z) = 1 for z > 0,
    f(z) + alpha otherwise.

    Introduced in chapter 08.
    """
    alpha = float(_validate.positive_number("alpha", alpha))
    # expm1 of min(z, 0): exp never sees a large positive z (no overflow), and expm1
    # is accurate near 0.
    return Activation(
        "elu",
        lambda z, xp: xp.where(z > 0, z, alpha * xp.expm1(xp.minimum(z, 0))),  # f(z)
        # f'(z) = f(z) + alpha for z <= 0
        lambda z, a: numpy.where(z > 0, 1, a + alpha).astype(z.dtype),
    )


IDENTITY = Identity()
# sigmoid' = s (1 - s): computed from the output a = s(z) that the forward pass already has.
SIGMOID = Activation("sigmoid", _sigmoid, lambda z, a: a * (1 - a), _sigmoid_unguarded)
# tanh' = 1 - tanh^2.
TANH = Activation("tanh", _tanh, lambda z, a: 1 - a * a)
RELU = Activation("relu", _relu, lambda z, a: _step(z))
LEAKY_RELU = make_leaky_relu(0.01)
ELU = make_elu(1.0)
SOFTMAX = Softmax()

ACTIVATIONS = {act.name: act for act in (IDENTITY, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SOFTMAX)}


def get_activation(activation):
    """Return the activation object for a name ("sigmoid", "relu", ...) or an :class:`Activation` itself.

    Raises ValueError listing the known names for an unknown name, TypeError for anything else.

    Introduced in chapter 08.
    """
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(f"activation: expected a name or an Activation object, got {type(activation).__name__}")
    return _validate.choice("activation", activation, ACTIVATIONS)


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), computed without overflow for any z.

    Introduced in chapter 04.
    """
    return SIGMOID.f(_validate.as_float_array("z", z, dtype=None))


def sigmoid_prime(z):
    """The derivative of the sigmoid, s(z) (1 - s(z)).

    Introduced in chapter 04.
    """
    return SIGMOID.derivative(_validate.as_float_array("z", z, dtype=None))


def tanh(z):
    """The hyperbolic tangent.

    Introduced in chapter 08.
    """
    return TANH.f(_validate.as_float_array("z", z, dtype=None))


def tanh_prime(z):
    """The derivative of tanh, 1 - tanh(z)^2.

    Introduced in chapter 08.
    """
    return TANH.derivative(_validate.as_float_array("z", z, dtype=None))


def relu(z):
    """max(z, 0).

    Introduced in chapter 08.
    """
    return RELU.f(_validate.as_float_array("z", z, dtype=None))


def relu_prime(z):
    """The derivative of ReLU: 1 for z > 0, else 0 (the value 0 at the kink z = 0 is a convention).

    Introduced in chapter 08.
    """
    return RELU.derivative(_validate.as_float_array("z", z, dtype=None))


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: z for z > 0, alpha z otherwise.

    Introduced in chapter 08.
    """
    return make_leaky_relu(alpha).f(_validate.as_float_array("z", z, dtype=None))


def leaky_relu_prime(z, alpha=0.01):
    """The derivative of leaky ReLU: 1 for z > 0, alpha otherwise.

    Introduced in chapter 08.
    """
    return make_leaky_relu(alpha).derivative(_validate.as_float_array("z", z, dtype=None))


def elu(z, alpha=1.0):
    """ELU: z for z > 0, alpha (exp(z) - 1) otherwise.

    Introduced in chapter 08.
    """
    return make_elu(alpha).f(_validate.as_float_array("z", z, dtype=None))


def elu_prime(z, alpha=1.0):
    """The derivative of ELU: 1 for z > 0, alpha exp(z) otherwise.

    Introduced in chapter 08.
    """
    return make_elu(alpha).derivative(_validate.as_float_array("z", z, dtype=None))


def softmax(z):
    """Row-wise softmax of a 2-D array (each row sums to 1); a 1-D array is treated as one row.

    Introduced in chapter 07.
    """
    z = _validate.as_float_array("z", z, dtype=None)
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError(f"z: expected a non-empty 1-D or 2-D array, got shape {z.shape}")
    return SOFTMAX.f(z[None, :])[0] if z.ndim == 1 else SOFTMAX.f(z)
