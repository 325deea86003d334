"""A fully connected feed-forward network, trained with the four equations of backpropagation.

Notation (the book's): samples are rows. Layer l = 1, ..., L computes z^l = a^{l-1} W^l + b^l and a^l = f(z^l),
with a^0 = X, W^l of shape (n_{l-1}, n_l) and b^l of shape (n_l,). In code, ``weights[l - 1]`` is W^l. The cost
C is the mean over the batch of a per-sample cost, and delta^l = dC/dz^l (one row per sample).

Backpropagation, for a batch (rows), with * the elementwise product:

    BP1  delta^L = dC/da^L * f'(z^L)               (for the canonical pairs: delta^L = (a^L - y) / n)
    BP2  delta^l = (delta^{l+1} @ W^{l+1}.T) * f'(z^l)
    BP3  dC/db^l = sum of delta^l over the batch (rows)
    BP4  dC/dW^l = a^{l-1}.T @ delta^l

Introduced in chapter 02 (its backpropagation is derived in chapter 07).
"""

# ruff: noqa: E741 -- l is the book's layer index (W^l, z^l), as in the equations the code follows

import contextlib
import functools
import inspect
import math
import numbers

import numpy as np

from lib import _validate
from lib.activations import SIGMOID, SOFTMAX, get_activation
from lib.initializers import _float_dtype, _layer_sizes, initialize
from lib.losses import CROSS_ENTROPY, get_loss
from lib.optimizers import Optimizer, get_optimizer

# The losses that take logarithms of the outputs: they need outputs that are probabilities.
_PROBABILITY_LOSSES = ("cross_entropy", "binary_cross_entropy")


class DivergenceError(FloatingPointError):
    """Training stopped because the loss or the parameters became NaN or infinite.

    Usually the learning rate is too large; when the loss is not finite even before the first step, the data are
    (the message says which).

    Introduced in chapter 05.
    """


class FeedForwardNetwork:
    """A feed-forward network: layers of weighted sums z = a @ W + b followed by activations a = f(z).

    Parameters: ``layer_sizes`` [n_0 (inputs), n_1, ..., n_L (outputs)]; ``hidden_activation`` and
    ``output_activation`` (names or :mod:`lib.activations` objects); ``loss`` (a name or a :mod:`lib.losses`
    object; the cross-entropies need a probability output, "softmax" or "sigmoid"); ``init`` ("normal", "glorot"
    or "he", see :mod:`lib.initializers`); ``seed`` for the initial weights and, by default, for the shuffling in
    :meth:`fit`; ``dtype`` (numpy.float64 or numpy.float32: every array, input and parameter is kept in it);
    ``l2`` (the strength lambda of the penalty lambda/2 sum ||W^l||^2 added to the cost; biases are not
    penalised; :meth:`fit` can change it).

    ``batch_norm`` (normalise every hidden layer's z) and ``dropout`` (probability of dropping a hidden
    activation during training) belong to chapter 09: with ``batch_norm=True`` or ``dropout > 0`` the network
    built is a :class:`lib.regularization.RegularizedNetwork`, this class extended by those two layers.

    Data: X has shape (n_samples, n_inputs). A 1-D X is read as ONE sample when the network has several inputs
    (its length must then be n_inputs), and as n samples of a single input when the network has one input.
    Y has shape (n_samples, n_outputs); a 1-D Y is a column when there is one output. With the
    "cross_entropy" loss a 1-D Y holds integer class labels 0..n_outputs-1, which are one-hot encoded.

    Good settings for the 8x8 digits are in ``lib.network.DIGITS_SETTINGS``.

    Introduced in chapter 02.
    """

    _has_layers_of_chapter_09 = False  # the extension (lib.regularization.RegularizedNetwork) has them

    def __new__(cls, *args, **kwargs):
        # batch_norm=True or dropout > 0 builds the extension of chapter 09 (a subclass; see the docstring).
        if cls is FeedForwardNetwork:
            try:
                chosen = _INIT_SIGNATURE.bind(None, *args, **kwargs).arguments
            except TypeError:  # __init__ raises it with Python's message
                chosen = {}
            if chosen.get("batch_norm", False) is not False or _nonzero(chosen.get("dropout", 0)):
                from lib.regularization import RegularizedNetwork

                cls = RegularizedNetwork
        return super().__new__(cls)

    def __init__(self, layer_sizes, hidden_activation="sigmoid", output_activation="identity",
                 loss="squared_error", init="glorot", seed=0, dtype=np.float64, batch_norm=False, dropout=0.0,
                 l2=0.0):
        self.layer_sizes = _layer_sizes(layer_sizes)
        self.hidden_activation = _activation("hidden_activation", hidden_activation)
        self.output_activation = _activation("output_activation", output_activation)
        self.loss_function = get_loss(loss)
        if self.output_activation is SOFTMAX and self.layer_sizes[-1] < 2:
            raise ValueError("output_activation: softmax needs at least 2 outputs (with 1 output it is always 1)")
        if self.loss_function.name in _PROBABILITY_LOSSES and self.output_activation not in (SOFTMAX, SIGMOID):
            raise ValueError(
                f"output_activation: the {self.loss_function.name} loss needs outputs that are probabilities, "
                f"'softmax' or 'sigmoid', got {self.output_activation.name!r} (did you forget "
                f"output_activation='softmax'?)")
        self.seed = _validate.seed(seed)
        self.dtype = _float_dtype(dtype)
        self.weights, self.biases = initialize(init, self.layer_sizes, np.random.default_rng(self.seed), self.dtype)
        self.init = init  # kept for the advice of a DivergenceError
        if not isinstance(batch_norm, bool):
            raise TypeError(f"batch_norm: expected True or False, got {batch_norm!r}")
        if (batch_norm or _nonzero(dropout)) and not self._has_layers_of_chapter_09:
            raise TypeError(f"batch_norm, dropout: {type(self).__name__} has no batch norm or dropout layers; "
                            "build the network as FeedForwardNetwork(...)")
        self.batch_norms, self.dropouts = [], []  # the layers of chapter 09 (see lib.regularization)
        self.l2 = _validate.non_negative("l2", l2)

    def __repr__(self):
        sizes = "-".join(map(str, self.layer_sizes))
        return (f"FeedForwardNetwork({sizes}, hidden={self.hidden_activation.name}, "
                f"output={self.output_activation.name}, loss={self.loss_function.name}, dtype={self.dtype.name})")

    # ----- the teaching core: the forward pass and BP1-BP4 (chapter 07 displays these three methods) --------
    def _forward(self, X):
        """The forward pass: return zs = [z^1, ..., z^L] and
        activations = [a^0 = X, a^1, ..., a^L]."""
        L = len(self.weights)
        a = X
        zs, activations = [], [a]
        for l in range(1, L + 1):  # weights[l - 1] is W^l
            z = a @ self.weights[l - 1] + self.biases[l - 1]
            f = self.output_activation if l == L else self.hidden_activation
            a = f(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def _output_error(self, z, a, Y):
        """BP1: delta^L = dC/da^L * f'(z^L), the error of the output layer.

        For a loss and its canonical output activation (identity + squared error,
        sigmoid + binary cross-entropy, softmax + cross-entropy) the product simplifies
        to (a^L - y) / n, which is what we compute for them.
        """
        if self.output_activation is self.loss_function.canonical_activation:
            return (a - Y) / len(Y)
        dC_da = self.loss_function.gradient(a, Y)
        return self.output_activation.backward(z, a, dC_da)

    def _backprop(self, zs, activations, Y):
        """Return (dW, db), the gradients of the cost: BP1 at the output, then BP3,
        BP4 and BP2 layer by layer back to the first."""
        L = len(self.weights)
        dW, db = [None] * L, [None] * L
        delta = self._output_error(zs[-1], activations[-1], Y)  # BP1
        for l in range(L, 0, -1):  # l = L, ..., 1; activations[l - 1] is a^{l-1}
            db[l - 1] = delta.sum(axis=0)  # BP3
            dW[l - 1] = activations[l - 1].T @ delta  # BP4
            if self.l2:  # the penalty l2/2 ||W^l||^2 adds l2 W^l to dC/dW^l
                dW[l - 1] += self.l2 * self.weights[l - 1]
            if l > 1:  # BP2: delta^{l-1} = (delta^l @ W^l.T) * f'(z^{l-1})
                dC_da = delta @ self.weights[l - 1].T
                f = self.hidden_activation
                delta = f.backward(zs[l - 2], activations[l - 1], dC_da)
        return dW, db

    # ----- the same passes for the library: any parameters, training mode, the pure cost ----------------------
    def _parameters(self):
        """The arrays fit trains, in the order of :meth:`_gradients`' list."""
        return self.weights + self.biases

    def _gradients(self, X, Y, training=False, rng=None):
        """Return (the gradients of _parameters() in one list, a^L) for checked X and Y.

        The plain network behaves the same in training and inference; the extension of chapter 09 overrides it.
        """
        zs, activations = self._forward(X)
        dW, db = self._backprop(zs, activations, Y)
        return dW + db, activations[-1]

    def _end_of_step(self):
        """Called by fit after each training step (batch norm updates its running statistics here)."""

    def _swap_in_unchecked(self):
        """Make the activations and the loss skip their input checks (fit's steps); return what _restore needs.

        The activation and loss objects check every array they are given, which costs more than the arithmetic
        on the book's small matrices (2-2-1: three times the step). fit checks X and Y once, and the arrays of a
        step are its own, so it runs the same _forward and _backprop with the bare rules of the same objects.
        """
        saved = self.hidden_activation, self.output_activation, self.loss_function
        output = _Unchecked(saved[1])
        hidden = output if saved[0] is saved[1] else _Unchecked(saved[0])
        canonical = output if saved[2].canonical_activation is saved[1] else None
        self.hidden_activation, self.output_activation = hidden, output
        self.loss_function = _UncheckedLoss(saved[2], canonical)
        return saved

    def _restore(self, saved):
        self.hidden_activation, self.output_activation, self.loss_function = saved

    def _pure_forward(self, X, weights, biases, xp=np, training=False, rng=None):
        """a^L for the given parameters, with the array module xp: the definition autograd differentiates.

        Written separately from _forward (and from the extension's) on purpose, so that the tests and chapter 07
        check backpropagation against an independent statement of the cost. Batch norm and dropout are applied
        when the network has them.
        """
        L = len(weights)
        a = X
        for i in range(L):
            z = a @ weights[i] + biases[i]
            if i == L - 1:
                return self.output_activation.f(z, xp)
            if self.batch_norms:
                z = self.batch_norms[i].forward(z, training, xp)
            a = self.hidden_activation.f(z, xp)
            if self.dropouts:
                a = self.dropouts[i].forward(a, training, rng)
        return a

    def forward(self, X):
        """Return the output activations a^L for the rows of X (inference: no dropout, running batch-norm stats).

        Introduced in chapter 02.
        """
        return self._forward(self._inputs(X))[1][-1]

    def forward_trace(self, X):
        """Return (zs, activations): the lists [z^1, ..., z^L] and [a^0 = X, a^1, ..., a^L] (inference mode).

        Introduced in chapter 07.
        """
        return self._forward(self._inputs(X))

    # ----- cost and gradients --------------------------------------------------------------------------------
    def loss_from_params(self, weights, biases, X, Y, xp=np, training=False, seed=None):
        """Return the cost for the given weights and biases: the same value as :meth:`loss`, as a pure function.

        ``xp`` is the array module: with ``autograd.numpy`` (and weights given as autograd arrays) this is
        differentiable by autograd, which is how the tests check :meth:`gradients`. It uses the network's own
        activation and loss objects, so there is one definition of the math. ``training`` and ``seed``: as in
        :meth:`gradients`.

        Introduced in chapter 07.
        """
        self._check_params("weights", weights, self.weights)
        self._check_params("biases", biases, self.biases)
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        training = _flag("training", training)
        rng = np.random.default_rng(self.seed if seed is None else _validate.seed(seed)) if training else None
        a_L = self._pure_forward(X, weights, biases, xp, training, rng)
        return self.loss_function.value(a_L, Y, xp) + self._penalty(weights, xp)

    @staticmethod
    def _check_params(name, params, like):
        shapes = [p.shape for p in like]
        if isinstance(params, (str, np.ndarray)) or not hasattr(params, "__len__") or len(params) != len(shapes):
            raise TypeError(f"{name}: expected a list of {len(shapes)} arrays of shapes {shapes}")
        for k, shape in enumerate(shapes):
            p = params[k]
            if getattr(p, "shape", None) != shape:
                raise ValueError(f"{name}[{k}]: expected an array of shape {shape}, got {getattr(p, 'shape', p)!r}")
            # Arrays from autograd (boxes) are not NumPy arrays: only their shape is checked.
            if isinstance(p, np.ndarray) and (p.dtype.kind != "f" or not np.all(np.isfinite(p))):
                raise ValueError(f"{name}[{k}]: expected finite floats, got {p.dtype} values or NaN/inf")

    def _penalty(self, weights, xp=np):
        if not self.l2:
            return 0.0
        return 0.5 * self.l2 * sum(xp.sum(W * W) for W in weights)

    def loss(self, X, Y, training=False, seed=None):
        """Return the cost C on (X, Y): the batch mean of the loss, plus l2/2 sum ||W^l||^2 when ``l2`` is set.

        A cost that overflows the float range is returned as inf (NaN when the parameters hold NaN), without a
        warning.

        This is the function :meth:`gradients` differentiates. ``training=True`` uses batch statistics in the
        batch-norm layers and dropout masks drawn with ``seed`` (the same seed gives the same masks).

        Introduced in chapter 07.
        """
        # A cost beyond the float range is inf (NaN once the parameters are), without a warning: chapter 08 watches
        # a hand-written training loop overflow this way. fit never returns such a network (DivergenceError).
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return float(self.loss_from_params(self.weights, self.biases, X, Y, np, training, seed))

    def gradients(self, X, Y, training=False, seed=None):
        """Return (dW, db): the gradients of :meth:`loss` with respect to ``weights`` and ``biases``.

        Computed by backpropagation (BP1-BP4, see the module docstring). With batch norm, the gradients of its
        gamma and beta are left in each layer's ``dgamma`` and ``dbeta``. ``training`` and ``seed``: as in
        :meth:`loss`.

        Introduced in chapter 07.
        """
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        training = _flag("training", training)
        rng = np.random.default_rng(self.seed if seed is None else _validate.seed(seed)) if training else None
        grads = self._gradients(X, Y, training, rng)[0]
        L = len(self.weights)
        return grads[:L], grads[L:2 * L]

    # ----- training ------------------------------------------------------------------------------------------
    def fit(self, X, Y, epochs=100, batch_size=32, optimizer="sgd", learning_rate=0.1, l2=None, seed=None,
            validation_data=None, progress=False, clip_norm=None):
        """Train with mini-batch gradient descent; return the history {"loss": [...], "val_loss", "val_score"}.

        Each epoch shuffles the samples (with ``seed``, default: the network's seed) and takes one optimizer
        step per batch of ``batch_size`` samples (``None``: the whole set, plain gradient descent).
        ``optimizer`` is a name ("sgd", "momentum", "adagrad", "rmsprop", "adam") or an object from
        :mod:`lib.optimizers`. ``l2`` sets the network's L2 strength (``None`` keeps it). ``clip_norm`` rescales
        each step's gradients to at most this global norm. In training, batch norm uses batch statistics and
        dropout is active. BLAS runs on one thread during fit: with the book's small matrices that is faster
        than several threads (measured in issue 13: up to 4x on a busy two-core machine).

        ``history["loss"]`` holds, per epoch, the mean over the epoch's batches of the batch cost (computed with
        the parameters before that batch's step, as in Keras), plus the L2 penalty at the end of the epoch.
        With ``validation_data=(X_val, Y_val)``,
        ``"val_loss"`` and ``"val_score"`` (see :meth:`score`) are computed after every epoch.

        Raises :class:`DivergenceError` when the loss becomes NaN or infinite, and when the parameters or the cost
        after the last step are: fit never returns a network that cannot predict.

        The optimizers other than "sgd", batch norm, dropout and clipping belong to chapter 09.

        Introduced in chapter 02.
        """
        from lib.regularization import clip_by_norm

        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        epochs = _validate.count("epochs", epochs)  # at most 10**6, as Perceptron.fit: more never ends
        n = X.shape[0]
        batch_size = n if batch_size is None else min(_validate.positive_number("batch_size", batch_size, True), n)
        if l2 is not None:
            self.l2 = _validate.non_negative("l2", l2)
        if clip_norm is not None:
            _validate.positive_number("clip_norm", clip_norm)
        if validation_data is not None:
            X_val, Y_val = self._validation_data(validation_data)
        progress = _flag("progress", progress)
        rng = np.random.default_rng(self.seed if seed is None else _validate.seed(seed))
        optimizer = get_optimizer(optimizer, learning_rate)
        params = self._parameters()
        if isinstance(optimizer, Optimizer):
            # Checks the parameters once instead of at every step: backprop's gradients have their shapes and dtype.
            update = optimizer.bind(params)
        else:  # any object with update(params, grads) and reset()
            update = functools.partial(optimizer.update, params)
        # The bare cost (no input checks): fit's arrays are checked above, its results right here.
        gradients, end_of_step, loss_value = self._gradients, self._end_of_step, self.loss_function._value

        def train_step(X_batch, Y_batch):
            grads, a_L = gradients(X_batch, Y_batch, True, rng)
            end_of_step()
            if clip_norm is not None:
                grads = clip_by_norm(grads, clip_norm)[0]
            update(grads)
            return a_L

        history = {"loss": []}
        losses = history["loss"]
        if validation_data is not None:
            history.update(val_loss=[], val_score=[])
        epoch_range = range(epochs)
        if progress:
            from tqdm.auto import tqdm

            epoch_range = tqdm(epoch_range, desc="epochs")
        # Overflow is not warned about here: a diverging loss is detected below and reported with advice instead.
        with _one_blas_thread(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            checked = self._swap_in_unchecked()
            try:
                for epoch in epoch_range:
                    if batch_size < n:
                        # Shuffle once per epoch (one copy); the batches are then slices, which cost nothing.
                        order = rng.permutation(n)
                        X_epoch, Y_epoch = X[order], Y[order]
                        a_L = np.concatenate([train_step(X_epoch[start:start + batch_size],
                                                         Y_epoch[start:start + batch_size])
                                              for start in range(0, n, batch_size)])
                    else:
                        Y_epoch = Y
                        a_L = train_step(X, Y)
                    # The cost of every batch (with the parameters before its step), averaged over the epoch's
                    # samples, in one call. A NaN or inf in any batch shows up here.
                    epoch_loss = float(loss_value(a_L, Y_epoch, np))
                    if self.l2:
                        epoch_loss += float(self._penalty(self.weights))
                    if not math.isfinite(epoch_loss):
                        first = epoch == 0 and not math.isfinite(loss_value(a_L[:batch_size], Y_epoch[:batch_size],
                                                                            np))
                        raise self._divergence(epoch_loss, epoch, optimizer, before_training=first)
                    losses.append(epoch_loss)
                    if validation_data is not None:
                        self._restore(checked)
                        history["val_loss"].append(self.loss(X_val, Y_val))
                        history["val_score"].append(self.score(X_val, Y_val))
                        checked = self._swap_in_unchecked()
                    if progress:
                        epoch_range.set_postfix(loss=f"{epoch_loss:.4g}")
                # The history holds costs from before each step: the state after the last step is checked here.
                if not all(np.isfinite(p).all() for p in params):
                    raise self._divergence(math.nan, epochs - 1, optimizer, after_last_step=True)
                if not self._cost_surely_finite(float(np.abs(X).max()), float(np.abs(Y).max())):
                    final = float(loss_value(self._pure_forward(X, self.weights, self.biases), Y, np))
                    final += float(self._penalty(self.weights))
                    if not math.isfinite(final):
                        raise self._divergence(final, epochs - 1, optimizer, after_last_step=True)
            finally:
                self._restore(checked)
        return history

    def _cost_surely_finite(self, x_max, y_max):
        """True when a bound on |a^L| proves the cost finite, which saves fit its final forward pass (about 8 % of
        a 10-epoch digits fit). Layer by layer |z^l| <= n_{l-1} max|W^l| max|a^{l-1}| + max|b^l|; sigmoid, tanh and
        softmax give |a| <= 1, identity and ReLU |a| <= |z|. Anything else (or batch norm): False, check the cost."""
        if self.batch_norms:
            return False
        bound, L = x_max, len(self.weights)
        for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True), start=1):
            z = W.shape[0] * float(np.abs(W).max()) * bound + float(np.abs(b).max())
            name = (self.output_activation if l == L else self.hidden_activation).name
            if name in ("sigmoid", "tanh", "softmax"):
                bound = 1.0
            elif name in ("identity", "relu"):
                bound = z
            else:
                return False
        # squared error <= (|a| + |y|)^2 / 2 per output; the cross-entropies clip a, so they are finite anyway
        reach = bound + y_max  # multiplied, not ** 2: a Python float power raises OverflowError
        worst = 0.5 * reach * reach * self.layer_sizes[-1] + float(self._penalty(self.weights))
        return worst < float(np.finfo(self.dtype).max) / 4

    def _divergence(self, value, epoch, optimizer, before_training=False, after_last_step=False):
        rate = getattr(optimizer, "learning_rate", None)
        if before_training:
            return DivergenceError(
                f"training diverged: the loss is {value} already before the first step, so the learning rate "
                f"({rate}) is not the cause: the network's outputs or the cost overflow on these data. Scale the "
                "inputs and targets (e.g. standardise X with lib.data.standardize, divide Y by its spread)"
                + (" or start from smaller weights (init='glorot' or 'he')" if self.init == "normal" else ""))
        advice = f"try learning_rate={rate / 10:g}" if isinstance(rate, numbers.Real) else "lower it"
        remedies = [advice, "limit them with clip_norm=..."]
        if self.init == "normal":  # smaller initial weights help only a network that starts from unscaled ones
            remedies.append("start from smaller weights (init='glorot' or 'he')")
        where = "after the last step" if after_last_step else f"in epoch {epoch + 1}"
        what = "the parameters or the loss became NaN or inf" if after_last_step else f"the loss became {value}"
        return DivergenceError(
            f"training diverged: {what} {where} with learning_rate={rate}. "
            f"The steps are too large: {', '.join(remedies[:-1])} or {remedies[-1]}"
        )

    # ----- using the trained network -------------------------------------------------------------------------
    @property
    def is_classifier(self):
        """True when the output activation is softmax or sigmoid: predictions are then class labels.

        Introduced in chapter 07.
        """
        return self.output_activation is SOFTMAX or self.output_activation is SIGMOID

    def predict(self, X):
        """Return predictions for the rows of X.

        Softmax output: the class with the largest probability (integer labels, shape (n,)). Sigmoid output:
        1 where a > 0.5 else 0 (shape (n,) for one output, (n, n_outputs) for several). Otherwise the output
        values a^L, shape (n, n_outputs).

        Introduced in chapter 07.
        """
        a = self.forward(X)
        if self.output_activation is SOFTMAX:
            return np.argmax(a, axis=1)
        if self.output_activation is SIGMOID:
            labels = (a > 0.5).astype(int)
            return labels[:, 0] if labels.shape[1] == 1 else labels
        return a

    def score(self, X, Y):
        """Return the accuracy (classifiers, see :attr:`is_classifier`) or the coefficient R^2 (regression).

        For softmax outputs, Y may be integer labels or one-hot rows; for sigmoid outputs, 0/1 targets. R^2 is
        1 - SS_res / SS_tot per output, averaged over the outputs (1 is perfect, 0 is no better than the mean).

        Introduced in chapter 07.
        """
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        predictions = self.predict(X)
        if self.output_activation is SOFTMAX:
            return float(np.mean(predictions == np.argmax(Y, axis=1)))
        if self.output_activation is SIGMOID:
            return float(np.mean(predictions.reshape(Y.shape) == (Y > 0.5)))
        if not np.all(np.isfinite(predictions)):
            raise ValueError("X: the network's outputs overflow the float range for these inputs (scale X)")
        # R^2 does not change when Y and the predictions are divided by one number: the sums cannot overflow then.
        scale = max(float(np.abs(Y).max()), float(np.abs(predictions).max())) or 1.0
        Y, predictions = Y / scale, predictions / scale
        residual = np.sum((Y - predictions) ** 2, axis=0)
        total = np.sum((Y - Y.mean(axis=0)) ** 2, axis=0)
        # A constant target has SS_tot = 0: R^2 is then 1 for a perfect fit and 0 otherwise (as in scikit-learn).
        r2 = np.where(total > 0, 1 - residual / np.where(total > 0, total, 1), np.where(residual == 0, 1.0, 0.0))
        return float(np.mean(r2))

    # ----- input checks --------------------------------------------------------------------------------------
    def _inputs(self, X):
        X = self._as_array("X", X)
        n_inputs = self.layer_sizes[0]
        if X.ndim == 1:
            if n_inputs == 1:
                X = X[:, None]
            elif X.shape[0] == n_inputs:
                X = X[None, :]
            else:
                raise ValueError(
                    f"X: expected shape (n_samples, {n_inputs}); a 1-D X is read as one sample and must have "
                    f"length {n_inputs}, got length {X.shape[0]}"
                )
        elif X.ndim != 2 or X.shape[1] != n_inputs:
            raise ValueError(f"X: expected shape (n_samples, {n_inputs}) (one column per input), got {X.shape}")
        if X.shape[0] == 0:
            raise ValueError("X: expected at least one sample, got 0 rows")
        return X

    def _as_array(self, name, value):
        """A finite array in the network's dtype; values beyond that dtype's range are an error, not a warning."""
        array = _validate.as_float_array(name, value, dtype=None)
        if array.dtype != self.dtype and array.size and np.abs(array).max() > np.finfo(self.dtype).max:
            raise ValueError(f"{name}: values up to {np.abs(array).max():.3g} do not fit the network's dtype "
                             f"{self.dtype.name} (largest {np.finfo(self.dtype).max:.3g})")
        return array.astype(self.dtype, copy=False)

    def _targets(self, Y, n_samples):
        n_outputs = self.layer_sizes[-1]
        Y = self._as_array("Y", Y)
        if self.loss_function is CROSS_ENTROPY and Y.ndim == 1 and not (n_samples == 1 and len(Y) == n_outputs):
            Y = self._one_hot(Y, n_outputs)
        if Y.ndim == 1:
            if n_outputs == 1:
                Y = Y[:, None]
            elif n_samples == 1 and Y.shape[0] == n_outputs:
                Y = Y[None, :]
        if Y.ndim != 2 or Y.shape[1] != n_outputs:
            raise ValueError(f"Y: expected shape (n_samples, {n_outputs}) (one column per output), got {Y.shape}")
        if Y.shape[0] != n_samples:
            raise ValueError(f"X and Y: expected the same number of samples, got {n_samples} rows in X and "
                             f"{Y.shape[0]} in Y")
        self._check_probabilities(Y)
        return Y

    def _check_probabilities(self, Y):
        if self.loss_function.name in ("binary_cross_entropy", "cross_entropy") and (Y.min() < 0 or Y.max() > 1):
            raise ValueError(f"Y: {self.loss_function.name} needs targets between 0 and 1")
        if self.loss_function is CROSS_ENTROPY and np.abs(Y.sum(axis=1) - 1).max() > 1e-4:
            raise ValueError("Y: cross_entropy needs one-hot rows (or probabilities summing to 1), or integer labels")

    @staticmethod
    def _one_hot(labels, n_classes):
        if labels.size and (np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"Y: expected integer class labels 0..{n_classes - 1}, got values "
                             f"from {labels.min():g} to {labels.max():g}")
        return np.eye(n_classes, dtype=labels.dtype)[labels.astype(int)]

    def _validation_data(self, validation_data):
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("validation_data: expected a pair (X_val, Y_val)")
        X_val = self._inputs(validation_data[0])
        return X_val, self._targets(validation_data[1], X_val.shape[0])



class _Unchecked:
    """An activation's bare rules (no input checks) under its own name: what fit's steps call."""

    def __init__(self, activation):
        self.activation, self.name = activation, activation.name
        self._f, self.backward = activation.f_unguarded, activation.backward_unguarded
        if activation is SOFTMAX:  # its rule sets its own errstate (2-3 us a call); fit has set one already
            self._f = _softmax_in_errstate

    def __call__(self, z):
        return self._f(z, np)

    def f(self, z, xp=np):
        return self._f(z, xp)


def _softmax_in_errstate(z, xp):
    """lib.activations' softmax rule, for code already under numpy.errstate(over="ignore") (fit)."""
    e = xp.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class _UncheckedLoss:
    """A loss's bare gradient (no input checks), with the canonical activation as fit's steps see it."""

    def __init__(self, loss, canonical_activation):
        self.name, self.canonical_activation, self.gradient = loss.name, canonical_activation, loss._gradient


def _activation(name, value):
    """get_activation, with errors that name the network's argument (not get_activation's "activation")."""
    try:
        return get_activation(value)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {str(error).removeprefix('activation: ')}") from None


def _nonzero(dropout):
    """True unless `dropout` is a number equal to 0 (anything else goes to the extension, which checks it)."""
    return isinstance(dropout, bool) or not isinstance(dropout, numbers.Real) or dropout != 0


def _flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


_BLAS = []  # the threadpoolctl controller, created at the first fit (finding the BLAS libraries takes ~2 ms)


def _one_blas_thread():
    """A context in which BLAS uses one thread (restored after): the book's matrices are small, and threads
    only add synchronisation (issue 13 measured full-batch digits gradients 4-10x slower on two busy cores)."""
    if not _BLAS:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # optional: without it BLAS keeps its own setting
            _BLAS.append(None)
        else:
            _BLAS.append(ThreadpoolController())
    return contextlib.nullcontext() if _BLAS[0] is None else _BLAS[0].limit(limits=1, user_api="blas")


_INIT_SIGNATURE = inspect.signature(FeedForwardNetwork.__init__)

# Settings for the 8x8 digits with a 64-100-10 network (chapter 07): about 0.2 s of training on one core.
# Measured on the stratified 80/20 splits lib.data.digits(seed=s), standardised: on the default split s = 0 the
# test accuracy is 97.6 % on average over the initialisations seed = 0..9 (lowest 97.2 %). They were chosen by a
# random search over activations, initialisations, optimizers, learning rates, batch sizes, epochs and L2
# strengths, scored by test accuracy on s = 0..9 (there: 98.4 % on average over 5 seeds each); on the splits
# s = 10..39, which the search never saw, they average 98.0 % (lowest 96.7 %). Sigmoid units without a penalty
# (SGD 0.5, 30 epochs) average 97.4 % there and score 96.4 % on s = 0. scikit-learn's MLPClassifier with the same
# settings (alpha = l2 x batch size) scores 96.9-97.2 % on s = 0. `python tools/digits_settings.py` measures all
# of this again (and `--search` repeats the search); tests/test_network.py checks it; chapter 07 trains with them.
DIGITS_SETTINGS = {
    "network": {"layer_sizes": [64, 100, 10], "hidden_activation": "relu", "output_activation": "softmax",
                "loss": "cross_entropy", "init": "he", "seed": 0},
    "fit": {"epochs": 60, "batch_size": 32, "optimizer": "sgd", "learning_rate": 1.0, "l2": 1e-3, "seed": 0},
}
