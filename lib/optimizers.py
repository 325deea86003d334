"""Optimizers: how a gradient becomes a step, one small class per rule.

Introduced in chapter 09 (plain gradient descent in chapter 05). Every optimizer has the same interface:

- ``Optimizer(learning_rate, **hyperparameters)``,
- ``.update(params, grads)`` changes each array of the list ``params`` in place, using the matching array
  of ``grads`` (same order, same shapes); the state an optimizer remembers between steps (a velocity, running
  averages) is kept per list position and created at the first step with each parameter's shape and dtype,
- ``.reset()`` forgets that state, e.g. before training a new network,
- ``.bind(params)`` checks ``params`` once and returns ``update(grads)`` without the per-step checks (what
  ``FeedForwardNetwork.fit`` uses).

The update rule of each class lives in its ``step`` method and reads line by line as the formula chapter 09
states, with theta a parameter, g its gradient and eta the learning rate. Only the arrays that must persist
(theta and the optimizer's state) are changed in place; the right-hand sides are plain NumPy expressions.
(Writing them into preallocated buffers instead saves about a tenth of an Adam training step on a 64-100-10
network, measured in issue 13: not worth hiding the formulas.)
"""

import functools
import numbers

import numpy as np

from lib._validate import choice, positive_number

_SEQUENCES = (list, tuple)


def _fraction(name, value):
    """Return `value` as a float in [0, 1); raise naming `name` otherwise (decay rates, momentum)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number in [0, 1), got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name}: expected a number in [0, 1), got {value!r}")
    return float(value)


class Optimizer:
    """Base class: checks the inputs, keeps per-parameter state, and calls `step` for each parameter.

    A subclass lists the names of the arrays it keeps per parameter in `slots` (each created as zeros with
    the parameter's shape and dtype at the first step) and implements ``step(theta, g, *slots)``, which
    changes theta and the slots in place.

    Introduced in chapter 09.
    """

    slots = ()

    def __init__(self, learning_rate):
        self.learning_rate = float(positive_number("learning_rate", learning_rate))
        self.reset()

    def reset(self):
        """Forget the state (velocities, running averages, step count).

        Introduced in chapter 09.
        """
        self.state = []  # per parameter: the tuple of arrays named in `slots`
        self._known = []  # per parameter: (the array, its shape), to recognise the same parameters cheaply
        self.t = 0

    def update(self, params, grads):
        """Take one step: change every array in `params` in place using the matching array in `grads`.

        Raises ValueError when the step leaves NaN or inf in a parameter or in the optimizer's state (except
        inside ``numpy.errstate(invalid="ignore")``, where the caller checks for divergence).

        Introduced in chapter 09.
        """
        # The check at every step is kept to identity tests: the same parameter arrays as at the last step, and
        # gradients of their dtype and shape. Anything else (including the first step) goes through _prepare.
        known = self._known
        same = type(params) in _SEQUENCES and type(grads) in _SEQUENCES and len(params) == len(grads) == len(known)
        if same:
            for theta, g, (known_theta, shape) in zip(params, grads, known, strict=False):  # lengths checked above
                same = theta is known_theta and type(g) is np.ndarray and g.dtype is theta.dtype and g.shape == shape
                if not same:
                    break
        if not same:
            self._prepare(params, grads)
        # A loop that runs under numpy.errstate(invalid="ignore") detects divergence itself (as lib._validate's
        # checks assume): there an overflowing step is left to it. Elsewhere it is a ValueError, not a warning.
        caller_checks = np.geterr()["invalid"] == "ignore"
        with np.errstate(over="ignore", invalid="ignore"):
            self._apply(params, grads)
        for i, (theta, state) in enumerate([] if caller_checks else zip(params, self.state, strict=False)):
            if not (np.isfinite(theta).all() and all(np.isfinite(s).all() for s in state)):
                raise ValueError(f"grads[{i}]: the step overflows the float range or meets NaN/inf (gradients "
                                 f"near {np.sqrt(np.finfo(theta.dtype).max):.0e} or more, or a huge learning_rate); "
                                 f"params[{i}] and the optimizer's state are no longer usable")

    def bind(self, params):
        """Check `params` once; return ``update(grads)``, which steps them without checking `grads` each time.

        For training loops whose gradients have the shapes and dtype of the parameters by construction, such as
        :meth:`lib.network.FeedForwardNetwork.fit`: the per-step checks of :meth:`update` are then pure overhead.

        Introduced in chapter 09.
        """
        if type(self).update is not Optimizer.update:  # a subclass with its own update keeps it
            return functools.partial(self.update, params)
        self._prepare(params, params)  # the checks of update, with gradients shaped like the parameters
        return functools.partial(self._apply, params)

    def _apply(self, params, grads):
        """The step itself, on checked arguments: `step` for each parameter with its state."""
        self.t += 1
        step = self.step
        for theta, g, state in zip(params, grads, self.state, strict=False):  # lengths checked in _prepare
            step(theta, g, *state)

    def step(self, theta, g, *state):
        """The update rule for one parameter array (implemented by each optimizer).

        Introduced in chapter 09.
        """
        raise NotImplementedError

    def _prepare(self, params, grads):
        """The full check, with clear errors; creates the state at the first step."""
        for name, value in (("params", params), ("grads", grads)):
            if not isinstance(value, _SEQUENCES):
                raise TypeError(f"{name}: expected a list of NumPy arrays, got {type(value).__name__}")
        if len(params) != len(grads):
            raise ValueError(f"params and grads: expected one gradient per parameter, got {len(params)} params and "
                             f"{len(grads)} grads")
        for i, (theta, g) in enumerate(zip(params, grads, strict=True)):
            if not isinstance(theta, np.ndarray) or theta.dtype.kind != "f":
                raise TypeError(f"params[{i}]: expected a float NumPy array (updated in place), got "
                                f"{getattr(theta, 'dtype', type(theta).__name__)}")
            if not theta.flags.writeable:
                raise ValueError(f"params[{i}]: the array is read-only; the optimizer updates it in place")
            if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
                raise TypeError(f"grads[{i}]: expected a float NumPy array, got "
                                f"{getattr(g, 'dtype', type(g).__name__)}")
            if g.shape != theta.shape:
                raise ValueError(f"grads[{i}]: expected shape {theta.shape} (the shape of params[{i}]), got {g.shape}")
        if not self.state:
            self.state = [tuple(np.zeros_like(theta) for _ in self.slots) for theta in params]
        elif len(params) != len(self.state) or any(theta.shape != state[0].shape or theta.dtype != state[0].dtype
                                                   for theta, state in zip(params, self.state, strict=True)):
            raise ValueError("params: the parameters changed number, shape or dtype since the last update; "
                             "call reset() before optimizing different parameters")
        self._known = [(theta, theta.shape) for theta in params]


class SGD(Optimizer):
    """Plain gradient descent: theta <- theta - eta g.

    With the gradient of the whole training set this is gradient descent; with the gradient of a minibatch it
    is stochastic gradient descent (SGD). The rule is the same.

    Introduced in chapter 09.
    """

    def step(self, theta, g):
        """theta <- theta - eta g.

        Introduced in chapter 05.
        """
        theta -= self.learning_rate * g


class Momentum(Optimizer):
    """Gradient descent with momentum: a velocity v accumulates past gradients.

    v <- mu v - eta g;  theta <- theta + v.  With mu = 0 this is plain gradient descent. v is an exponentially
    weighted sum of the past steps -eta g: for a constant gradient it grows to 1 / (1 - mu) (10 for mu = 0.9)
    times one SGD step, while gradients that alternate in sign, as across a narrow valley, cancel in it.

    Introduced in chapter 09.
    """

    slots = ("v",)

    def __init__(self, learning_rate, momentum=0.9):
        self.momentum = _fraction("momentum", momentum)
        super().__init__(learning_rate)

    def step(self, theta, g, v):
        """v <- mu v - eta g;  theta <- theta + v.

        Introduced in chapter 09.
        """
        v[...] = self.momentum * v - self.learning_rate * g
        theta += v


class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al., 2011): each parameter's step shrinks with the squared gradients it has seen.

    r <- r + g * g;  theta <- theta - eta g / (sqrt(r) + eps).  Parameters with rarely large gradients keep
    large steps; the sum only grows, so the steps decay over training.

    Introduced in chapter 09.
    """

    slots = ("r",)

    def __init__(self, learning_rate, eps=1e-8):
        self.eps = float(positive_number("eps", eps))
        super().__init__(learning_rate)

    def step(self, theta, g, r):
        """r <- r + g * g;  theta <- theta - eta g / (sqrt(r) + eps).

        Introduced in chapter 09.
        """
        r += g * g
        theta -= self.learning_rate * g / (np.sqrt(r) + self.eps)


class RMSprop(Optimizer):
    """RMSprop (Tieleman and Hinton, 2012): AdaGrad with a running average instead of a sum.

    r <- rho r + (1 - rho) g * g;  theta <- theta - eta g / (sqrt(r) + eps).  The average forgets old
    gradients, so the steps do not decay to zero.

    Introduced in chapter 09.
    """

    slots = ("r",)

    def __init__(self, learning_rate, rho=0.9, eps=1e-8):
        self.rho = _fraction("rho", rho)
        self.eps = float(positive_number("eps", eps))
        super().__init__(learning_rate)

    def step(self, theta, g, r):
        """r <- rho r + (1 - rho) g * g;  theta <- theta - eta g / (sqrt(r) + eps).

        Introduced in chapter 09.
        """
        r[...] = self.rho * r + (1 - self.rho) * g * g
        theta -= self.learning_rate * g / (np.sqrt(r) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): momentum on the gradient, RMSprop on its square, both bias-corrected.

    At step t = 1, 2, ...:
    m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g * g;
    m_hat = m / (1 - beta1^t);  v_hat = v / (1 - beta2^t);  theta <- theta - eta m_hat / (sqrt(v_hat) + eps).
    m and v start at zero, so early averages are too small; dividing by (1 - beta^t) corrects that.

    Introduced in chapter 02 (which trains with it before chapter 09 derives it, and says why).
    """

    slots = ("m", "v")

    def __init__(self, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = _fraction("beta1", beta1)
        self.beta2 = _fraction("beta2", beta2)
        self.eps = float(positive_number("eps", eps))
        super().__init__(learning_rate)

    def step(self, theta, g, m, v):
        """m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g * g;
        m_hat = m / (1 - beta1^t);  v_hat = v / (1 - beta2^t);
        theta <- theta - eta m_hat / (sqrt(v_hat) + eps), at step t = self.t = 1, 2, ...

        Introduced in chapter 09.
        """
        m[...] = self.beta1 * m + (1 - self.beta1) * g
        v[...] = self.beta2 * v + (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1**self.t)
        v_hat = v / (1 - self.beta2**self.t)
        theta -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam}


def get_optimizer(optimizer, learning_rate, **hyperparameters):
    """Return an optimizer: a name ("sgd", "momentum", "adagrad", "rmsprop", "adam") with `learning_rate` and
    optional hyperparameters, or an optimizer object, which is returned as is (any object with the methods
    ``update(params, grads)`` and ``reset()`` will do).

    Introduced in chapter 09.
    """
    if isinstance(optimizer, Optimizer) or all(callable(getattr(optimizer, m, None)) for m in ("update", "reset")):
        return optimizer
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer: expected a name (one of {sorted(OPTIMIZERS)}) or an optimizer object, "
                        f"got {type(optimizer).__name__}")
    return choice("optimizer", optimizer.lower(), OPTIMIZERS)(learning_rate, **hyperparameters)
