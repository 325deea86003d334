"""Tests of lib.tuning: grid and random search over hyperparameters with a validation score."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.tuning import LogUniform, SearchResult, Uniform, grid_search, random_search


def bowl(lr, l2):
    """A known 'validation score' with its maximum at lr=0.1, l2=1e-3."""
    return -((math.log10(lr) + 1) ** 2) - (math.log10(l2) + 3) ** 2


def test_grid_search_tries_every_combination_in_order():
    calls = []

    def evaluate(a, b):
        calls.append((a, b))
        return a * 10 + b

    result = grid_search(evaluate, {"a": [1, 2, 3], "b": [0, 1]})
    assert calls == [(1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1)]
    assert [(row["a"], row["b"]) for row in result.table] == calls
    assert result.best == {"a": 3, "b": 1}
    assert result.best_score == 31


def test_grid_search_finds_the_known_optimum():
    result = grid_search(bowl, {"lr": [1e-3, 1e-2, 1e-1, 1.0], "l2": [1e-5, 1e-4, 1e-3, 1e-2]})
    assert result.best == {"lr": 1e-1, "l2": 1e-3}
    assert result.best_score == pytest.approx(0.0)
    assert len(result.table) == 16


def test_minimize_picks_the_smallest_score():
    result = grid_search(lambda x: (x - 2) ** 2, {"x": [0, 1, 2, 3]}, maximize=False)
    assert result.best == {"x": 2}
    assert result.best_score == 0.0


def test_ties_go_to_the_first_setting_tried():
    assert grid_search(lambda x: 1.0, {"x": [5, 6, 7]}).best == {"x": 5}
    assert grid_search(lambda x: 1.0, {"x": [5, 6, 7]}, maximize=False).best == {"x": 5}


def test_extra_metrics_are_tabulated():
    result = grid_search(lambda x: {"score": x, "train": 2 * x}, {"x": [1.0, 2.0]})
    assert result.table[1] == {"x": 2.0, "score": 2.0, "train": 4.0}
    np.testing.assert_array_equal(result.column("train"), [2.0, 4.0])


def test_failed_settings_are_kept_but_never_best():
    result = grid_search(lambda lr: float("nan") if lr > 1 else lr, {"lr": [0.1, 0.5, 10.0]})
    assert math.isnan(result.table[2]["score"])
    assert result.best == {"lr": 0.5}
    with pytest.raises(ValueError, match="non-finite"):
        grid_search(lambda lr: float("inf"), {"lr": [0.1]})


def test_grid_matrix_for_a_heatmap():
    result = grid_search(lambda a, b: 10 * a + b, {"a": [1, 2], "b": [3, 4, 5]})
    rows, cols, matrix = result.grid("a", "b")
    assert rows == [1, 2] and cols == [3, 4, 5]
    np.testing.assert_array_equal(matrix, [[13, 14, 15], [23, 24, 25]])
    _, _, transposed = result.grid("b", "a")
    np.testing.assert_array_equal(transposed, matrix.T)
    with pytest.raises(ValueError, match="row"):
        result.grid("c", "b")


def test_random_search_is_seeded_and_stays_in_its_space():
    space = {"lr": LogUniform(1e-4, 1.0), "momentum": Uniform(0.5, 0.99), "batch": [16, 32, 64]}
    first = random_search(lambda lr, momentum, batch: lr, space, n_trials=50, seed=3)
    again = random_search(lambda lr, momentum, batch: lr, space, n_trials=50, seed=3)
    other = random_search(lambda lr, momentum, batch: lr, space, n_trials=50, seed=4)
    assert first.table == again.table
    assert first.table != other.table
    lr, momentum, batch = first.column("lr"), first.column("momentum"), first.column("batch")
    assert np.all((lr >= 1e-4) & (lr <= 1.0))
    assert np.all((momentum >= 0.5) & (momentum <= 0.99))
    assert set(batch) <= {16, 32, 64}
    assert all(type(row["batch"]) is int for row in first.table)
    assert first.best["lr"] == lr.max()


def test_log_uniform_spends_equal_trials_per_decade():
    rng = np.random.default_rng(0)
    exponents = np.log10([LogUniform(1e-4, 1.0).sample(rng) for _ in range(4000)])
    counts = np.histogram(exponents, bins=[-4, -3, -2, -1, 0])[0]
    assert counts.min() > 900 and counts.max() < 1100


def test_random_search_finds_a_good_setting_of_the_bowl():
    result = random_search(bowl, {"lr": LogUniform(1e-4, 1.0), "l2": LogUniform(1e-6, 1.0)}, n_trials=200)
    assert result.best_score > -0.05


def test_str_shows_the_best_setting_with_four_significant_digits():
    result = random_search(bowl, {"lr": LogUniform(1e-4, 1.0), "l2": LogUniform(1e-6, 1.0)}, n_trials=5, seed=0)
    last = str(result).splitlines()[-1]
    assert last.startswith("best: {'lr': ") and len(last) < 60
    assert f"{result.best['lr']:.4g}" in last


def test_str_shows_every_trial_and_the_best():
    text = str(grid_search(lambda x: x / 3, {"x": [1, 2]}))
    assert text.splitlines()[0].split() == ["x", "score"]
    assert "0.6667" in text and text.splitlines()[-1].startswith("best: {'x': 2}")
    assert "2 trials" in repr(grid_search(lambda x: x, {"x": [1, 2]}))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: grid_search("f", {"x": [1]}), TypeError, "evaluate"),
        (lambda: grid_search(lambda x: x, {}), TypeError, "grid"),
        (lambda: grid_search(lambda x: x, {"x": []}), ValueError, "grid"),
        (lambda: grid_search(lambda x: x, {"x": 3}), ValueError, "grid"),
        (lambda: grid_search(lambda x: "good", {"x": [1]}), TypeError, "evaluate"),
        (lambda: grid_search(lambda x: {"train": 1.0}, {"x": [1]}), ValueError, "score"),
        (lambda: grid_search(lambda x: {"score": 1.0, "x": 2.0}, {"x": [1]}), ValueError, "hyperparameter"),
        (lambda: random_search(lambda x: x, {"x": [1]}, n_trials=0), ValueError, "n_trials"),
        (lambda: random_search(lambda x: x, {"x": [1]}, n_trials=2.5), TypeError, "n_trials"),
        (lambda: random_search(lambda x: x, {"x": [1]}, n_trials=2, seed=1.5), TypeError, "seed"),
        (lambda: random_search(lambda x: x, {"x": 0.1}, n_trials=2), TypeError, "space"),
        (lambda: random_search(lambda x: x, {"x": []}, n_trials=2), ValueError, "space"),
        (lambda: random_search(lambda x: x, [], n_trials=2), TypeError, "space"),
        (lambda: LogUniform(0.0, 1.0), ValueError, "positive"),
        (lambda: Uniform(1.0, 1.0), ValueError, "low < high"),
        (lambda: Uniform("a", 1.0), TypeError, "low"),
        (lambda: Uniform(0.0, float("nan")), ValueError, "high"),
    ],
)
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_column_rejects_unknown_names():
    with pytest.raises(ValueError, match="unknown column"):
        grid_search(lambda x: x, {"x": [1]}).column("y")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20), st.booleans())
def test_best_is_the_extreme_finite_score(scores, maximize):
    finite = [s for s in scores if math.isfinite(s)]
    if not finite:
        with pytest.raises(ValueError):
            grid_search(lambda i: scores[i], {"i": list(range(len(scores)))}, maximize=maximize)
        return
    result = grid_search(lambda i: scores[i], {"i": list(range(len(scores)))}, maximize=maximize)
    assert isinstance(result, SearchResult)
    assert result.best_score == (max(finite) if maximize else min(finite))
    assert scores.index(result.best_score) == result.best["i"]


def test_plot_loss_curves_draws_one_line_per_label():
    import matplotlib.pyplot as plt

    from lib.plotting import plot_loss_curves

    ax = plot_loss_curves({"sgd": [1.0, 0.5, 0.25], "adam": [1.0, 0.1]})
    assert [line.get_label() for line in ax.get_lines()] == ["sgd", "adam"]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [1, 2])
    plt.close("all")
    with pytest.raises(TypeError, match="curves"):
        plot_loss_curves([1.0, 2.0])
    with pytest.raises(ValueError, match="adam"):
        plot_loss_curves({"adam": []})
    plt.close("all")


def test_plot_search_results_marks_every_trial_and_the_best():
    import matplotlib.pyplot as plt

    from lib.plotting import plot_search_results

    grid = grid_search(bowl, {"lr": [1e-2, 1e-1], "l2": [1e-4, 1e-3]})
    random = random_search(bowl, {"lr": LogUniform(1e-3, 1.0), "l2": LogUniform(1e-5, 1e-2)}, n_trials=5)
    ax = plot_search_results({"grid": grid, "random": random}, "lr", "l2")
    sizes = [len(collection.get_offsets()) for collection in ax.collections]
    assert sizes == [4, 1, 5, 1]  # the trials of each search, then its best setting
    np.testing.assert_allclose(ax.collections[1].get_offsets()[0], [grid.best["lr"], grid.best["l2"]])
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "lr"
    plt.close("all")
    with pytest.raises(TypeError, match="results"):
        plot_search_results([], "lr", "l2")
