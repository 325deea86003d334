"""Optimizers: how a gradient becomes a step, one small class per rule.

Introduced in chapter 09 (plain gradient descent in chapter 05). Every optimizer has the same interface:

- ``Optimizer(learning_rate, **hyperparameters)``,
- ``.update(params, grads)`` changes each array of the list ``params`` in place, using the matching array
  of ``grads`` (same order, same shapes); the state an optimizer remembers between steps (a velocity, running
  averages) is kept per list position and created at the first step with each parameter's shape and dtype,
- ``.reset()`` forgets that state, e.g. before training a new network,
- ``.bind(params)`` checks ``params`` once and returns ``update(grads)`` without the per-step checks (what
  ``FeedForwardNetwork.fit`` uses).

The update rule of each class lives in its ``step`` method and reads line by line next to the formulas, with
theta a parameter, g its gradient and eta the learning rate. The code writes into existing arrays
(``out=`` and in-place operators) so that a training step allocates no new arrays: with the small networks of
this book the optimizer runs once per minibatch and would otherwise cost as much as the backward pass.
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

    A subclass lists the names of the arrays it keeps per parameter in `slots` and implements
    ``step(theta, g, *slots)``. The last slot of every optimizer here is ``tmp``, a scratch array that lets
    the rule be written without allocating temporaries.

    Introduced in chapter 09.
    """

    slots = ("tmp",)

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
        self._apply(params, grads)

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

    Introduced in chapter 05.
    """

    def step(self, theta, g, tmp):
        """theta <- theta - eta g.

        Introduced in chapter 05.
        """
        theta -= np.multiply(g, self.learning_rate, out=tmp)


class Momentum(Optimizer):
    """Gradient descent with momentum: a velocity v accumulates past gradients.

    v <- mu v - eta g;  theta <- theta + v.  With mu = 0 this is plain gradient descent. v is an exponentially
    weighted sum of the past steps -eta g: for a constant gradient it grows to 1 / (1 - mu) (10 for mu = 0.9)
    times one SGD step, while gradients that alternate in sign, as across a narrow valley, cancel in it.

    Introduced in chapter 09.
    """

    slots = ("v", "tmp")

    def __init__(self, learning_rate, momentum=0.9):
        self.momentum = _fraction("momentum", momentum)
        super().__init__(learning_rate)

    def step(self, theta, g, v, tmp):
        """v <- mu v - eta g;  theta <- theta + v.

        Introduced in chapter 09.
        """
        v *= self.momentum
        v -= np.multiply(g, self.learning_rate, out=tmp)  # v <- mu v - eta g
        theta += v  # theta <- theta + v


class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al., 2011): each parameter's step shrinks with the squared gradients it has seen.

    r <- r + g * g;  theta <- theta - eta g / (sqrt(r) + eps).  Parameters with rarely large gradients keep
    large steps; the sum only grows, so the steps decay over training.

    Introduced in chapter 09.
    """

    slots = ("r", "tmp")

    def __init__(self, learning_rate, eps=1e-8):
        self.eps = float(positive_number("eps", eps))
        super().__init__(learning_rate)

    def step(self, theta, g, r, tmp):
        """r <- r + g * g;  theta <- theta - eta g / (sqrt(r) + eps).

        Introduced in chapter 09.
        """
        r += np.square(g, out=tmp)  # r <- r + g * g
        np.sqrt(r, out=tmp)
        tmp += self.eps  # sqrt(r) + eps
        np.divide(g, tmp, out=tmp)  # g / (sqrt(r) + eps)
        # theta <- theta - eta g / (sqrt(r) + eps)
        theta -= np.multiply(tmp, self.learning_rate, out=tmp)


class RMSprop(Optimizer):
    """RMSprop (Tieleman and Hinton, 2012): AdaGrad with a running average instead of a sum.

    r <- rho r + (1 - rho) g * g;  theta <- theta - eta g / (sqrt(r) + eps).  The average forgets old
    gradients, so the steps do not decay to zero.

    Introduced in chapter 09.
    """

    slots = ("r", "tmp")

    def __init__(self, learning_rate, rho=0.9, eps=1e-8):
        self.rho = _fraction("rho", rho)
        self.eps = float(positive_number("eps", eps))
        super().__init__(learning_rate)

    def step(self, theta, g, r, tmp):
        """r <- rho r + (1 - rho) g * g;  theta <- theta - eta g / (sqrt(r) + eps).

        Introduced in chapter 09.
        """
        r *= self.rho
        # r <- rho r + (1 - rho) g * g
        r += np.multiply(np.square(g, out=tmp), 1 - self.rho, out=tmp)
        np.sqrt(r, out=tmp)
        tmp += self.eps  # sqrt(r) + eps
        np.divide(g, tmp, out=tmp)  # g / (sqrt(r) + eps)
        # theta <- theta - eta g / (sqrt(r) + eps)
        theta -= np.multiply(tmp, self.learning_rate, out=tmp)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): momentum on the gradient, RMSprop on its square, both bias-corrected.

    At step t = 1, 2, ...:
    m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g * g;
    m_hat = m / (1 - beta1^t);  v_hat = v / (1 - beta2^t);  theta <- theta - eta m_hat / (sqrt(v_hat) + eps).
    m and v start at zero, so early averages are too small; dividing by (1 - beta^t) corrects that.

    Introduced in chapter 09.
    """

    slots = ("m", "v", "tmp")

    def __init__(self, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = _fraction("beta1", beta1)
        self.beta2 = _fraction("beta2", beta2)
        self.eps = float(positive_number("eps", eps))
        super().__init__(learning_rate)

    def step(self, theta, g, m, v, tmp):
        """Adam's rule with bias correction (see the class docstring); self.t is the
        step number.

        Introduced in chapter 09.
        """
        m *= self.beta1
        m += np.multiply(g, 1 - self.beta1, out=tmp)  # m <- beta1 m + (1 - beta1) g
        v *= self.beta2
        # v <- beta2 v + (1 - beta2) g * g
        v += np.multiply(np.square(g, out=tmp), 1 - self.beta2, out=tmp)
        np.sqrt(np.divide(v, 1 - self.beta2**self.t, out=tmp), out=tmp)  # sqrt(v_hat)
        tmp += self.eps  # sqrt(v_hat) + eps
        np.divide(m, tmp, out=tmp)  # m / (sqrt(v_hat) + eps)
        # theta <- theta - eta m_hat / (sqrt(v_hat) + eps), with m_hat = m / (1 - beta1^t)
        # folded into the factor
        theta -= np.multiply(tmp, self.learning_rate / (1 - self.beta1**self.t), out=tmp)


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
