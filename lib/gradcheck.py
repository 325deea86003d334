"""Gradient checking: is an analytic gradient (backpropagation) right? Compare it with two references.

Introduced in chapter 04.

- Central finite differences, dC/dtheta_i ~ (C(theta + eps e_i) - C(theta - eps e_i)) / (2 eps): needs only the
  cost, is slow (two cost evaluations per parameter entry) and inexact: rounding error ~ 1e-16 |C| / eps plus a
  truncation error ~ eps^2, about 1e-10 in absolute terms with eps = 1e-6, i.e. only 1e-7 relative for an
  entry of size 1e-3. A higher-order stencil with a larger step does better (order=4).
- Automatic differentiation (autograd): exact up to rounding, from the same cost written with autograd.numpy.

How close is close: the relative difference of an analytic value a and a reference r is

    |a - r| / max(|a|, |r|, floor),   floor = 1e-6 * (largest |r| over all parameters)   (or 1e-300 if all r = 0).

Far from zero this is the ordinary relative difference. Near zero (two exact zeros, a dead ReLU unit, a bias
gradient that cancels) dividing by |a| alone would blow rounding noise up to 100 % disagreement; the floor
measures such entries against the size of the gradient as a whole instead, so that exact zeros give 0 and
noise far below the gradient's scale counts as small, while a wrong entry still gives a large value.
"""

import numbers
from typing import NamedTuple

import numpy as np

from lib import _validate

_FLOOR = 1e-6  # relative to the largest reference entry; see the module docstring


class GradientCheckError(AssertionError):
    """The analytic gradient differs from the reference by more than the tolerance; the message has a table.

    Introduced in chapter 06.
    """


def _param_list(name, params):
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"{name}: expected a non-empty list of NumPy arrays, got {type(params).__name__}")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
            raise TypeError(f"{name}[{i}]: expected a float NumPy array, got {getattr(p, 'dtype', type(p).__name__)}")
    return params


def _scalar(name, value):
    """The value of a cost function as a finite Python float."""
    try:
        value = float(np.asarray(value).reshape(()))
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a function returning one number, it returned {value!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name}: the function returned {value}; gradients need a finite cost")
    return value


# Central difference stencils: offsets (in units of eps) and weights; the derivative is sum(w f(x + k eps)) / eps.
_STENCILS = {
    2: ((1, 0.5), (-1, -0.5)),  # (f(x + eps) - f(x - eps)) / (2 eps), error ~ eps^2
    4: ((2, -1 / 12), (1, 8 / 12), (-1, -8 / 12), (-2, 1 / 12)),  # error ~ eps^4: allows eps ~ 1e-3
}


def finite_difference_gradients(f, params, eps=1e-6, order=2):
    """Central finite differences of the scalar function f() with respect to every entry of every array in
    `params`: each entry is moved in place (f must read the arrays), f is evaluated, and the entry is restored.
    Returns a list of float64 arrays shaped like `params`.

    order=2: (f(x + eps) - f(x - eps)) / (2 eps). order=4: the five-point stencil
    (-f(x + 2 eps) + 8 f(x + eps) - 8 f(x - eps) + f(x - 2 eps)) / (12 eps), whose truncation error is so small
    that a larger step (eps = 1e-3) can be used, which cuts the rounding error: agreement to about 1e-10
    relative instead of 1e-7. Use float64 parameters: in float32 a step of 1e-6 is lost in rounding.

    Introduced in chapter 01.
    """
    _validate.function("f", f, "a function of no arguments returning the cost")
    params = _param_list("params", params)
    if not _positive_float(eps):
        raise ValueError(f"eps: expected a small positive step such as 1e-6, got {eps!r}")
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or order not in _STENCILS:
        raise ValueError(f"order: expected 2 or 4, got {order!r}")
    for i, p in enumerate(params):
        if not p.flags.writeable:
            raise ValueError(f"params[{i}]: the array is read-only; finite differences perturb it in place")
    grads = []
    for p in params:
        grad = np.zeros(p.shape)
        for index in np.ndindex(p.shape):
            original = p[index]
            total = 0.0
            try:
                for offset, weight in _STENCILS[order]:
                    p[index] = original + offset * eps
                    total += weight * _scalar("f", f())
            finally:
                p[index] = original
            grad[index] = total / eps
        grads.append(grad)
    return grads


def autograd_gradients(f, params):
    """Gradients of f(params_list) -> scalar by automatic differentiation (f written with autograd.numpy).

    Returns a list of arrays shaped like `params`; the arrays themselves are not changed.

    Introduced in chapter 05.
    """
    import autograd

    _validate.function("f", f, "a function of a list of arrays returning the cost")
    params = _param_list("params", params)
    _scalar("f", f(list(params)))
    return [np.asarray(g, dtype=np.float64) for g in autograd.grad(f)(list(params))]


def _as_gradient_list(name, grads, shapes=None):
    if not isinstance(grads, (list, tuple)) or not grads:
        raise TypeError(f"{name}: expected a non-empty list of arrays, got {type(grads).__name__}")
    if shapes is not None and len(grads) != len(shapes):
        raise ValueError(f"{name}: expected {len(shapes)} arrays (one per parameter), got {len(grads)}")
    arrays = []
    for i, g in enumerate(grads):
        try:
            g = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name}[{i}]: expected an array of numbers, got {type(grads[i]).__name__}") from None
        if not np.all(np.isfinite(g)):
            raise ValueError(f"{name}[{i}]: contains NaN or inf")
        if shapes is not None and g.shape != shapes[i]:
            raise ValueError(f"{name}[{i}]: expected shape {shapes[i]} (like analytic[{i}]), got {g.shape}")
        arrays.append(g)
    return arrays


def _differences(analytic, reference):
    """Per parameter: (max |a - r|, max relative difference), with the floor of the module docstring."""
    scale = max(float(np.max(np.abs(r), initial=0.0)) for r in reference)
    floor = _FLOOR * scale if scale > 0 else 1e-300
    rows = []
    for a, r in zip(analytic, reference, strict=True):
        abs_diff = np.abs(a - r)
        rel_diff = abs_diff / np.maximum(np.maximum(np.abs(a), np.abs(r)), floor)
        rows.append((float(np.max(abs_diff, initial=0.0)), float(np.max(rel_diff, initial=0.0))))
    return rows


def _table(names, shapes, columns):
    """A plain-text table: one row per parameter, columns (title, [(max abs, max rel) per parameter]).

    Narrow enough (72 characters with two columns) to print without wrapping in the book's text column."""
    header = f"{'parameter':<9} {'shape':<10}" + "".join(f" {title + ' abs':>12} {title + ' rel':>12}"
                                                         for title, _ in columns)
    lines = [header, "-" * len(header)]
    for i, (name, shape) in enumerate(zip(names, shapes, strict=True)):
        cells = "".join(f" {rows[i][0]:>12.3e} {rows[i][1]:>12.3e}" for _, rows in columns)
        lines.append(f"{name:<9} {str(shape):<10}" + cells)
    return "\n".join(lines)


def _positive_float(value):
    """True for a real number > 0 that a float holds (not NaN, inf, or an int too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return 0 < float(value) < np.inf
    except OverflowError:
        return False


def _check_rtol(rtol):
    if not _positive_float(rtol):
        raise ValueError(f"rtol: expected a positive tolerance such as 1e-7, got {rtol!r}")


def compare_gradients(analytic, reference, names=None, rtol=1e-7):
    """Return the largest relative difference between two lists of gradient arrays (definition in the module
    docstring); raise GradientCheckError with a table (name, shape, max abs diff, max rel diff per
    parameter) when it is above `rtol`. `names` label the parameters (default p0, p1, ...).

    Introduced in chapter 06.
    """
    _check_rtol(rtol)
    analytic = _as_gradient_list("analytic", analytic)
    reference = _as_gradient_list("reference", reference, [a.shape for a in analytic])
    names = _names(names, len(analytic))
    rows = _differences(analytic, reference)
    worst = max(rel for _, rel in rows)
    if worst > rtol:
        table = _table(names, [a.shape for a in analytic], [("diff", rows)])
        raise GradientCheckError(f"gradients differ: max relative difference {worst:.3e} > rtol={rtol:g}\n{table}")
    return worst


def _names(names, n):
    if names is None:
        return [f"p{i}" for i in range(n)]
    if not isinstance(names, (list, tuple)) or len(names) != n or not all(isinstance(s, str) for s in names):
        raise ValueError(f"names: expected {n} strings (one per parameter), got {names!r}")
    return list(names)


def check_network_gradients(net, X, Y, rtol=1e-7):
    """Check net.gradients(X, Y) (backpropagation) against finite differences of net.loss(X, Y) and against
    autograd applied to net.loss_from_params(weights, biases, X, Y, xp=autograd.numpy). The finite differences
    use the five-point stencil with eps = 1e-3 (see finite_difference_gradients), accurate enough for rtol=1e-7;
    if a ReLU-like kink lies within 2e-3 of some z, that entry's finite difference is wrong while autograd
    still agrees: look at both columns.

    Prints one row per parameter (W^1, b^1, ...) with the largest absolute and relative differences, and
    returns (finite_differences, autograd): the two largest relative differences. Raises GradientCheckError
    when either is above `rtol`. Needs a float64 network; keep it small (the five-point finite differences cost
    four evaluations of the loss per parameter).

    Introduced in chapter 04.
    """
    import autograd.numpy as anp

    _check_rtol(rtol)
    _validate.has_attributes("net", net, ("weights", "biases", "gradients", "loss", "loss_from_params"))
    params = list(net.weights) + list(net.biases)
    if any(p.dtype != np.float64 for p in params):
        raise ValueError("net: gradient checks need a float64 network (finite differences drown in float32 "
                         "rounding); build it with dtype=numpy.float64")
    L = len(net.weights)
    names = [f"W^{k}" for k in range(1, L + 1)] + [f"b^{k}" for k in range(1, L + 1)]
    shapes = [p.shape for p in params]
    dW, db = net.gradients(X, Y)
    analytic = _as_gradient_list("net.gradients", list(dW) + list(db), shapes)
    numeric = finite_difference_gradients(lambda: net.loss(X, Y), params, eps=1e-3, order=4)
    automatic = autograd_gradients(lambda p: net.loss_from_params(p[:L], p[L:], X, Y, xp=anp), params)
    order = [i for k in range(L) for i in (k, L + k)]  # W^1, b^1, W^2, b^2, ...
    columns = [("fin.diff", _differences(analytic, numeric)), ("autograd", _differences(analytic, automatic))]
    table = _table([names[i] for i in order], [shapes[i] for i in order],
                   [(title, [rows[i] for i in order]) for title, rows in columns])
    worst = [max(rel for _, rel in rows) for _, rows in columns]
    print(table)
    print(f"max relative difference: finite differences {worst[0]:.2e}, autograd {worst[1]:.2e} (rtol={rtol:g})")
    if max(worst) > rtol:
        raise GradientCheckError(f"backpropagation disagrees: max relative difference {max(worst):.3e} > "
                                 f"rtol={rtol:g}\n{table}")
    return GradientCheckResult(*worst)


class GradientCheckResult(NamedTuple):
    """The largest relative differences found by check_network_gradients, against each reference.

    Introduced in chapter 04.
    """

    finite_differences: float
    autograd: float
