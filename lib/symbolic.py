"""SymPy models of the book's three small networks, so that a computer algebra system checks every hand derivation.

Introduced in chapter 04. Each model holds the symbols, the forward expressions, the per-sample cost
C = (a - y)^2 / 2, the gradient derived by SymPy, the gradient written out by the chain rule (with the deltas,
as the chapters derive it), and, where the week 41 lecture notes got a derivative wrong, the notes' version, kept
so the chapters can show that it disagrees (errata items 1 and 2).

Parameters are ordered layer by layer, weights (row-major, book convention: ``W[i, j]`` connects node i of the
previous layer to node j) before biases, which is the order of :meth:`SmallNetwork.flatten`. Numbers are
evaluated for a batch and averaged over the samples, so they match ``lib.network``'s squared-error cost (the batch
mean of the per-sample cost).
"""

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from lib import _validate
from lib._validate import as_float_array, choice

_T = sp.Symbol("t")


def _sigmoid_expression(z):
    """The sigmoid as a SymPy expression (lib.activations.sigmoid computes numbers)."""
    return 1 / (1 + sp.exp(-z))


def _generic(symbol):
    """An unspecified activation named ``symbol`` (e.g. f_1) and its derivative, for display."""
    f = sp.Function(symbol)
    return f, lambda z: sp.Derivative(f(_T), _T).subs(_T, z)


# name -> (f(z), f'(z)), both as SymPy expressions; "generic" keeps an unspecified function for display, named
# per layer by the model (f for the perceptron, f_1 and f_2 for the 1-1-1 network, f^(1) and f^(2) for 2-2-1), so
# that a model with two generic activations checks the derivation for two different functions.
_ACTIVATIONS = {
    "sigmoid": (_sigmoid_expression, lambda z: _sigmoid_expression(z) * (1 - _sigmoid_expression(z))),
    "tanh": (sp.tanh, lambda z: 1 - sp.tanh(z) ** 2),
    "identity": (lambda z: z, lambda z: sp.Integer(1)),
    "generic": _generic("f"),
}


def _activation(value, argument, symbol="f"):
    pair = choice(argument, value, _ACTIVATIONS)
    return _generic(symbol) if value == "generic" else pair


def _has_generic(expression):
    return bool(expression.atoms(sp.core.function.AppliedUndef))


def _simplify(expression):
    """Simplify a difference of gradients fast: give every exp/tanh a new name, then cancel.

    sympy.simplify takes minutes on the nested sigmoids of the 1-1-1 network; after the renaming the difference
    is a rational function of the new symbols, and cancel() finds it zero (xreplace renames outer calls whole).
    """
    names = {atom: sp.Dummy("e") for atom in expression.atoms(sp.exp, sp.tanh)}
    renamed = sp.cancel(expression.xreplace(names))
    return renamed.xreplace({name: atom for atom, name in names.items()}) if renamed != 0 else sp.Integer(0)


@dataclass(frozen=True)
class SmallNetwork:
    """A small network as SymPy expressions: forward pass, cost, and its gradient three ways.

    Attributes: ``layer_sizes``; ``inputs`` (input symbols) and ``target`` (the symbol y); ``parameters`` (in
    :meth:`flatten` order); ``forward`` (name -> expression of every z and a); ``output``; ``cost`` (per sample);
    ``deltas`` (name -> delta expression, delta = dC/dz); ``gradient`` (parameter -> dC/dparameter by SymPy);
    ``chain_rule`` (parameter -> the chapter's hand derivation in terms of the deltas); ``lecture_gradient``
    (parameter -> the lecture notes' formula where it is wrong, errata items 1 and 2; empty otherwise).

    Introduced in chapter 04.
    """

    name: str
    layer_sizes: tuple
    inputs: tuple
    target: sp.Symbol
    parameters: tuple
    forward: dict
    output: sp.Expr
    cost: sp.Expr
    deltas: dict
    gradient: dict
    chain_rule: dict
    lecture_gradient: dict
    _compiled: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def arguments(self):
        """All symbols in the order the numeric functions take them: inputs, target, parameters.

        Introduced in chapter 04.
        """
        return (*self.inputs, self.target, *self.parameters)

    def difference(self, expressions):
        """Return parameter -> simplified (expressions[p] - SymPy's gradient[p]); all zero means they agree.

        Introduced in chapter 04.
        """
        if not isinstance(expressions, dict) or not set(expressions) <= set(self.parameters):
            raise TypeError(f"expressions: expected a dict parameter -> SymPy expression (parameters "
                            f"{list(self.parameters)}), got {expressions!r:.80}")
        return {p: _simplify(sp.sympify(e) - self.gradient[p]) for p, e in expressions.items()}

    def evaluate(self, expressions, X, Y, theta):
        """Evaluate a list of expressions on a batch and return the batch means as a float array.

        ``X`` has shape (n_samples, n_inputs) (a number or 1-D array is accepted for one input), ``Y`` one target
        per sample, ``theta`` the parameters in :meth:`flatten` order. Introduced in chapter 04.
        """
        X, Y, theta = self._numbers(X, Y, theta)
        if not isinstance(expressions, (list, tuple)) or not all(isinstance(e, sp.Basic) for e in expressions):
            raise TypeError(f"expressions: expected a list of SymPy expressions, got {expressions!r:.80}")
        key = tuple(expressions)
        if key not in self._compiled:
            if any(_has_generic(e) for e in key):
                raise ValueError("expressions: a 'generic' activation has no numeric value; choose e.g. 'sigmoid'")
            self._compiled[key] = sp.lambdify(self.arguments, list(key), "numpy")
        # SymPy's formulas are the textbook ones (e.g. e^{-z} / (1 + e^{-z})^2), not overflow-safe rewrites:
        # report an overflow as an error instead of returning inf or nan.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            values = np.array([np.mean(np.broadcast_to(v, Y.shape)) for v in self._compiled[key](*X.T, Y, *theta)])
        if not np.all(np.isfinite(values)):
            raise ValueError("X, Y and theta: the symbolic formulas overflow for these inputs and parameters "
                             "(|z| too large); use lib.network for extreme values")
        return values

    def cost_value(self, X, Y, theta):
        """The batch-mean cost at ``theta``. Introduced in chapter 04."""
        return float(self.evaluate([self.cost], X, Y, theta)[0])

    def gradient_value(self, X, Y, theta, which="sympy"):
        """The batch-mean gradient, in :meth:`flatten` order, from SymPy (``which="sympy"``), the hand derivation
        (``"chain_rule"``) or the lecture notes' formulas where they differ (``"lecture"``).

        Introduced in chapter 04.
        """
        source = choice("which", which, {"sympy": self.gradient, "chain_rule": self.chain_rule,
                                         "lecture": {**self.gradient, **self.lecture_gradient}})
        return self.evaluate([source[p] for p in self.parameters], X, Y, theta)

    def flatten(self, weights, biases):
        """Parameters as one vector: for each layer, W (row-major) then b. Introduced in chapter 04."""
        layers = list(zip(self._layer_list("weights", weights), self._layer_list("biases", biases), strict=True))
        for k, (W, b) in enumerate(layers):
            n_in, n_out = self.layer_sizes[k], self.layer_sizes[k + 1]
            if np.shape(W) != (n_in, n_out) or np.shape(b) != (n_out,):
                raise ValueError(f"weights, biases: layer {k + 1} expected shapes {(n_in, n_out)} and {(n_out,)}, "
                                 f"got {np.shape(W)} and {np.shape(b)}")
        return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)]) for W, b in layers])

    def _layer_list(self, name, arrays):
        if not isinstance(arrays, (list, tuple)):
            raise TypeError(f"{name}: expected a list of {len(self.layer_sizes) - 1} arrays, one per layer, "
                            f"got {type(arrays).__name__}")
        if len(arrays) != len(self.layer_sizes) - 1:
            raise ValueError(f"{name}: expected {len(self.layer_sizes) - 1} arrays, one per layer, got {len(arrays)}")
        return [as_float_array(f"{name}[{k}]", array) for k, array in enumerate(arrays)]

    def unflatten(self, theta):
        """The inverse of :meth:`flatten`: lists ``weights`` (shape (n_in, n_out)) and ``biases`` (n_out,).

        Introduced in chapter 04.
        """
        theta = as_float_array("theta", theta, ndim=1)
        if theta.size != len(self.parameters):
            raise ValueError(f"theta: expected {len(self.parameters)} parameters, got {theta.size}")
        weights, biases, start = [], [], 0
        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True):
            weights.append(theta[start:start + n_in * n_out].reshape(n_in, n_out))
            start += n_in * n_out
            biases.append(theta[start:start + n_out].copy())
            start += n_out
        return weights, biases

    def copy_into(self, net, theta):
        """Copy the parameters ``theta`` into a lib network's ``weights`` and ``biases`` (in place); return ``net``.

        Introduced in chapter 04.
        """
        weights, biases = self.unflatten(theta)
        _validate.has_attributes("net", net, ("weights", "biases"))
        if [np.shape(W) for W in net.weights] != [W.shape for W in weights]:
            raise ValueError(f"net: expected a network with layer sizes {list(self.layer_sizes)}, got {net!r}")
        for W_net, b_net, W, b in zip(net.weights, net.biases, weights, biases, strict=True):
            W_net[...] = W
            b_net[...] = b
        return net

    def _numbers(self, X, Y, theta):
        X = as_float_array("X", X)
        if X.ndim < 2 and len(self.inputs) == 1:
            X = X.reshape(-1, 1)
        if X.ndim != 2 or X.shape[1] != len(self.inputs):
            raise ValueError(f"X: expected shape (n_samples, {len(self.inputs)}), got {X.shape}")
        Y = as_float_array("Y", Y).reshape(-1)
        if Y.size != X.shape[0]:
            raise ValueError(f"Y: expected {X.shape[0]} targets (one per row of X), got {Y.size}")
        theta = as_float_array("theta", theta, ndim=1)
        if theta.size != len(self.parameters):
            raise ValueError(f"theta: expected {len(self.parameters)} parameters, got {theta.size}")
        return X, Y, theta


def perceptron_model(activation="sigmoid"):
    """The one-input neuron of chapter 04: z = w x + b, a = f(z), C = (a - y)^2 / 2.

    Introduced in chapter 04.
    """
    f, df = _activation(activation, "activation")
    x, y, w, b = sp.symbols("x y w b")
    z = w * x + b
    a = f(z)
    delta = (a - y) * df(z)  # dC/da * da/dz
    return SmallNetwork(
        name="perceptron", layer_sizes=(1, 1), inputs=(x,), target=y, parameters=(w, b),
        forward={"z": z, "a": a}, output=a, cost=(a - y) ** 2 / 2, deltas={"delta": delta},
        gradient={p: sp.diff((a - y) ** 2 / 2, p) for p in (w, b)},
        chain_rule={w: delta * x, b: delta}, lecture_gradient={},
    )


def scalar_hidden_model(hidden_activation="sigmoid", output_activation="sigmoid"):
    """The 1-1-1 network of chapter 05: z1 = w1 x + b1, a1 = f1(z1), z2 = w2 a1 + b2, a2 = f2(z2).

    ``lecture_gradient`` holds the notes' dC/dw1 and dC/db1, which miss the factor w2 (errata item 1).
    Introduced in chapter 05.
    """
    f1, df1 = _activation(hidden_activation, "hidden_activation", "f_1")
    f2, df2 = _activation(output_activation, "output_activation", "f_2")
    x, y = sp.symbols("x y")
    w1, b1, w2, b2 = sp.symbols("w_1 b_1 w_2 b_2")
    z1 = w1 * x + b1
    a1 = f1(z1)
    z2 = w2 * a1 + b2
    a2 = f2(z2)
    cost = (a2 - y) ** 2 / 2
    delta2 = (a2 - y) * df2(z2)
    delta1 = delta2 * w2 * df1(z1)  # dz2/da1 = w2: the factor the notes drop
    parameters = (w1, b1, w2, b2)
    return SmallNetwork(
        name="scalar_hidden", layer_sizes=(1, 1, 1), inputs=(x,), target=y, parameters=parameters,
        forward={"z_1": z1, "a_1": a1, "z_2": z2, "a_2": a2}, output=a2, cost=cost,
        deltas={"delta_2": delta2, "delta_1": delta1},
        gradient={p: sp.diff(cost, p) for p in parameters},
        chain_rule={w1: delta1 * x, b1: delta1, w2: delta2 * a1, b2: delta2},
        lecture_gradient={w1: (a2 - y) * df2(z2) * a1 * df1(z1) * x, b1: (a2 - y) * df2(z2) * df1(z1)},
    )


def network_221_model(hidden_activation="sigmoid", output_activation="identity"):
    """The 2-2-1 network of chapter 06, nine parameters, in the book's convention z = a W + b.

    ``W1[i, j]`` (symbol ``w^{(1)}_{ij}``) connects input i to hidden node j; ``w^{(2)}_i`` connects hidden node i
    to the output. ``lecture_gradient`` holds the notes' dC/dw^{(1)}: delta^{(1)} times a hidden activation
    instead of the input (errata item 2), translated to this index convention (the notes' w_ij is our w_ji).
    Introduced in chapter 06.
    """
    f1, df1 = _activation(hidden_activation, "hidden_activation", "f^{(1)}")
    f2, df2 = _activation(output_activation, "output_activation", "f^{(2)}")
    x = sp.symbols("x_0 x_1")
    y = sp.Symbol("y")
    W1 = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"w^{{(1)}}_{{{i}{j}}}"))
    b1 = sp.Matrix(1, 2, lambda _, j: sp.Symbol(f"b^{{(1)}}_{{{j}}}"))
    W2 = sp.Matrix(2, 1, lambda i, _: sp.Symbol(f"w^{{(2)}}_{{{i}}}"))
    b2 = sp.Symbol("b^{(2)}")
    z1 = sp.Matrix([x]) * W1 + b1  # row vector (1, 2)
    a1 = z1.applyfunc(f1)
    z2 = (a1 * W2)[0, 0] + b2
    a2 = f2(z2)
    cost = (a2 - y) ** 2 / 2
    delta2 = (a2 - y) * df2(z2)
    delta1 = [delta2 * W2[j, 0] * df1(z1[0, j]) for j in range(2)]
    parameters = (*W1, *b1, *W2, b2)
    chain_rule = {W1[i, j]: x[i] * delta1[j] for i in range(2) for j in range(2)}
    chain_rule.update({b1[j]: delta1[j] for j in range(2)})
    chain_rule.update({W2[i, 0]: a1[0, i] * delta2 for i in range(2)})
    chain_rule[b2] = delta2
    forward = {"z^{(1)}_0": z1[0, 0], "z^{(1)}_1": z1[0, 1], "a^{(1)}_0": a1[0, 0], "a^{(1)}_1": a1[0, 1],
               "z^{(2)}": z2, "a^{(2)}": a2}
    return SmallNetwork(
        name="network_221", layer_sizes=(2, 2, 1), inputs=x, target=y, parameters=parameters,
        forward=forward, output=a2, cost=cost,
        deltas={"delta^{(2)}": delta2, "delta^{(1)}_0": delta1[0], "delta^{(1)}_1": delta1[1]},
        gradient={p: sp.diff(cost, p) for p in parameters}, chain_rule=chain_rule,
        lecture_gradient={W1[i, j]: a1[0, i] * delta1[j] for i in range(2) for j in range(2)},
    )
