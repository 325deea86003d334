"""Activation functions a = f(z), each with its derivative written next to its forward rule.

Every activation is an :class:`Activation` object with

- ``f(z, xp=numpy)``: the forward rule. It uses only functions of the module ``xp``, so the same definition
  runs under NumPy and under ``autograd.numpy`` (which is how the tests and :mod:`lib.gradcheck` check the
  derivatives against automatic differentiation);
- ``derivative(z)``: f'(z), elementwise;
- ``backward(z, a, grad_a)``: dC/dz given dC/da, what backpropagation needs. For an elementwise activation
  this is ``grad_a * f'(z)``; softmax mixes the units of a row and needs its Jacobian instead.

All forward rules are numerically stable for any finite z (the tests go up to |z| = 1e308): no overflow, no
division by zero, no NaN, and no warning (the tests turn NumPy's overflow, division and invalid-value errors
into exceptions). Results may underflow to 0 (sigmoid(-1e4) = exp(-1e4) / (1 + exp(-1e4)) is 0 in floating
point), which is the correctly rounded answer and silent in NumPy by default.

The methods check what they are given (with NumPy as ``xp``): z may be a number, a list or an array of real
numbers (integers and bools are converted to float64, float32 stays float32); complex numbers, strings and
None raise TypeError, NaN or inf ValueError. Softmax takes a 1-D z as one row. ``f_unguarded`` and
``backward_unguarded`` are the bare rules without checks, for the training loop, which checks its own arrays.
Inside ``numpy.errstate(invalid="ignore")`` (the training loop, which detects divergence from the loss) float
arrays pass unchecked and ``backward`` is ``backward_unguarded``, so an overflowed z reaches fit's divergence
check instead of raising here, and the loop pays nothing for the checks.

Introduced in chapter 01 (sigmoid), chapter 07 (softmax, tanh_prime) and chapter 08 (the others).
"""

import numpy

from lib import _validate

_OVERFLOW = "too large: dC/dz = grad_a * f'(z) overflows the float range"


class Activation:
    """An elementwise activation function: a name, a forward rule and its derivative.

    ``forward(z, xp)`` computes f(z) with the array module ``xp``; ``derivative(z, a)`` computes f'(z),
    where ``a = f(z)`` is passed in because some derivatives are cheapest in terms of the output
    (sigmoid: f' = a (1 - a)). ``unguarded(z, xp)``, optional, is the forward rule without its guard against
    overflow, for code that already runs under ``numpy.errstate(over="ignore")`` (the training loop
    :meth:`lib.network.FeedForwardNetwork.fit`); it defaults to ``forward``. Neither ``f_unguarded`` nor
    ``backward_unguarded`` checks its input.

    Introduced in chapter 04.
    """

    def __init__(self, name, forward, derivative, unguarded=None):
        self.name = name
        self._forward = forward
        self._derivative = derivative
        self.f_unguarded = forward if unguarded is None else unguarded

    def f(self, z, xp=numpy):
        """Return f(z), computed with the array module ``xp`` (numpy or autograd.numpy).

        With NumPy, z is checked first (see the module docstring); autograd's traced arrays pass as they are.

        Introduced in chapter 04.
        """
        if xp is not numpy:
            return self._forward(z, xp)
        return self._forward(self._checked("z", z), numpy)[()]  # [()]: a number for a number

    def __call__(self, z):
        return self.f(z)

    def derivative(self, z):
        """Return f'(z), elementwise.

        Introduced in chapter 04.
        """
        z = self._checked("z", z)
        return self._derivative(z, self._forward(z, numpy))

    def backward(self, z, a, grad_a):
        """Return dC/dz = dC/da * f'(z) for an elementwise activation, given z, a = f(z) and dC/da.

        z, a and grad_a must have the same shape. Introduced in chapter 04.
        """
        if _validate.in_training():
            return self.backward_unguarded(z, a, grad_a)
        z = self._checked("z", z)
        a = self._checked("a", a, z.dtype)
        grad_a = self._checked("grad_a", grad_a, z.dtype)
        _validate.same_shape("z, a and grad_a", z, a, grad_a)
        return _validate.finite_result("z, a and grad_a", _OVERFLOW, self.backward_unguarded, z, a, grad_a)

    def backward_unguarded(self, z, a, grad_a):
        """:meth:`backward` without the checks, for float arrays of one shape (the training loop's).

        Introduced in chapter 04.
        """
        return grad_a * self._derivative(z, a)

    def _checked(self, name, value, dtype=None):
        return _validate.unless_ignored(name, value, dtype)

    def __repr__(self):
        return f"<activation {self.name}>"


class Identity(Activation):
    """f(z) = z, f'(z) = 1: the output activation for regression.

    Introduced in chapter 08.
    """

    def __init__(self):
        super().__init__("identity", lambda z, xp: z, lambda z, a: numpy.ones_like(z))

    def backward_unguarded(self, z, a, grad_a):
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
        # After subtracting the row maximum every exponent is <= 0: exp cannot overflow. The subtraction
        # itself can (-1e308 - 1e308 = -inf), and exp(-inf) = 0 is then the right answer: no warning.
        with numpy.errstate(over="ignore"):
            e = xp.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def f(self, z, xp=numpy):
        """Row-wise softmax of a 2-D z (one row per sample); with NumPy a 1-D z is one row.

        Introduced in chapter 07.
        """
        if xp is not numpy:
            return self._softmax(z, xp)
        z = self._checked("z", z)
        return self._softmax(z[None, :], numpy)[0] if z.ndim == 1 else self._softmax(z, numpy)

    def derivative(self, z):
        """Return the diagonal of the softmax Jacobian, a_j (1 - a_j).

        Softmax is not elementwise: da_j/dz_k = a_j (delta_jk - a_k). This diagonal alone is NOT enough for
        backpropagation; :meth:`backward` uses the full Jacobian.

        Introduced in chapter 07.
        """
        a = self.f(z)
        return a * (1 - a)

    def backward_unguarded(self, z, a, grad_a):
        """Return dC/dz_k = sum_j dC/da_j a_j (delta_jk - a_k) = a_k (dC/da_k - sum_j dC/da_j a_j), per row.

        This is the Jacobian-vector product, computed without forming the (n_out x n_out) Jacobian. z, a and
        grad_a are 2-D arrays of one shape (:meth:`backward` checks them and takes 1-D as one row).

        Introduced in chapter 07.
        """
        return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))

    def backward(self, z, a, grad_a):
        """:meth:`backward_unguarded` after checking z, a and grad_a (1-D arrays are one row).

        Introduced in chapter 07.
        """
        if _validate.in_training():
            return self.backward_unguarded(z, a, grad_a)
        z = self._checked("z", z)
        a, grad_a = self._checked("a", a, z.dtype), self._checked("grad_a", grad_a, z.dtype)
        _validate.same_shape("z, a and grad_a", z, a, grad_a)
        if z.ndim == 1:
            return _validate.finite_result("a and grad_a", _OVERFLOW, self.backward_unguarded,
                                           z[None], a[None], grad_a[None])[0]
        return _validate.finite_result("a and grad_a", _OVERFLOW, self.backward_unguarded, z, a, grad_a)

    def _checked(self, name, value, dtype=None):
        value = _validate.unless_ignored(name, value, dtype)
        if value.ndim not in (1, 2) or value.size == 0:
            raise ValueError(f"{name}: expected a non-empty 1-D or 2-D array (rows are samples), "
                             f"got shape {value.shape}")
        return value


def _sigmoid_unguarded(z, xp):
    # exp(-z) overflows for z below about -709 (float64) or -88 (float32): to inf, with a warning. Under
    # numpy.errstate(over="ignore") this is harmless: 1 / (1 + inf) = 0, the sigmoid to working precision.
    return 1 / (1 + xp.exp(-z))


def _sigmoid(z, xp):
    # With e = exp(-|z|) <= 1 nothing overflows: 1 / (1 + e) for z >= 0 and the same fraction times e/e,
    # e / (1 + e), for z < 0. For very negative z, e underflows gradually to 0, as the sigmoid itself does
    # (fit, which ignores overflow, uses the one-pass form above).
    # -|z| written as a where: autograd differentiates abs as 0 at z = 0, which would make sigmoid'(0) = 0.
    e = xp.exp(xp.where(z >= 0, -z, z))
    return xp.where(z >= 0, 1 / (1 + e), e / (1 + e))


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
    if alpha > 1:  # a slope above 1 is no longer a "leak"
        raise ValueError(f"alpha: expected a slope in (0, 1], got {alpha!r}")
    return _make_leaky_relu(alpha)


def _make_leaky_relu(alpha):
    """Leaky ReLU: f(z) = z for z > 0, alpha z otherwise; f'(z) = 1 for z > 0, alpha
    otherwise. (`make_leaky_relu` checks alpha.)

    Introduced in chapter 08.
    """
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
    return _make_elu(float(_validate.positive_number("alpha", alpha)))


def _make_elu(alpha):
    """ELU: f(z) = z for z > 0, alpha (exp(z) - 1) otherwise; f'(z) = 1 for z > 0,
    f(z) + alpha otherwise. (`make_elu` checks alpha.)

    Introduced in chapter 08.
    """
    # alpha expm1(min(z, 0)): exp never sees a large positive z (no overflow), and expm1
    # is accurate near 0. The min is a where: autograd would split np.minimum's
    # derivative in half at the tie z = 0.
    return Activation(
        "elu",
        # f(z)
        lambda z, xp: xp.where(z > 0, z, alpha * xp.expm1(xp.where(z > 0, 0, z))),
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
    return _validate.named("activation", activation, ACTIVATIONS, Activation, "an Activation object")


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), computed without overflow for any z.

    Introduced in chapter 01.
    """
    return SIGMOID.f(z)


def sigmoid_prime(z):
    """The derivative of the sigmoid, s(z) (1 - s(z)).

    Introduced in chapter 04.
    """
    return SIGMOID.derivative(z)


def tanh(z):
    """The hyperbolic tangent.

    Introduced in chapter 08.
    """
    return TANH.f(z)


def tanh_prime(z):
    """The derivative of tanh, 1 - tanh(z)^2.

    Introduced in chapter 07.
    """
    return TANH.derivative(z)


def relu(z):
    """max(z, 0).

    Introduced in chapter 08.
    """
    return RELU.f(z)


def relu_prime(z):
    """The derivative of ReLU: 1 for z > 0, else 0 (the value 0 at the kink z = 0 is a convention).

    Introduced in chapter 08.
    """
    return RELU.derivative(z)


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: z for z > 0, alpha z otherwise.

    Introduced in chapter 08.
    """
    return make_leaky_relu(alpha).f(z)


def leaky_relu_prime(z, alpha=0.01):
    """The derivative of leaky ReLU: 1 for z > 0, alpha otherwise.

    Introduced in chapter 08.
    """
    return make_leaky_relu(alpha).derivative(z)


def elu(z, alpha=1.0):
    """ELU: z for z > 0, alpha (exp(z) - 1) otherwise.

    Introduced in chapter 08.
    """
    return make_elu(alpha).f(z)


def elu_prime(z, alpha=1.0):
    """The derivative of ELU: 1 for z > 0, alpha exp(z) otherwise.

    Introduced in chapter 08.
    """
    return make_elu(alpha).derivative(z)


def softmax(z):
    """Row-wise softmax of a 2-D array (each row sums to 1); a 1-D array is treated as one row.

    Introduced in chapter 07.
    """
    return SOFTMAX.f(z)
