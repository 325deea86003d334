"""lib.exercises: answer keys registered by label, found from the label, run without revealing the answer."""

import numpy as np
import pytest

import lib.exercises as exercises
from lib.checks import CheckError, NotImplementedYet, check_close
from lib.exercises import answer_key, check_exercise, require_answer


@answer_key("ex-99-square")
def _square_key(answer, offset=0.0):
    check_close(answer, 9.0 + offset, name="3 squared")


def test_check_exercise_runs_the_registered_key(capsys):
    check_exercise("ex-99-square", 9.0)
    assert "3 squared matches" in capsys.readouterr().out
    check_exercise("ex-99-square", 10.0, offset=1.0)  # context reaches the key


def test_a_key_does_not_reveal_the_expected_value():
    with pytest.raises(CheckError) as error:
        check_exercise("ex-99-square", 7.0)
    assert "9" not in str(error.value)
    # outside a key the same check shows it (claims in the chapters stay informative)
    with pytest.raises(CheckError, match="expected 9"):
        check_close(7.0, 9.0)


def test_the_reveal_default_is_restored_after_a_failing_key():
    with pytest.raises(CheckError):
        check_exercise("ex-99-square", 7.0)
    with pytest.raises(CheckError, match="expected 9"):
        check_close(7.0, 9.0)


def test_unknown_labels_are_clear_errors():
    with pytest.raises(ValueError, match="no answer key for 'ex-99-cube'"):
        check_exercise("ex-99-cube", 1)
    with pytest.raises(ValueError, match="no answer key for 'ex-98-x'"):
        check_exercise("ex-98-x", 1)
    with pytest.raises(ValueError, match="exercise label like"):
        check_exercise("exercise 1", 1)
    with pytest.raises(TypeError, match="label"):
        check_exercise(5, 1)


def test_a_label_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        answer_key("ex-99-square")(lambda answer: None)


def test_require_answer_names_the_missing_value():
    with pytest.raises(NotImplementedYet, match="b1 is not set yet"):
        require_answer((np.ones(2), None), "W1, b1")
    with pytest.raises(NotImplementedYet, match="X is not set yet"):
        require_answer(None, "X")
    require_answer((1, 2), "a, b")


def test_check_exercise_is_the_same_from_lib_checks_and_lib_exercises():
    assert exercises.check_exercise("ex-99-square", 9.0) is None
