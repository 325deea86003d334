"""Automatic differentiation of scalar expressions, in reverse mode (`Var`) and in forward mode (`Dual`).

Introduced in chapter 03. Both modes share one table of rules: every operation below computes its value and,
beside it, the local derivative of that value with respect to each operand (micrograd's style). Only what is
done with the local derivatives differs:

- `Var` (reverse mode) records each operation as a node of a graph; `backward()` walks the graph from the
  output back to the inputs and applies the chain rule, df/dx_i = sum over children j of df/dx_j * dx_j/dx_i.
  One backward sweep gives the derivative of one output with respect to every input.
- `Dual` (forward mode) carries a tangent dx/dt next to each value and multiplies it by the local derivatives
  as it goes, dx_j/dt = sum over parents i of dx_j/dx_i * dx_i/dt. One forward sweep gives the derivative of
  every output with respect to one input (or one direction).

Inside ``with counting() as count:`` both modes count what they do: ``count.operations`` elementary
operations (one per node: one arithmetic operation or one function call) and ``count.products``, the
chain-rule products local derivative x propagated derivative (one per edge and sweep).
"""

import math
import numbers
from contextlib import contextmanager
from dataclasses import dataclass

from lib import _validate


@dataclass
class OperationCount:
    """Elementary operations and chain-rule products counted inside ``with counting()``. Introduced in chapter 03."""

    operations: int = 0
    products: int = 0


_active_counts = []


@contextmanager
def counting():
    """Count the operations and chain-rule products done by `Var` and `Dual` inside the with block.

    Introduced in chapter 03.
    """
    count = OperationCount()
    _active_counts.append(count)
    try:
        yield count
    finally:
        _active_counts.remove(count)


def _tally(operations=0, products=0):
    for count in _active_counts:
        count.operations += operations
        count.products += products


class _Scalar:
    """The operations both modes share: each passes its value and (operand, local
    derivative) pairs to `operation`, which `Var` and `Dual` define. A new operation
    needs nothing else (Exercise 3.3 of chapter 03 adds one). The checks that give bad
    input a clear error come first, in `_Checked`.
    """

    def __init__(self, value):
        self.value = value

    def _lift(self, other):  # a number in an expression becomes a constant
        return other if isinstance(other, type(self)) else type(self)(other)

    def __add__(self, other):
        other = self._lift(other)
        return self.operation("+", self.value + other.value,
                              (self, 1.0), (other, 1.0))  # d(a+b)/da = d(a+b)/db = 1

    def __sub__(self, other):
        other = self._lift(other)
        return self.operation("-", self.value - other.value,
                              (self, 1.0), (other, -1.0))  # d(a-b)/db = -1

    def __mul__(self, other):
        other = self._lift(other)
        return self.operation("*", self.value * other.value,
                              (self, other.value), (other, self.value))  # d(ab)/da = b

    def __truediv__(self, other):
        other = self._lift(other)
        quotient = self.value / other.value
        return self.operation("/", quotient, (self, 1 / other.value),
                              (other, -quotient / other.value))  # -a/b^2

    def __pow__(self, exponent):
        power = self.value**exponent
        local = exponent * self.value ** (exponent - 1)  # d x^n/dx = n x^(n-1)
        return self.operation(f"**{exponent:g}", power, (self, local))

    def __neg__(self):
        return self.operation("neg", -self.value, (self, -1.0))  # d(-a)/da = -1

    def __radd__(self, other):
        return self._lift(other) + self

    def __rsub__(self, other):
        return self._lift(other) - self

    def __rmul__(self, other):
        return self._lift(other) * self

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def exp(self):
        y = math.exp(self.value)
        return self.operation("exp", y, (self, y))  # d exp(x)/dx = exp(x)

    def log(self):
        return self.operation("log", math.log(self.value),
                              (self, 1 / self.value))  # d log(x)/dx = 1/x

    def sqrt(self):
        y = math.sqrt(self.value)
        return self.operation("sqrt", y,
                              (self, 0.5 / y))  # d sqrt(x)/dx = 1/(2 sqrt(x))

    def tanh(self):
        y = math.tanh(self.value)
        return self.operation("tanh", y,
                              (self, 1 - y * y))  # d tanh(x)/dx = 1 - tanh(x)^2

    def sigmoid(self):
        x = self.value
        # Two forms, so exp never overflows: 1/(1+e^-x) for x >= 0,
        # e^x/(1+e^x) for x < 0.
        y = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        return self.operation("sigmoid", y,
                              (self, y * (1 - y)))  # d s(x)/dx = s(x)(1 - s(x))

    def relu(self):
        return self.operation("relu", max(self.value, 0.0),
                              (self, float(self.value > 0)))  # 1 for x > 0, else 0


class _Checked(_Scalar):
    """_Scalar's operations behind the checks that give bad input a clear error (a
    TypeError or ValueError naming the argument) instead of a raw one from math or a
    silently infinite value: every value is a finite number, an operand is a number or
    a node of the same mode, and each operation is defined (and differentiable) at its
    operands. `Var` and `Dual` build on this class; the rules themselves are
    `_Scalar`'s.
    """

    def __init__(self, value):
        super().__init__(_validate.finite_number("value", value))

    # Var's label and Dual's tangent are checked whenever they are set.
    @property
    def label(self):
        return self._own("label")

    @label.setter
    def label(self, label):
        if not isinstance(label, str):
            raise TypeError(f"label: expected a string, got {type(label).__name__}")
        self._label = label

    @property
    def tangent(self):
        return self._own("tangent")

    def _own(self, name):
        try:
            return getattr(self, "_" + name)
        except AttributeError:  # a Dual has no label, a Var no tangent: say so in the attribute's public name
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None

    @tangent.setter
    def tangent(self, tangent):
        self._tangent = _validate.finite_number("tangent", tangent)

    def _lift(self, other):
        if not isinstance(other, type(self)) and (isinstance(other, bool) or not isinstance(other, numbers.Real)):
            raise TypeError(f"operand: expected a {type(self).__name__} or a number, got {type(other).__name__}")
        return super()._lift(other)

    def __truediv__(self, other):
        other = self._lift(other)
        if other.value == 0:
            raise ValueError("divisor: expected a non-zero value, got 0")
        quotient = self.value / other.value  # if it overflows, the result's value says so
        if math.isfinite(quotient) and not math.isfinite(quotient / other.value):  # -a/b^2, the derivative by b
            raise ValueError(f"divisor: b = {other.value:g} is so close to 0 that the derivative -a/b^2 of a / b "
                             "overflows a float")
        return super().__truediv__(other)

    def __pow__(self, exponent):
        exponent = _validate.finite_number("exponent", exponent)
        if (self.value < 0 and exponent != int(exponent)) or (self.value == 0 and exponent < 1):
            raise ValueError(f"x ** {exponent}: not differentiable at x = {self.value}")
        try:
            return super().__pow__(exponent)
        except OverflowError:
            raise ValueError(f"x ** {exponent}: overflows a float at x = {self.value}") from None

    def exp(self):
        if self.value > 709.78:
            raise ValueError(f"exp(x): x = {self.value:g} overflows a float (the largest is about exp(709.78))")
        return super().exp()

    def log(self):
        if self.value <= 0:
            raise ValueError(f"log(x): expected x > 0, got {self.value:g}")
        if not math.isfinite(1 / self.value):
            raise ValueError(f"log(x): x = {self.value:g} is so close to 0 that the derivative 1/x overflows a float")
        return super().log()

    def sqrt(self):
        if self.value <= 0:
            raise ValueError(f"sqrt(x): expected x > 0 (the derivative 1/(2 sqrt x) needs it), got {self.value:g}")
        return super().sqrt()


class Var(_Checked):
    """A scalar that records how it was computed, so `backward()` can apply the chain
    rule in reverse.

    ``Var(value)`` makes an input; operations on Vars (and numbers) make new Vars. After
    ``f.backward()``, ``x.grad`` holds df/dx for every Var x that f depends on. `label`
    names the node in drawings.

    Introduced in chapter 03.
    """

    def __init__(self, value, label=""):
        super().__init__(value)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()  # (parent, d self / d parent) pairs

    def operation(self, op, value, *parents):
        """The result of operation `op`: a node with its value and a
        (parent, d value / d parent) pair per operand.

        Introduced in chapter 03.
        """
        _tally(operations=1)
        out = Var(value)
        out.op, out.parents = op, parents
        return out

    def graph(self):
        """All nodes this Var depends on (itself last), in an order where parents come
        before children.

        Introduced in chapter 03.
        """
        order, seen, stack = [], set(), [(self, False)]
        # Iterative depth-first search: long chains do not hit Python's recursion limit.
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent, _ in reversed(node.parents))
        return order

    def backward(self):
        """Fill `.grad` of every node with d self / d node (earlier gradients are
        overwritten).

        Introduced in chapter 03.
        """
        order = self.graph()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                # Chain rule: sum over children of df/dchild * dchild/dparent.
                parent.grad += local * node.grad
            _tally(products=len(node.parents))

    def __repr__(self):
        op = f", op={self.op!r}" if self.op else ""
        return f"Var(value={self.value:.6g}, grad={self.grad:.6g}{op})"


class Dual(_Checked):
    """A dual number value + tangent * eps with eps**2 = 0: arithmetic on it carries one
    derivative forward.

    ``Dual(x, 1.0)`` seeds dx/dx = 1; every result's `.tangent` is then its derivative
    with respect to x.

    Introduced in chapter 03.
    """

    def __init__(self, value, tangent=0.0):
        super().__init__(value)
        self.tangent = tangent

    def operation(self, op, value, *parents):
        """The result of operation `op`: its tangent is the sum of local derivative x
        parent's tangent.

        Introduced in chapter 03.
        """
        _tally(operations=1, products=len(parents))
        return Dual(value, sum(local * parent.tangent for parent, local in parents))

    def __repr__(self):
        return f"Dual(value={self.value:.6g}, tangent={self.tangent:.6g})"
