"""Count the floating-point operations of a SymPy expression, as written and after common-subexpression elimination.

Introduced in chapter 03. What counts as one operation is stated once, in `CONVENTION` (the week 41 lecture's
convention, made exact so that code can apply it).
"""

from collections import Counter

import sympy as sp

from lib import _validate

CONVENTION = """One operation is one of:
  - an addition or subtraction of two numbers
    (a sum of k terms costs k - 1; a sign change is free),
  - a multiplication or division of two numbers
    (a product of k factors costs k - 1; a bare 1/x costs 1),
  - a power x**p, including x**2 and sqrt(x) = x**(1/2)
    (x**(-p) is a division by x**p),
  - a call of an elementary function (exp, log, sin, tanh, ...).
Symbols and numbers cost nothing. An expression is counted as the tree SymPy stores:
a subexpression that appears twice is counted twice (common-subexpression
elimination removes exactly that repetition)."""


def _is_denominator(factor):
    return factor.is_Pow and factor.exp.is_negative


def _count(expr, tally, name="expr"):
    """Add the operations of `expr` to the Counter `tally`, by kind, under the convention above; an error names
    `name`, the argument `expr` came from."""
    if expr.is_Atom:
        return
    if expr.is_Add:
        tally["add"] += len(expr.args) - 1
        for term in expr.args:
            _count(term, tally, name)
    elif expr.is_Mul or (expr.is_Pow and _is_denominator(expr)):
        factors = [f for f in sp.Mul.make_args(expr) if f != -1]  # a factor -1 is a sign change: free
        numerator = [f for f in factors if not _is_denominator(f)]
        denominator = [f.base ** (-f.exp) for f in factors if _is_denominator(f)]
        tally["mul"] += max(len(numerator) - 1, 0) + max(len(denominator) - 1, 0)
        tally["div"] += bool(denominator)  # one division joins numerator and denominator (1/x when no numerator)
        for factor in numerator + denominator:
            _count(factor, tally, name)
    elif expr.is_Pow:
        tally["sqrt" if expr.exp == sp.Rational(1, 2) else "pow"] += 1
        _count(expr.base, tally, name)
        _count(expr.exp, tally, name)
    elif isinstance(expr, sp.Function):
        tally[type(expr).__name__] += 1
        for argument in expr.args:
            _count(argument, tally, name)
    else:
        raise ValueError(f"{name}: cannot count operations of {type(expr).__name__} ({expr}); expected arithmetic, "
                         "powers and elementary functions")


def _as_expressions(name, expr):
    items = list(expr) if isinstance(expr, (list, tuple)) else [expr]
    try:
        return [sp.sympify(item, strict=True) for item in items]
    except sp.SympifyError as error:
        raise TypeError(f"{name}: expected a SymPy expression or a list of them, got {expr!r}") from error


def count_flops(expr, by_kind=False):
    """Number of operations of a SymPy expression (or the sum over a list of expressions) under `CONVENTION`.

    With ``by_kind=True`` return a Counter by kind ("add", "mul", "div", "pow", "sqrt", "exp", ...) instead.

    Introduced in chapter 03.
    """
    return _tally("expr", _as_expressions("expr", expr), by_kind)


def count_flops_cse(exprs, by_kind=False):
    """Operations needed to evaluate all of `exprs` when common subexpressions are computed once.

    The expressions are rewritten by ``sympy.cse`` into intermediates x0, x1, ... (each counted once) and
    reduced expressions that use them; reading an intermediate costs nothing.

    Introduced in chapter 03.
    """
    replacements, reduced = sp.cse(_as_expressions("exprs", exprs))
    return _tally("exprs", [value for _, value in replacements] + list(reduced), by_kind)


def _tally(name, expressions, by_kind):
    """count_flops of `expressions`, which come from the argument `name`."""
    _validate.boolean("by_kind", by_kind)
    tally = Counter()
    for item in expressions:
        _count(item, tally, name)
    tally = +tally  # drop kinds counted zero times
    return tally if by_kind else sum(tally.values())
