"""Batch normalisation, dropout and gradient clipping: three small pieces that make deep networks trainable.

:class:`lib.network.FeedForwardNetwork` uses them with ``batch_norm=True``, ``dropout=p`` and
``fit(clip_norm=...)``. (The L2 penalty lives in the network itself: ``l2``.)

Introduced in chapter 09.
"""

import math
import numbers

import numpy as np

from lib import _validate
from lib.initializers import _float_dtype


class BatchNorm:
    """Batch normalisation of a layer's weighted inputs z (Ioffe and Szegedy, 2015), before the activation.

    Training: each unit is standardised with the batch's mean and variance, then scaled and shifted by the
    learnable gamma and beta: z_hat = (z - mean) / sqrt(var + eps), out = gamma z_hat + beta.
    Inference: the running averages of the batch statistics replace them, so a prediction for one sample does
    not depend on the other samples. After each training batch, running = momentum running + (1 - momentum) batch.

    Introduced in chapter 09.
    """

    def __init__(self, n_units, momentum=0.9, eps=1e-5, dtype=np.float64):
        _validate.positive_number("n_units", n_units, integer=True)
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) or not 0 <= momentum < 1:
            raise ValueError(f"momentum: expected a number in [0, 1), got {momentum!r}")
        _validate.positive_number("eps", eps)
        dtype = _float_dtype(dtype)
        self.gamma = np.ones(n_units, dtype=dtype)
        self.beta = np.zeros(n_units, dtype=dtype)
        self.running_mean = np.zeros(n_units, dtype=dtype)
        self.running_var = np.ones(n_units, dtype=dtype)
        self.momentum = float(momentum)
        self.eps = float(eps)

    def forward(self, z, training, xp=np):
        """Return gamma z_hat + beta, with batch statistics (training) or running statistics
        (inference).

        In training mode the batch statistics and z_hat are kept for :meth:`backward` and
        :meth:`update_running_stats`. ``xp`` is the array module (numpy or autograd.numpy).

        Introduced in chapter 09.
        """
        if len(z.shape) != 2 or z.shape[1] != self.gamma.shape[0]:
            raise ValueError(f"z: expected shape (n_samples, {self.gamma.shape[0]}), "
                             f"got {tuple(z.shape)}")
        if training:
            # The batch variance divides by n (biased), as in the normalisation itself.
            self.mean, self.var = z.mean(axis=0), z.var(axis=0)
            mean, var = self.mean, self.var
        else:
            # Local names: the batch statistics kept for update_running_stats stay those
            # of the last training batch.
            mean, var = self.running_mean, self.running_var
        self.inv_std = 1 / xp.sqrt(var + self.eps)
        self.z_hat = (z - mean) * self.inv_std
        return self.gamma * self.z_hat + self.beta

    def backward(self, delta):
        """Given delta = dC/d(out), set ``dgamma``, ``dbeta`` and return dC/dz (training
        mode, batch statistics).

        The mean and variance depend on every z of the batch, which gives the two correction
        terms: dz = inv_std (dz_hat - mean(dz_hat) - z_hat mean(dz_hat z_hat)), with
        dz_hat = gamma delta.

        Introduced in chapter 09.
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
        self.dgamma = np.sum(delta * self.z_hat, axis=0)
        self.dbeta = np.sum(delta, axis=0)
        return delta * (self.gamma * self.inv_std)

    def update_running_stats(self):
        """Fold the last training batch's mean and variance into the running averages used for inference.

        Introduced in chapter 09.
        """
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
        if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p < 1:
            raise ValueError("dropout: expected a probability p with 0 <= p < 1, "
                             f"got {p!r}")
        self.p = float(p)
        self.dtype = _float_dtype(dtype)
        self.mask = None

    def forward(self, a, training, rng=None):
        """Return a with dropout applied (training, a new mask from ``rng``) or
        a unchanged (inference).

        Introduced in chapter 09.
        """
        if not training or self.p == 0:
            self.mask = None
            return a
        if not isinstance(rng, np.random.Generator):
            raise TypeError("rng: dropout in training needs a numpy.random.Generator, "
                            f"got {type(rng).__name__}")
        keep = rng.random(np.shape(a), dtype=self.dtype) >= self.p
        self.mask = keep / self.dtype.type(1 - self.p)
        return a * self.mask

    def backward(self, grad):
        """Return dC/da given dC/d(dropout output): the same mask, applied to
        the gradient.

        Introduced in chapter 09.
        """
        return grad if self.mask is None else grad * self.mask


def clip_by_norm(grads, max_norm):
    """Return (grads scaled so their global L2 norm is at most ``max_norm``, the norm
    before clipping).

    The global norm is sqrt(sum of all squared entries of all arrays); scaling every
    gradient by the same factor keeps the direction of the step and only shortens it
    (Pascanu et al., 2013). Gradients containing NaN or inf are returned unchanged
    (with a norm of nan or inf).

    Introduced in chapter 09.
    """
    _validate.positive_number("max_norm", max_norm)
    if not isinstance(grads, (list, tuple)) or not all(
        isinstance(g, np.ndarray) and g.dtype.kind == "f" for g in grads
    ):
        raise TypeError("grads: expected a list of float NumPy arrays")
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    # NaN/inf: nothing sensible to scale; the norm tells
    if norm <= max_norm or not math.isfinite(norm):
        return list(grads), norm
    scale = max_norm / norm
    return [g * np.asarray(scale, dtype=g.dtype) for g in grads], norm
