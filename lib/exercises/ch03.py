"""Answer keys of chapter 03's exercises (derivatives by hand, operation counts, a new autodiff operation).

Introduced in chapter 03.
"""

import functools
import math

import numpy as np

from lib.autodiff import Dual, Var
from lib.checks import CheckError, call_student, check_close, check_function
from lib.exercises import answer_key, require_answer
from lib.flops import count_flops, count_flops_cse


@functools.cache
def _g():
    import sympy as sp

    x = sp.symbols("x")
    g = sp.tanh(x) * sp.sqrt(1 + x**2)
    return x, g, sp.diff(g, x)


def _dg_sympy(v):
    import sympy as sp

    x, _, dg = _g()
    return float(sp.lambdify(x, dg, modules="math")(v))


def _dg_reverse_mode(v):
    x = Var(v)
    (x.tanh() * (1 + x**2).sqrt()).backward()
    return x.grad


def _dg_autograd(v):
    import autograd
    import autograd.numpy as anp

    return float(autograd.grad(lambda u: anp.tanh(u) * anp.sqrt(1 + u**2))(float(v)))


@answer_key("ex-03-three-ways")
def three_ways_key(dg):
    """`dg(x)` against SymPy's derivative, lib.autodiff in reverse mode and autograd."""
    points = [-1.3, -0.4, 0.7, 2.0]
    t, s = math.tanh, lambda v: math.sqrt(1 + v**2)
    check_function(dg, _dg_sympy, points, name="g'(x)", rtol=1e-10, mistakes={
        "the second term of the product rule, tanh(x) times the derivative of sqrt(1 + x^2), is missing":
            lambda v: (1 - t(v) ** 2) * s(v),
        "the first term of the product rule, the derivative of tanh times sqrt(1 + x^2), is missing":
            lambda v: v * t(v) / s(v),
        "the derivative of sqrt(u) with u = 1 + x^2 needs the chain rule: d sqrt(u)/du times du/dx":
            lambda v: (1 - t(v) ** 2) * s(v) + t(v) / (2 * s(v)),
        "the derivative of sqrt(u) is 1/(2 sqrt(u)): the factor 1/2 is missing from the second term":
            lambda v: (1 - t(v) ** 2) * s(v) + 2 * v * t(v) / s(v),
        "the derivative of tanh has the wrong sign inside: differentiate sinh/cosh again":
            lambda v: (1 + t(v) ** 2) * s(v) + v * t(v) / s(v),
        "the product rule adds two terms; yours multiplies the two derivatives":
            lambda v: (1 - t(v) ** 2) * v / s(v),
    }, hint="product rule: (u v)' = u' v + u v'. Differentiate tanh and sqrt(1 + x^2) separately first.")
    check_function(dg, _dg_reverse_mode, points, name="g'(x) vs lib.autodiff", rtol=1e-10)
    check_function(dg, _dg_autograd, points, name="g'(x) vs autograd", rtol=1e-10)


@answer_key("ex-03-count-flops")
def count_flops_key(answer):
    """`(flops_g, flops_dg, flops_both_cse)`: operation counts under lib.flops.CONVENTION."""
    import sympy as sp

    require_answer(answer, "flops_g, flops_dg, flops_both_cse")
    flops_g, flops_dg, flops_both_cse = answer
    for value, name in zip(answer, ("flops_g", "flops_dg", "flops_both_cse"), strict=True):
        if isinstance(value, (bool, float)) or not isinstance(value, (int, np.integer, sp.Integer)):
            raise CheckError(f"{name} is a {type(value).__name__}, expected an integer count of operations.")
    _, g, dg = _g()
    convention = "count each +, -, *, / and power, and each tanh and sqrt, once where it is written (print(CONVENTION))"
    check_close(flops_g, count_flops(g), name="flops_g", mistakes={
        "that is sympy.count_ops, which counts a square root as a power and a division": sp.count_ops(g),
    }, hint=_direction(flops_g, count_flops(g), "x**2 and the + 1 inside the square root each count one") + convention
       + ".")
    check_close(flops_dg, count_flops(dg), name="flops_dg", mistakes={
        "that is sympy.count_ops, which counts each square root as a power and a division": sp.count_ops(dg),
        "that counts each repeated subexpression once: without CSE, g' as written computes them again":
            count_flops_cse([dg]),
    }, hint=_direction(flops_dg, count_flops(dg), "a repeated subexpression counts each time it is written")
       + convention + "; the square tanh(x)^2 is one power, and a subtraction from 1 is one operation.")
    check_close(flops_both_cse, count_flops_cse([g, dg]), name="flops_both_cse", mistakes={
        "that is g and g' without reuse: CSE computes tanh(x) and sqrt(x^2 + 1) once":
            count_flops([g, dg]),
        "that is g' alone with CSE: g and g' together need g's final product too": count_flops_cse([dg]),
    }, hint=_direction(flops_both_cse, count_flops_cse([g, dg]), "x**2 inside t1 counts too")
       + "with CSE, list the intermediates once each (t0 = tanh x, t1 = sqrt(x^2 + 1)), then count "
         "what g and g' add on top of them.")


def _direction(value, expected, when_low):
    """Which way a count is off (never by how much), to start a hint."""
    if value < expected:
        return f"your count is too low ({when_low}): "
    return "your count is too high (is something counted that costs nothing, such as a sign or a number?): "


def _checked_sin(sin, v):
    try:
        result = sin(v)
    except TypeError as error:
        if f"must be real number, not {type(v).__name__}" in str(error):  # math.cos(v) on the node itself
            raise CheckError(
                f"sin: math functions take numbers, not a {type(v).__name__}: use v.value inside math.sin and "
                "math.cos."
            ) from error
        raise
    if isinstance(result, Var):
        _check_parents(result)
    if not isinstance(result, type(v)):
        raise CheckError(
            f"sin({type(v).__name__}) returned a {type(result).__name__}: it must return what v.operation returns, "
            f"a {type(v).__name__}, so that the derivative can flow through it."
        )
    return result


def _check_parents(result):
    """The parents of sin's result must be (node, local derivative) pairs: backward() unpacks them, and would
    otherwise fail far from the student's line."""
    for parent in result.parents:
        if not (isinstance(parent, (tuple, list)) and len(parent) == 2):
            raise CheckError(
                "sin: each parent goes with its local derivative in one tuple, (v, local_derivative), passed "
                "to v.operation after the name and the value."
            )
        if not isinstance(parent[0], Var) and isinstance(parent[1], Var):
            raise CheckError("sin: the tuple is (v, local_derivative), the node first.")


def _derivative(sin, mode):
    def reverse(v):
        x = Var(v, label="x")
        _checked_sin(sin, x**2).backward()
        return x.grad

    def forward(v):
        return _checked_sin(sin, Dual(v, 1.0) ** 2).tangent

    return reverse if mode == "reverse" else forward


def _exact(v):
    return 2 * v * math.cos(v**2)


@answer_key("ex-03-new-operation")
def new_operation_key(sin):
    """`sin(v)` for Var and Dual: d sin(x^2)/dx in both modes against 2x cos(x^2), and the value sin(0.9)."""
    if not callable(sin):
        raise CheckError(f"sin is a {type(sin).__name__}, expected the function sin(v) of the exercise.")
    mistakes = {
        "the local derivative of sin has the wrong sign": lambda v: -_exact(v),
        "the local derivative is sin(v) itself: the derivative of sin is another function":
            lambda v: 2 * v * math.sin(v**2),
        "the local derivative is 1: pass the derivative of sin at v.value": lambda v: 2 * v,
    }
    value = call_student(lambda v: _checked_sin(sin, v), (Var(0.9),), name="sin").value
    check_close(value, math.sin(0.9), name="the value of sin(Var(0.9))", mistakes={
        "the value is cos(0.9): value and local derivative are swapped": math.cos(0.9),
    })
    points = [-1.1, 0.3, 0.9, 1.7]
    for mode in ("reverse", "forward"):
        check_function(_derivative(sin, mode), _exact, points, name=f"d sin(x^2)/dx in {mode} mode",
                       rtol=1e-12, mistakes=mistakes,
                       hint="operation(name, value, (operand, local derivative)): the value is sin of v.value, "
                            "the local derivative is d sin(u)/du at u = v.value.")
