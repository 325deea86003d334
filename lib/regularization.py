"""Batch normalisation, dropout and gradient clipping: three small pieces that make deep networks trainable.

:class:`lib.network.FeedForwardNetwork` uses them with ``batch_norm=True``, ``dropout=p`` and
``fit(clip_norm=...)``. (The L2 penalty lives in the network itself: ``l2``.)

Introduced in chapter 09.
"""

# ruff: noqa: E741 -- l is the book's layer index (W^l, z^l), as in the equations the code follows

import numbers

import numpy as np

from lib import _validate
from lib.initializers import _float_dtype
from lib.network import FeedForwardNetwork

_TOO_LARGE = "the values are too large: the result overflows the float range"


def _fraction(name, value, what):
    """Return `value` as a float in [0, 1); TypeError for a non-number, ValueError outside the interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected {what} in [0, 1), got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name}: expected {what} in [0, 1), got {value!r}")
    return float(value)


class BatchNorm:
    """Batch normalisation of a layer's weighted inputs z (Ioffe and Szegedy, 2015), before the activation.

    Training: each unit is standardised with the batch's mean and variance, then scaled and shifted by the
    learnable gamma and beta: z_hat = (z - mean) / sqrt(var + eps), out = gamma z_hat + beta.
    Inference: the running averages of the batch statistics replace them, so a prediction for one sample does
    not depend on the other samples. After each training batch, running = momentum running + (1 - momentum) batch.

    Introduced in chapter 09.
    """

    def __init__(self, n_units, momentum=0.9, eps=1e-5, dtype=np.float64):
        _validate.count("n_units", n_units, 10**5)  # a layer size: at most 10**5, as in initializers
        momentum = _fraction("momentum", momentum, "a number")
        _validate.positive_number("eps", eps)
        dtype = _float_dtype(dtype)
        self.gamma = np.ones(n_units, dtype=dtype)
        self.beta = np.zeros(n_units, dtype=dtype)
        self.running_mean = np.zeros(n_units, dtype=dtype)
        self.running_var = np.ones(n_units, dtype=dtype)
        self.momentum = float(momentum)
        self.eps = float(eps)
        self.z_hat = self.mean = None  # set by forward

    def _check_forward_ran(self, name, training=False):
        """Raise naming `name` unless forward (in training mode, if `training`) has run."""
        if self.z_hat is None or (training and self.mean is None):
            raise ValueError(f"{name}: call forward({'training=True' if training else ''}) first; backward and "
                             "update_running_stats use what it keeps")

    def _after_forward(self, name, array, training=False):
        """Check that forward (in training mode, if `training`) has run; return `array` checked."""
        self._check_forward_ran(name, training)
        array = _validate.unless_ignored(name, array, self.gamma.dtype)
        if array.shape != self.z_hat.shape:
            raise ValueError(f"{name}: expected shape {self.z_hat.shape} (the z of the last forward), "
                             f"got {array.shape}")
        return array

    def forward(self, z, training, xp=np):
        """Return gamma z_hat + beta, with batch statistics (training) or running statistics
        (inference); the computation is :meth:`_normalise`, after checking z.

        In training mode the batch statistics and z_hat are kept for :meth:`backward` and
        :meth:`update_running_stats`. ``xp`` is the array module of z: numpy (z is checked)
        or autograd.numpy (z is autograd's traced array, used as it is).

        Introduced in chapter 09.
        """
        if xp is np:
            z = _validate.unless_ignored("z", z, self.gamma.dtype)
            training = _validate.boolean("training", training)
        if len(z.shape) != 2 or z.shape[1] != self.gamma.shape[0] or z.shape[0] == 0:
            raise ValueError(f"z: expected shape (n_samples, {self.gamma.shape[0]}) with "
                             f"n_samples >= 1, got {tuple(z.shape)}")
        if xp is np:  # no warning: an overflow is an error naming z (fit detects it itself)
            return _validate.finite_result("z", _TOO_LARGE, self._normalise, z, training)
        return self._normalise(z, training)

    def _normalise(self, z, training):
        """gamma z_hat + beta, with z_hat = (z - mean) / sqrt(var + eps): the batch's mean
        and variance in training, the running averages in inference."""
        if training:
            # The batch variance divides by n (biased), as in the normalisation itself.
            self.mean, self.var = z.mean(axis=0), z.var(axis=0)
            mean, var = self.mean, self.var
        else:
            # Local names: the batch statistics kept for update_running_stats stay those
            # of the last training batch.
            mean, var = self.running_mean, self.running_var
        self.inv_std = 1 / (var + self.eps) ** 0.5
        self.z_hat = (z - mean) * self.inv_std
        return self.gamma * self.z_hat + self.beta

    def backward(self, delta):
        """Given delta = dC/d(out), set ``dgamma``, ``dbeta`` and return dC/dz (training
        mode, batch statistics); the computation is :meth:`_backward`, after checking delta.

        Introduced in chapter 09.
        """
        delta = self._after_forward("delta", delta, training=True)
        return _validate.finite_result("delta", _TOO_LARGE, self._backward, delta)

    def _backward(self, delta):
        """Given delta = dC/d(out), set dgamma and dbeta and return dC/dz.

        The mean and variance depend on every z of the batch, which gives the two
        correction terms: dz = inv_std (dz_hat - mean(dz_hat) - z_hat mean(dz_hat z_hat)),
        with dz_hat = gamma delta.
        """
        self.dgamma = np.sum(delta * self.z_hat, axis=0)
        self.dbeta = np.sum(delta, axis=0)
        dz_hat = delta * self.gamma
        return self.inv_std * (
            dz_hat - dz_hat.mean(axis=0) - self.z_hat * (dz_hat * self.z_hat).mean(axis=0)
        )

    def backward_inference(self, delta):
        """Given delta = dC/d(out), set ``dgamma``, ``dbeta`` and return dC/dz with the running statistics.

        With fixed statistics the layer is affine in z, so dC/dz = gamma inv_std delta.

        Introduced in chapter 09.
        """
        delta = self._after_forward("delta", delta)
        return _validate.finite_result("delta", _TOO_LARGE, self._backward_inference, delta)

    def _backward_inference(self, delta):
        self.dgamma = np.sum(delta * self.z_hat, axis=0)
        self.dbeta = np.sum(delta, axis=0)
        return delta * (self.gamma * self.inv_std)

    def update_running_stats(self):
        """Fold the last training batch's mean and variance into the running averages used for inference.

        Introduced in chapter 09.
        """
        self._check_forward_ran("update_running_stats", training=True)
        self.running_mean *= self.momentum
        self.running_mean += (1 - self.momentum) * self.mean
        self.running_var *= self.momentum
        self.running_var += (1 - self.momentum) * self.var


class Dropout:
    """Inverted dropout (Srivastava et al., 2014): in training, zero each activation
    with probability p and divide the survivors by 1 - p, so the expected activation is
    unchanged and inference needs no rescaling.

    Introduced in chapter 09.
    """

    def __init__(self, p, dtype=np.float64):
        self.p = _fraction("dropout", p, "a probability p")
        self.dtype = _float_dtype(dtype)
        self.mask = None

    def forward(self, a, training, rng=None):
        """Return a with dropout applied (training, a new mask from ``rng``) or
        a unchanged (inference); the computation is :meth:`_forward`, after checking
        the arguments.

        Introduced in chapter 09.
        """
        training = _validate.boolean("training", training)
        if isinstance(a, np.ndarray) or not hasattr(a, "_value"):  # autograd's traced arrays pass as they are
            a = _validate.unless_ignored("a", a, self.dtype)
        if not training or self.p == 0:
            return self._forward(a, training, rng)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng: dropout in training needs a numpy.random.Generator, got {type(rng).__name__}")
        if not isinstance(a, np.ndarray):  # autograd's traced arrays
            return self._forward(a, training, rng)
        # a near the float limit, divided by 1 - p, overflows: an error naming a, not a warning
        return _validate.finite_result("a", _TOO_LARGE, self._forward, a, training, rng)

    def _forward(self, a, training, rng):
        """Training: a * m / (1 - p), where each m_j is 1 with probability 1 - p and 0
        with probability p, drawn anew at every call. Inference: a as it is."""
        if not training or self.p == 0:
            self.mask = None
            return a
        m = rng.random(a.shape, dtype=self.dtype) >= self.p  # True with probability 1 - p
        self.mask = m.astype(self.dtype) / (1 - self.p)
        return a * self.mask

    def backward(self, grad):
        """Return dC/da given dC/d(dropout output): the same mask, applied to
        the gradient; the computation is :meth:`_backward`, after checking grad.

        Introduced in chapter 09.
        """
        grad = _validate.unless_ignored("grad", grad, self.dtype)
        if self.mask is None:
            return self._backward(grad)
        if grad.shape != self.mask.shape:
            raise ValueError(f"grad: expected shape {self.mask.shape} (the a of the last forward), got {grad.shape}")
        return _validate.finite_result("grad", _TOO_LARGE, self._backward, grad)

    def _backward(self, grad):
        """dC/da = dC/d(output) * m / (1 - p), with the mask of the last forward pass
        (no mask: nothing was dropped, and the gradient passes unchanged)."""
        if self.mask is None:
            return grad
        return grad * self.mask


def clip_by_norm(grads, max_norm):
    """Return (grads scaled so their global L2 norm is at most ``max_norm``, the norm
    before clipping); the computation is :func:`_clip_by_norm`, after checking the arguments.

    The global norm is sqrt(sum of all squared entries of all arrays). When it exceeds
    max_norm, every array is multiplied by max_norm / norm, so that the clipped gradients
    have the global norm max_norm (Pascanu et al., 2013). Gradients containing NaN or inf
    are returned unchanged (with a norm of nan or inf).

    Introduced in chapter 09.
    """
    _validate.positive_number("max_norm", max_norm)
    if not isinstance(grads, (list, tuple)) or not all(
        isinstance(g, np.ndarray) and g.dtype.kind == "f" for g in grads
    ):
        raise TypeError("grads: expected a list of float NumPy arrays")
    clipped, norm = _clip_by_norm(grads, max_norm)
    # NaN or inf entries make the norm NaN or inf (so does an overflow of finite entries, which is clipped)
    if not np.isfinite(norm) and not all(np.all(np.isfinite(g)) for g in grads):
        return list(grads), norm  # nothing sensible to clip
    return clipped, norm


def _clip_by_norm(grads, max_norm):
    """g <- g min(1, c / ||g||) for every gradient array g, where c is max_norm and
    ||g|| the global norm of all the arrays together. Returns (the arrays, ||g||)."""
    norm, c_over_norm = _global_norm(grads, max_norm)  # ||g|| and c / ||g||
    if norm <= max_norm:
        return list(grads), norm
    return [g * c_over_norm for g in grads], norm


def _global_norm(grads, max_norm):
    """(the global norm, max_norm / norm) without overflow: in float64, after dividing by the largest entry.

    The norm itself may be inf (float64 entries near 1e308) while max_norm / norm is still a proper factor. The
    factor is a Python float, so that multiplying by it keeps each array's dtype (float32 stays float32).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        largest = max((float(np.max(np.abs(g))) for g in grads if g.size), default=0.0)
        if largest == 0 or not np.isfinite(largest):
            return largest, np.nan  # all zero (nothing to clip), or NaN/inf entries (nothing sensible to do)
        root = np.sqrt(sum(float(np.sum(np.square(g / largest, dtype=np.float64))) for g in grads))
        return largest * root, float(max_norm / largest / root)


class RegularizedNetwork(FeedForwardNetwork):
    """The network of chapter 07 with batch normalisation and/or dropout in every hidden layer.

    Built by ``FeedForwardNetwork(..., batch_norm=True)`` or ``FeedForwardNetwork(..., dropout=p)`` (or by this
    class with the same arguments). Only the forward pass and backpropagation change: batch norm replaces z^l by
    gamma z_hat^l + beta before the activation, dropout thins a^l after it. ``training=True`` (what fit uses)
    takes batch statistics and draws dropout masks; otherwise the running statistics are used and nothing is
    dropped.

    Introduced in chapter 09.
    """

    _has_layers_of_chapter_09 = True

    def __init__(self, layer_sizes, hidden_activation="sigmoid", output_activation="identity",
                 loss="squared_error", init="glorot", seed=0, dtype=np.float64, batch_norm=False, dropout=0.0,
                 l2=0.0):
        super().__init__(layer_sizes, hidden_activation, output_activation, loss, init, seed, dtype, batch_norm,
                         dropout, l2)
        hidden_sizes = self.layer_sizes[1:-1]
        if batch_norm:
            self.batch_norms = [BatchNorm(n, dtype=self.dtype) for n in hidden_sizes]
        if Dropout(dropout).p:  # checks that 0 <= dropout < 1
            self.dropouts = [Dropout(dropout, self.dtype) for _ in hidden_sizes]
        self.hidden_outputs = []

    def _forward(self, X, training=False, rng=None):
        """The forward pass with batch norm before and dropout after each hidden
        activation. Returns (zs, activations) as the core does; zs holds the normalised
        z^l, and self.hidden_outputs keeps f(z^l) before dropout for backpropagation."""
        L = len(self.weights)
        a = X
        zs, activations, self.hidden_outputs = [], [a], []
        for l in range(1, L + 1):
            z = a @ self.weights[l - 1] + self.biases[l - 1]
            if l == L:
                a = self.output_activation(z)
            else:
                if self.batch_norms:
                    z = self.batch_norms[l - 1].forward(z, training)
                a = self.hidden_activation(z)
                self.hidden_outputs.append(a)
                if self.dropouts:
                    a = self.dropouts[l - 1].forward(a, training, rng)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def _backprop(self, zs, activations, Y, training=False):
        """BP1-BP4 as in the core, with BP2 passing back through dropout (its mask) and
        batch norm (which also sets its dgamma and dbeta)."""
        L = len(self.weights)
        dW, db = [None] * L, [None] * L
        delta = self._output_error(zs[-1], activations[-1], Y)  # BP1
        for l in range(L, 0, -1):
            db[l - 1] = delta.sum(axis=0)  # BP3
            dW[l - 1] = activations[l - 1].T @ delta  # BP4
            if self.l2:
                dW[l - 1] += self.l2 * self.weights[l - 1]
            if l > 1:  # BP2, through the layers of hidden layer l - 1
                dC_da = delta @ self.weights[l - 1].T
                if self.dropouts:
                    dC_da = self.dropouts[l - 2].backward(dC_da)
                f = self.hidden_activation
                delta = f.backward(zs[l - 2], self.hidden_outputs[l - 2], dC_da)
                if self.batch_norms:  # delta is now dC/d(gamma z_hat + beta)
                    norm = self.batch_norms[l - 2]
                    backward = norm.backward if training else norm.backward_inference
                    delta = backward(delta)
        return dW, db

    def _parameters(self):
        return self.weights + self.biases + [p for bn in self.batch_norms for p in (bn.gamma, bn.beta)]

    def _gradients(self, X, Y, training=False, rng=None):
        zs, activations = self._forward(X, training, rng)
        dW, db = self._backprop(zs, activations, Y, training)
        return dW + db + [g for bn in self.batch_norms for g in (bn.dgamma, bn.dbeta)], activations[-1]

    def _end_of_step(self):
        for batch_norm in self.batch_norms:
            batch_norm.update_running_stats()

    def __repr__(self):
        return super().__repr__()[:-1] + (f", batch_norm={bool(self.batch_norms)}, "
                                          f"dropout={self.dropouts[0].p if self.dropouts else 0.0})")
