"""lib.checks: every typical mistake, fed to a check, gets a message that names it."""

import numpy as np
import pytest

from lib.activations import sigmoid, sigmoid_prime
from lib.checks import (
    CheckError,
    NotImplementedYet,
    check_close,
    check_function,
    check_greater,
    check_less,
    check_shape,
    check_true,
    diagnose,
)

W = np.arange(1.0, 7.0).reshape(2, 3)


def message(actual, expected=W, **kwargs):
    with pytest.raises(CheckError) as error:
        check_close(actual, expected, name="W", **kwargs)
    return str(error.value)


# --- right answers pass --------------------------------------------------------------------------------------


def test_right_answers_pass_and_print_a_tick(capsys):
    check_close(W.copy(), W, name="W")
    check_close([1.0, 2.0], np.array([1.0, 2.0]))
    check_close(0.1 + 0.2, 0.3, name="sum")
    check_true(True, "it holds")
    check_greater(2, 1)
    check_less(1, 2)
    check_shape(W, (2, 3), name="W")
    check_function(np.sin, np.sin, [np.ones(3), 0.5])
    assert capsys.readouterr().out.count("✓") == 8


def test_the_original_positional_signature_still_works():
    check_close(1.0 + 1e-9, 1.0, "x", 1e-6, 1e-12)
    with pytest.raises(CheckError, match="x"):
        check_close(1.1, 1.0, "x", 1e-6, 1e-12)


def test_a_right_answer_is_never_blamed_for_a_mistake_that_coincides_with_it():
    check_close(2.0, 2.0, name="g", mistakes={"forgot the factor w2 (here w2 = 1)": 2.0 / 1.0})


# --- not implemented yet ---------------------------------------------------------------------------------------


def test_none_means_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="W is None: the exercise cell does not compute it yet"):
        check_close(None, W, name="W")
    for check in (check_greater, check_less):
        with pytest.raises(NotImplementedYet):
            check(None, 0.0)


def test_a_stub_that_raises_is_reported_as_not_implemented_and_is_a_NotImplementedError():
    def stub(x):
        raise NotImplementedError("Exercise ex-01-demo: your code goes here (replace this line).")

    with pytest.raises(NotImplementedError, match="f is not implemented yet: Exercise ex-01-demo") as error:
        check_function(stub, np.sin, [1.0], name="f")
    assert isinstance(error.value, CheckError)


def test_a_function_that_forgets_to_return_is_not_implemented_yet():
    def forgot_return(x):
        np.sin(x)

    with pytest.raises(NotImplementedYet, match="a `return` is missing"):
        check_function(forgot_return, np.sin, [1.0])


# --- NaN, inf -----------------------------------------------------------------------------------------------


def test_nan_is_named_with_where_it_is():
    bad = W.copy()
    bad[1, 2] = np.nan
    text = message(bad)
    assert "contains NaN (1 of 6 entries, first at index (1, 2))" in text
    assert "learning rate" in text


def test_inf_is_named():
    assert "contains inf" in message(np.full((2, 3), np.inf))


# --- shapes ---------------------------------------------------------------------------------------------------


def test_wrong_length_names_the_axis():
    assert "W has shape (2, 2), expected (2, 3): axis 1 has length 2, expected 3." in message(W[:, :2])
    assert "axis 0 has length 3, expected 2" in message(np.ones((3, 3)))


def test_transposed_matrix_is_named():
    assert "W is transposed" in message(W.T)
    assert "transposed?" in message(np.zeros((3, 2)))  # the shape of W.T, but other numbers


def test_missing_and_extra_axis():
    text = message(W.ravel())
    assert "W has 1 axis (shape (6,)), expected 2 axes" in text and "an axis is missing" in text
    assert "reshape to (2, 3)" in text  # the numbers are right
    assert "there is an extra axis" in message(W[None])


def test_check_shape_names_the_axis():
    with pytest.raises(CheckError, match="axis 0 has length 5, expected 4"):
        check_shape(np.zeros((5, 2)), (4, 2), name="X")


# --- values ---------------------------------------------------------------------------------------------------


def test_wrong_sign():
    assert "W has the wrong sign" in message(-W)
    assert "wrong sign" in message(-0.25, 0.25)


def test_constant_factor():
    assert "W is off by a constant factor: yours = 2 x expected" in message(2 * W)
    assert "constant factor: yours = 0.5 x expected" in message(W / 2)


def test_constant_offset():
    assert "W is off by a constant offset: yours = expected + 0.5" in message(W + 0.5)


def test_close_but_outside_the_tolerance():
    assert "close but not within the tolerance" in message(W * (1 + 1e-5) + np.eye(2, 3) * 1e-5)


def test_otherwise_the_largest_difference_is_located():
    bad = W.copy()
    bad[1, 0] = 40.0
    assert "W is wrong at index (1, 0): you have 40, expected 4." in message(bad)
    assert "ratio yours/expected = 0.375" in message(0.375, 1.0)


def test_non_numbers_are_reported():
    assert "W is text (str 'W'), expected a number" in message("W")
    assert "expected numbers, got object" in message(object())


# --- known mistakes: the errata's scalar hidden layer (errata item 1) -----------------------------------------


def scalar_network(x=0.3, y=0.7, w1=0.5, b1=-0.2, w2=1.3, b2=0.1):
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    a2 = sigmoid(z2)
    right = (a2 - y) * sigmoid_prime(z2) * w2 * sigmoid_prime(z1) * x
    notes = (a2 - y) * sigmoid_prime(z2) * a1 * sigmoid_prime(z1) * x  # the lecture notes: a1 where w2 belongs
    return right, notes, w2



def errata_mistakes():
    right, notes, w2 = scalar_network()
    return {
        "it is off by the factor w2 = 1.3: did you forget dz2/da1?": right / w2,
        "it is the lecture notes' formula, with a1 where w2 belongs": notes,
        "the factor x = dz1/dw1 is missing": right / 0.3,
    }


def test_the_errata_numbers():
    right, notes, _ = scalar_network()
    check_close(right, -5.204e-4, rtol=1e-3)
    check_close(notes, -1.952e-4, rtol=1e-3)


@pytest.mark.parametrize("which", [0, 1, 2])
def test_each_known_mistake_is_named(which):
    description, wrong = list(errata_mistakes().items())[which]
    right, _, _ = scalar_network()
    with pytest.raises(CheckError) as error:
        check_close(wrong, right, name="dC/dw1", mistakes=errata_mistakes())
    assert str(error.value) == f"dC/dw1 is wrong in a known way: {description}"


def test_the_issue_example_message():
    right, _, w2 = scalar_network()
    hint = "it is off by the factor w2 = 1.3: did you forget dz2/da1?"
    problem = diagnose(right / w2, right, name="your dC/dw1", mistakes={hint: right / w2})
    assert str(problem) == f"your dC/dw1 is wrong in a known way: {hint}"


def test_a_known_mistake_with_another_shape_is_named_before_the_shape():
    X = np.arange(8.0).reshape(4, 2)
    no_intercept = np.ones(2)
    with pytest.raises(CheckError, match="known way: the column of ones is missing"):
        check_close(no_intercept, np.ones(3), name="theta", mistakes={"the column of ones is missing": no_intercept})
    check_close(X, X)


# --- check_function -----------------------------------------------------------------------------------------


def reference(X, w):
    return X @ w


CASES = [(np.arange(6.0).reshape(3, 2), np.array([0.5, -1.0])), (np.ones((2, 2)), np.array([2.0, 3.0]))]


def test_check_function_names_the_mistake_that_agrees_on_every_input():
    def student(X, w):
        return X.sum(axis=1) * w[0]

    mistakes = {
        "you used w[0] for every input": lambda X, w: X.sum(axis=1) * w[0],
        "agrees on the second input only": lambda X, w: X @ w if X[0, 0] == 1 else -X @ w,
    }
    with pytest.raises(CheckError, match="known way: you used w\\[0\\] for every input") as error:
        check_function(student, reference, CASES, name="z", mistakes=mistakes)
    assert "on input" in str(error.value)


def test_check_function_does_not_name_a_mistake_that_agrees_on_some_inputs_only():
    def student(X, w):
        return -X @ w

    mistakes = {"agrees on the second input only": lambda X, w: X @ w if X[0, 0] == 1 else -X @ w}
    with pytest.raises(CheckError, match="wrong sign") as error:
        check_function(student, reference, CASES, name="z", mistakes=mistakes)
    assert "known way" not in str(error.value)


def test_check_function_reports_shape_and_transposition():
    with pytest.raises(CheckError, match=r"z has 2 axes \(shape \(3, 1\)\), expected 1 axis"):
        check_function(lambda X, w: (X @ w)[:, None], reference, CASES, name="z")
    with pytest.raises(CheckError, match="z is transposed"):
        check_function(lambda A: A, lambda A: A.T, [np.arange(6.0).reshape(2, 3)], name="z")


def test_check_function_reports_an_exception_with_its_input():
    def crashes(X, w):
        return X @ w[:1]

    with pytest.raises(CheckError, match="z raised ValueError") as error:
        check_function(crashes, reference, CASES, name="z")
    assert "on input [[0. 1.]" in str(error.value)


def test_a_mistake_function_that_crashes_is_simply_not_the_mistake():
    with pytest.raises(CheckError, match="off by a constant factor"):
        check_function(lambda X, w: 3 * X @ w, reference, CASES, name="z", mistakes={"crash": lambda X, w: 1 / 0})


def test_check_function_rejects_bad_arguments():
    with pytest.raises(CheckError, match="expected a function, got int"):  # the student's mistake
        check_function(3, reference, CASES)
    with pytest.raises(TypeError, match="reference_fn"):  # the author's
        check_function(reference, 3, CASES)
    with pytest.raises(ValueError, match="inputs"):
        check_function(reference, reference, [])


def test_check_true_raises_its_message():
    with pytest.raises(CheckError, match="the claim"):
        check_true(False, "the claim")


# --- what a student sees in Jupyter -------------------------------------------------------------------------


def test_ipython_shows_the_message_without_frames_from_lib():
    with pytest.raises(CheckError) as error:
        check_close(2 * W, W, name="W")
    lines = error.value._render_traceback_()
    assert lines == ["\x1b[0;31mCheckError\x1b[0m: " + str(error.value)]


def test_ipython_keeps_the_frames_of_the_students_own_code_when_it_raised():
    def student_code(X, w):
        return X @ w[:1]  # the bug

    with pytest.raises(CheckError) as error:
        check_function(student_code, reference, CASES, name="z")
    text = "\n".join(error.value._render_traceback_())
    assert "student_code" in text and "the bug" in text and "ValueError" in text
    assert "lib/checks.py" not in text


# --- lists of arrays of different shapes (one gradient per layer) ---------------------------------------------

GRADIENTS = [np.ones((2, 3)), np.arange(3.0)]


def test_a_list_of_layers_is_compared_entry_by_entry():
    check_close([g.copy() for g in GRADIENTS], GRADIENTS, name="dW")
    assert "dW[0] is transposed" in str(diagnose([GRADIENTS[0].T, GRADIENTS[1]], GRADIENTS, name="dW"))
    assert "dW has 1 entries, expected 2" in str(diagnose(GRADIENTS[:1], GRADIENTS, name="dW"))
    assert "expected a list of 2 arrays" in str(diagnose(np.ones(3), GRADIENTS, name="dW"))
    halved = [g / 2 for g in GRADIENTS]
    assert "known way: mean over the batch twice" in str(
        diagnose(halved, GRADIENTS, name="dW", mistakes={"mean over the batch twice": halved}))
