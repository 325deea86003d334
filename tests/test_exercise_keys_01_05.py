"""The answer keys of chapters 01-05 (lib/exercises/ch01.py .. ch05.py) name the mistakes a student read-through
made, without showing the expected value, and still accept the chapter's own solution.

The right answers are not copied here: each is the code between the solution markers of the chapter's working
cell (exercise_answers.solution).
"""

import math

import numpy as np
import pytest
from exercise_answers import assert_hides, fails_with, solution

from lib.activations import sigmoid, sigmoid_prime
from lib.autodiff import Var
from lib.exercises import check_exercise
from lib.linear_models import least_squares

# --- ex-01-normal-equations: D^T missing on the right-hand side ---------------------------------------------


def test_ex_01_normal_equations_names_y_where_d_transpose_y_belongs():
    def normal_equations(X, y):
        D = np.column_stack([np.ones(len(X)), X])
        return np.linalg.solve(D.T @ D, y)

    message = fails_with("ex-01-normal-equations", normal_equations,
                         "the right-hand side of the normal equations is D^T y")
    assert "mismatch in its core dimension" not in message  # the raw NumPy error is translated
    from lib.data import logic_gate

    for gate in ("and", "or", "xor"):
        assert_hides(message, least_squares(*logic_gate(gate)))
    check_exercise("ex-01-normal-equations", solution("01", "ex-01-normal-equations")["normal_equations"])


def test_ex_01_normal_equations_a_different_shape_error_is_not_blamed_on_the_right_hand_side():
    def normal_equations(X, y):  # D^T D built as D D^T: the shapes do not fit either, for another reason
        D = np.column_stack([np.ones(len(X)), X])
        return np.linalg.solve(D @ D.T, D.T @ y)

    message = fails_with("ex-01-normal-equations", normal_equations, "The shapes of two operands do not fit")
    assert "right-hand side" not in message


# --- ex-02-step: b taken as the position of the step ---------------------------------------------------------


@pytest.mark.parametrize("b_step", [0.7, -0.7])
def test_ex_02_step_says_b_is_not_the_position(b_step):
    message = fails_with("ex-02-step", (-1000.0, b_step), "b is not the position: the step sits at x = -b/w")
    assert "700" not in message
    right = solution("02", "ex-02-step")
    check_exercise("ex-02-step", (right["w_step"], right["b_step"]))


def test_ex_02_step_with_b_at_the_position_and_a_shallow_w_is_right_about_the_position():
    # -b/w = 0.7 with w = -1 and b = 0.7: the position is right, the step is too shallow
    message = fails_with("ex-02-step", (-1.0, 0.7), "|w| is too small")
    assert "b is not the position" not in message


# --- ex-03-three-ways: the 1/2 of d sqrt(u)/du ---------------------------------------------------------------


def test_ex_03_three_ways_names_the_missing_half():
    def dg(x):
        return ((1 - math.tanh(x) ** 2) * math.sqrt(1 + x**2)
                + 2 * x * math.tanh(x) / math.sqrt(1 + x**2))

    message = fails_with("ex-03-three-ways", dg, "the factor 1/2 is missing")
    right = solution("03", "ex-03-three-ways")["dg"]
    assert_hides(message, [right(x) for x in (-1.3, -0.4, 0.7, 2.0)])
    check_exercise("ex-03-three-ways", right)


# --- ex-03-new-operation: the (parent, local derivative) tuple, math functions on a Var ----------------------


def sin_without_tuple(v):
    return v.operation("sin", math.sin(v.value), v, math.cos(v.value))


def sin_of_the_node(v):
    return v.operation("sin", math.sin(v.value), (v, math.cos(v)))


def sin_swapped(v):
    return v.operation("sin", math.sin(v.value), (math.cos(v.value), v))


@pytest.mark.parametrize(("sin", "words"), [
    (sin_without_tuple, "each parent goes with its local derivative in one tuple, (v, local_derivative)"),
    (sin_of_the_node, "math functions take numbers, not a Var: use v.value inside math.sin and math.cos"),
    (sin_swapped, "the tuple is (v, local_derivative), the node first"),
])
def test_ex_03_new_operation_names_how_operation_is_called(sin, words):
    message = fails_with("ex-03-new-operation", sin, words)
    assert "cannot unpack" not in message and "must be real number" not in message
    assert_hides(message, [math.sin(0.9), math.cos(0.9)] + [2 * x * math.cos(x**2) for x in (-1.1, 0.3, 0.9, 1.7)])


def test_ex_03_new_operation_accepts_the_chapter_solution_for_var_and_dual():
    sin = solution("03", "ex-03-new-operation")["sin"]
    check_exercise("ex-03-new-operation", sin)
    x = Var(0.9)
    sin(x).backward()
    assert x.grad == pytest.approx(math.cos(0.9))


# --- ex-04-batch-gradient and ex-05-hidden-gradient: sigmoid_prime(a) for sigmoid_prime(z) --------------------


def test_ex_04_batch_gradient_names_sigmoid_prime_of_a():
    def neuron_gradient(X, Y, w, b):
        z = w * X + b
        a = sigmoid(z)
        delta = (a - Y) * sigmoid_prime(a)
        return np.array([np.mean(delta * X), np.mean(delta)])

    message = fails_with("ex-04-batch-gradient", neuron_gradient,
                         "sigmoid_prime takes the weighted input z, not the activation a = sigmoid(z)")
    right = solution("04", "ex-04-batch-gradient")["neuron_gradient"]
    rng = np.random.default_rng(4)  # the key's first case
    assert_hides(message, right(rng.uniform(-2, 2, (6, 1)), rng.uniform(0, 1, (6, 1)), rng.normal(), rng.normal()))
    check_exercise("ex-04-batch-gradient", right)


def hidden_gradient_with_a(at_hidden, at_output):
    def hidden_weight_gradient(x, y, w1, b1, w2, b2):
        z1 = w1 * x + b1
        a1 = sigmoid(z1)
        z2 = w2 * a1 + b2
        a2 = sigmoid(z2)
        delta2 = (a2 - y) * sigmoid_prime(a2 if at_output else z2)
        return delta2 * w2 * sigmoid_prime(a1 if at_hidden else z1) * x

    return hidden_weight_gradient


@pytest.mark.parametrize(("at_hidden", "at_output", "words"), [
    (True, True, "yours passes a at both nodes"),
    (True, False, "the hidden node's slope is sigmoid_prime(z1)"),
    (False, True, "the output node's slope is sigmoid_prime(z2)"),
])
def test_ex_05_hidden_gradient_names_sigmoid_prime_of_a(at_hidden, at_output, words):
    message = fails_with("ex-05-hidden-gradient", hidden_gradient_with_a(at_hidden, at_output), words)
    assert "sigmoid_prime takes the weighted input z, not the activation a" in message
    right = solution("05", "ex-05-hidden-gradient")["hidden_weight_gradient"]
    assert_hides(message, right(0.3, 0.7, 0.5, -0.2, 1.3, 0.1))
    check_exercise("ex-05-hidden-gradient", right)


# --- ex-04-rosenblatt-sweep: >= 0 for > 0, and the caller's w changed in place -------------------------------


def test_ex_04_rosenblatt_sweep_names_a_point_on_the_line_predicted_1():
    def rosenblatt_sweep(X, y, w, b, learning_rate):
        w = np.array(w, dtype=float)
        for x_k, y_k in zip(X, y, strict=True):
            y_hat = float(x_k @ w + b >= 0)
            w = w + learning_rate * (y_k - y_hat) * x_k
            b = b + learning_rate * (y_k - y_hat)
        return w, b

    message = fails_with("ex-04-rosenblatt-sweep", rosenblatt_sweep,
                         "a point with w · x + b = 0 is predicted 1; Rosenblatt's unit says 1 only when w · x + b > 0")
    assert "is zero: a result left at its starting value" not in message
    check_exercise("ex-04-rosenblatt-sweep", solution("04", "ex-04-rosenblatt-sweep")["rosenblatt_sweep"])


def test_ex_04_rosenblatt_sweep_fails_when_the_callers_w_changes():
    def rosenblatt_sweep(X, y, w, b, learning_rate):
        for x_k, y_k in zip(X, y, strict=True):
            y_hat = float(x_k @ w + b > 0)
            w += learning_rate * (y_k - y_hat) * x_k
            b = b + learning_rate * (y_k - y_hat)
        return w, b

    fails_with("ex-04-rosenblatt-sweep", rosenblatt_sweep,
               "rosenblatt_sweep changed the caller's w in place: work on a copy")
    # the same sweep on a copy passes: the values were right all along
    def on_a_copy(X, y, w, b, learning_rate):
        return rosenblatt_sweep(X, y, w.copy(), b, learning_rate)

    check_exercise("ex-04-rosenblatt-sweep", on_a_copy)
