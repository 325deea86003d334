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


@pytest.mark.parametrize("mismatch", [
    lambda X, w: X @ w[:1],  # matmul
    lambda X, w: np.dot(X, w[:1]),  # "not aligned"
    lambda X, w: np.linalg.solve(X.T @ X, w[:1]),  # a gufunc: "mismatch in its core dimension"
], ids=["matmul", "dot", "solve"])
def test_a_shape_mismatch_raised_by_the_student_gets_the_sentence_on_shapes(mismatch):
    with pytest.raises(CheckError, match="The shapes of two operands do not fit"):
        check_function(mismatch, reference, CASES, name="z")


def test_another_value_error_gets_no_sentence_on_shapes():
    with pytest.raises(CheckError, match="z raised ValueError: could not convert") as error:
        check_function(lambda X, w: X @ w + float("one"), reference, CASES, name="z")
    assert "shapes" not in str(error.value)


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


# --- wrong types are named, never passed and never a raw error (issue 15 items 6 and 8) -------------------------


def test_text_where_a_number_belongs_fails_and_names_the_type():
    with pytest.raises(CheckError, match="is text"):
        check_close("2.5", 2.5)
    with pytest.raises(CheckError, match="is text"):
        check_function(lambda x: str(x**2), lambda x: x**2, [2.0, 3.0])
    with pytest.raises(CheckError, match="array of text"):
        check_close(np.array(["1", "2"]), [1.0, 2.0])


def test_complex_answers_fail_with_a_clear_message_and_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for value in (np.array([1 + 0j, 2 + 0j]), 1 + 0j, [1.0, 2j], np.complex128(1)):
            with pytest.raises(CheckError, match="is complex"):
                check_close(value, np.ones(np.shape(value)))


def test_a_method_or_function_where_a_number_belongs_says_call_it():
    class Net:
        def score(self):
            return 0.95

    for check in (check_greater, check_less):
        with pytest.raises(CheckError, match=r"is a method \(score\).*forgot the parentheses"):
            check(Net().score, 0.9, name="net.score")
    with pytest.raises(CheckError, match="forgot the parentheses"):
        check_close(np.mean, 1.0)


def test_check_greater_and_less_take_one_number():
    with pytest.raises(CheckError, match=r"list of shape \(1,\), expected one number \(take the entry"):
        check_less([0.1], 1)
    with pytest.raises(CheckError, match=r"array of shape \(2,\), expected one number\.$"):
        check_greater(np.array([1.0, 2.0]), 0)
    with pytest.raises(CheckError, match="NaN"):
        check_greater(float("nan"), 0)
    with pytest.raises(TypeError, match="bound"):
        check_greater(1.0, "0")
    check_greater(np.float32(1.0), 0)
    check_less(np.array(0.5), 1)


def test_ragged_lists_are_named():
    with pytest.raises(CheckError, match="ragged list"):
        check_close([[1.0, 2.0], [3.0]], np.ones((2, 2)))
    with pytest.raises(CheckError, match="ragged list"):
        check_shape([[1.0, 2.0], [3.0]], (2, 2))


def test_a_bad_reference_is_the_authors_error():
    with pytest.raises(TypeError, match="expected: the reference must be real numbers"):
        check_close(1.0, "1.0")
    with pytest.raises(TypeError, match="reference_fn"):
        check_function(reference, None, CASES)


# --- reveal=False: the kind of difference and where, never the value -------------------------------------------


def hidden(actual, expected, **kwargs):
    with pytest.raises(CheckError) as error:
        check_close(actual, expected, name="W", reveal=False, **kwargs)
    return str(error.value)


def test_reveal_false_names_the_kind_of_difference_without_the_value():
    assert "wrong sign" in hidden(-W, W) and "6" not in hidden(-W, W)
    assert "constant factor (the same ratio" in hidden(2 * W, W)
    assert "constant offset (the same difference" in hidden(W + 0.5, W)
    assert "close (within 0.1 %)" in hidden(W * (1 + 1e-5), W)
    bad = W.copy()
    bad[1, 0] = 40
    assert hidden(bad, W) == "W is wrong at index (1, 0) (the largest difference; 1 of 6 entries differ)."
    assert hidden(3.0, 7.0) == "W is wrong."
    assert "all zeros" in hidden(np.zeros_like(W), W)


def test_reveal_true_is_the_default_outside_an_answer_key():
    assert "expected 7" in message(3.0, 7.0)


# --- forbid= and timeout= ----------------------------------------------------------------------------------------


def test_a_forbidden_lib_function_fails_the_check_wherever_it_is_bound():
    import lib.linear_models as linear_models
    from lib.linear_models import least_squares

    original = linear_models.least_squares
    forbid = ("lib.linear_models.least_squares",)
    X, y = np.arange(6.0).reshape(3, 2), np.array([1.0, 0.0, 2.0])

    def by_global(X, y):
        return least_squares(X, y)

    def by_module(X, y):
        return linear_models.least_squares(X, y)

    def swallowing(X, y):
        try:
            return least_squares(X, y)
        except Exception:  # noqa: BLE001 - the student hides the call: still found
            return original(X, y)

    for student in (by_global, by_module, swallowing, original):
        with pytest.raises(CheckError, match="without lib's least_squares .*your code called it"):
            check_function(student, original, [(X, y)], forbid=forbid)
    assert linear_models.least_squares is original and least_squares is original  # restored
    check_function(by_global, original, [(X, y)])  # allowed without forbid


def test_a_forbidden_method_fails_the_check_and_is_restored():
    """ex-07-backprop-by-hand: backpropagation written by hand must not call the network's own gradients."""
    from lib.network import FeedForwardNetwork
    from lib.regularization import RegularizedNetwork

    network = FeedForwardNetwork([2, 3, 1], seed=0)
    X, Y = np.ones((4, 2)), np.zeros((4, 1))
    reference = FeedForwardNetwork.gradients
    forbid = ("lib.network.FeedForwardNetwork.gradients",)

    def lazy(X, Y):
        return network.gradients(X, Y)[0][0]

    with pytest.raises(CheckError, match=r"without lib's gradients \(lib.network.FeedForwardNetwork.gradients\)"):
        check_function(lazy, lambda X, Y: reference(network, X, Y)[0][0], [(X, Y)], forbid=forbid)
    assert FeedForwardNetwork.gradients is reference
    # an inherited method is forbidden through the subclass too, and afterwards inherited again
    assert "gradients" not in RegularizedNetwork.__dict__
    with pytest.raises(CheckError, match="your code called it"):
        check_function(lambda X, Y: RegularizedNetwork([2, 3, 1], seed=0).gradients(X, Y)[0][0],
                       lambda X, Y: reference(network, X, Y)[0][0], [(X, Y)],
                       forbid=("lib.regularization.RegularizedNetwork.gradients",))
    assert "gradients" not in RegularizedNetwork.__dict__ and RegularizedNetwork.gradients is reference


def test_the_forbidden_function_is_restored_after_any_error():
    import lib.linear_models as linear_models

    original = linear_models.least_squares

    def broken(X, y):
        raise ZeroDivisionError("oops")

    with pytest.raises(CheckError, match="ZeroDivisionError"):
        check_function(broken, original, [(np.ones((2, 2)), np.ones(2))], forbid=("lib.linear_models.least_squares",))
    assert linear_models.least_squares is original
    with pytest.raises(ValueError, match="forbid"):
        check_function(broken, original, [(np.ones((2, 2)), np.ones(2))], forbid=("lib.nothing.here",))


def test_a_student_function_that_never_returns_times_out():
    import time

    def forever(x):
        while True:
            pass

    start = time.perf_counter()
    with pytest.raises(CheckError, match=r"did not finish within 0.2 s .*loop that never ends"):
        check_function(forever, lambda x: x, [1.0], timeout=0.2)
    assert time.perf_counter() - start < 5

    def catches_everything(x):
        try:
            while True:
                pass
        except Exception:  # noqa: BLE001 - the time limit is not an Exception, so this does not stop it
            return x

    with pytest.raises(CheckError, match="did not finish"):
        check_function(catches_everything, lambda x: x, [1.0], timeout=0.2)
    with pytest.raises(ValueError, match="timeout"):
        check_function(forever, lambda x: x, [1.0], timeout=-1)


def test_outside_the_main_thread_the_time_limit_still_returns():
    import threading

    outcome = []

    def forever(x):
        while not outcome:  # ends when the test is over
            pass

    def run():
        try:
            check_function(forever, lambda x: x, [1.0], timeout=0.2)
        except CheckError as error:
            outcome.append(str(error))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert outcome and "did not finish within 0.2 s" in outcome[0]
    with contextlib.redirect_stdout(io.StringIO()):
        threading.Thread(target=lambda: check_function(abs, abs, [-1.0], timeout=1)).start()


# --- properties (hypothesis) -------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), elements=finite)


@settings(max_examples=150, deadline=None)
@given(arrays)
def test_property_an_array_matches_itself_and_its_list(value):
    assert diagnose(value, value) is None
    assert diagnose(value.tolist(), value) is None


@settings(max_examples=200, deadline=None)
@given(arrays, arrays)
def test_property_a_wrong_answer_always_fails_and_never_shows_the_expected_values(actual, expected):
    problem = diagnose(actual, expected, reveal=False)
    same = actual.shape == expected.shape and np.allclose(actual, expected, rtol=1e-7, atol=1e-12)
    assert (problem is None) == same
    if problem is not None and actual.shape == expected.shape:
        text = str(problem)
        shown = {f"{v:.6g}" for v in np.ravel(expected)} | {f"{v:.4g}" for v in np.ravel(expected)}
        # a number of the reference never appears, unless it is a small integer that an index or count can also be
        assert not any(s in text for s in shown if not (s.lstrip("-").isdigit() and abs(int(s)) < 10))


junk = st.one_of(
    st.none(), st.text(max_size=5), st.binary(max_size=3), st.complex_numbers(allow_nan=False),
    st.lists(st.one_of(finite, st.lists(finite, max_size=3), st.text(max_size=2)), max_size=4),
    st.dictionaries(st.text(max_size=2), finite, max_size=2), st.builds(object), st.just(len),
    hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
    st.floats(), st.integers(-10**30, 10**30), st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(junk, arrays)
def test_property_any_answer_gives_a_check_error_or_passes_never_a_raw_error(actual, expected):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for check in (lambda: check_close(actual, expected, reveal=False), lambda: check_shape(actual, (2,)),
                      lambda: check_greater(actual, 0.0), lambda: check_less(actual, 0.0)):
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    check()
            except CheckError:
                pass


@settings(max_examples=100, deadline=None)
@given(junk)
def test_property_any_student_function_result_gives_a_check_error_or_passes(result):
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check_function(lambda x: result, lambda x: np.ones(2), [1.0], timeout=None)
    except CheckError:
        pass


import contextlib  # noqa: E402
import io  # noqa: E402
