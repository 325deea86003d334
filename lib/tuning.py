"""Hyperparameter search with a validation set: grid search and random search.

Introduced in chapter 09. A search never looks at the test set. The caller writes one function,
``evaluate(**setting)``, that trains a model on the training set with the given hyperparameters and returns
its score on the validation (dev) set; the search calls it once per setting, keeps a table of the results
and reports the best setting. The test set is used once, afterwards, on the chosen setting only.
"""

import itertools
import math
import numbers

import numpy as np

from lib import _validate


class Uniform:
    """A real hyperparameter drawn uniformly from [low, high] by :func:`random_search`.

    Introduced in chapter 09.
    """

    def __init__(self, low, high):
        self.low, self.high = _interval("Uniform", low, high)

    def sample(self, rng):
        """Draw one value with the generator `rng`. Introduced in chapter 09."""
        return float(_validate.generator(rng).uniform(self.low, self.high))

    def __repr__(self):
        return f"Uniform({self.low:g}, {self.high:g})"


class LogUniform:
    """A positive hyperparameter whose logarithm is uniform on [log low, log high].

    Learning rates and penalty strengths matter by their order of magnitude: 1e-4 to 1e-3 is as big a step
    as 1e-1 to 1. Drawing the exponent uniformly spends as many trials on each decade.
    Introduced in chapter 09.
    """

    def __init__(self, low, high):
        self.low, self.high = _interval("LogUniform", low, high)
        if self.low <= 0:
            raise ValueError(f"low: expected a positive number for LogUniform, got {low!r}")

    def sample(self, rng):
        """Draw one value with the generator `rng`. Introduced in chapter 09."""
        return float(10.0 ** _validate.generator(rng).uniform(math.log10(self.low), math.log10(self.high)))

    def __repr__(self):
        return f"LogUniform({self.low:g}, {self.high:g})"


class SearchResult:
    """What a search found: one row per setting tried, and the best one.

    Attributes:
        table: list of dicts, one per trial in the order tried; each holds the hyperparameters, the
            validation ``score`` and any extra numbers ``evaluate`` returned.
        best: the hyperparameters (a dict) of the best row; ties go to the row tried first.
        best_score: its validation score.
        maximize: True when a higher score is better (accuracy), False when lower is (a loss).

    Introduced in chapter 09.
    """

    def __init__(self, table, names, maximize):
        if not isinstance(maximize, bool):
            raise TypeError(f"maximize: expected True or False, got {maximize!r}")
        self.table, self.names, self.maximize = table, list(names), maximize
        finite = [row for row in table if math.isfinite(row["score"])]
        if not finite:
            raise ValueError("evaluate: returned a non-finite score for every setting; nothing to choose from")
        pick = max if maximize else min
        best_row = pick(finite, key=lambda row: row["score"])  # max/min keep the first of equal rows
        self.best = {name: best_row[name] for name in self.names}
        self.best_score = best_row["score"]

    def column(self, name):
        """The values of one column as an array (a hyperparameter, ``"score"`` or an extra metric).

        Introduced in chapter 09.
        """
        if not isinstance(name, str) or name not in self.table[0]:
            raise ValueError(f"name: unknown column {name!r}; expected one of {list(self.table[0])}")
        return np.array([row[name] for row in self.table])

    def grid(self, row, col, value="score"):
        """A grid search's results as a matrix: (row values, column values, matrix[i, j]).

        Only for a search over exactly the two hyperparameters `row` and `col` (a grid search).
        Introduced in chapter 09.
        """
        for arg, name in (("row", row), ("col", col)):
            if not isinstance(name, str) or name not in self.names:
                raise ValueError(f"{arg}: expected one of the hyperparameters {self.names}, got {name!r}")
        if not isinstance(value, str) or value not in self.table[0] or value in self.names:
            raise ValueError(f"value: expected a result column, one of "
                             f"{[c for c in self.table[0] if c not in self.names]}, got {value!r}")
        row_values = list(dict.fromkeys(r[row] for r in self.table))
        col_values = list(dict.fromkeys(r[col] for r in self.table))
        if len(self.names) != 2 or len(self.table) != len(row_values) * len(col_values):
            raise ValueError("grid: expected the full grid of a search over exactly two hyperparameters")
        matrix = np.empty((len(row_values), len(col_values)))
        for r in self.table:
            matrix[row_values.index(r[row]), col_values.index(r[col])] = r[value]
        return row_values, col_values, matrix

    def __str__(self):
        columns = list(self.table[0])
        cells = [[_format(r[c]) for c in columns] for r in self.table]
        widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
        lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
        lines += ["  ".join(v.rjust(w) for v, w in zip(line, widths, strict=True)) for line in cells]
        # the best setting with the table's 4 significant digits, so that the line stays short
        best = "{" + ", ".join(f"{name!r}: {_format(value)}" for name, value in self.best.items()) + "}"
        lines.append(f"best: {best} with score {self.best_score:.4g}")
        return "\n".join(lines)

    def __repr__(self):
        return f"SearchResult({len(self.table)} trials, best={self.best}, best_score={self.best_score:.4g})"


def grid_search(evaluate, grid, maximize=True):
    """Try every combination of the values in `grid`; return a :class:`SearchResult`.

    Args:
        evaluate: a function called as ``evaluate(**setting)``; it trains on the
            training set and returns the validation score (a number), or a dict with a
            ``"score"`` entry and any other numbers to tabulate (for example the
            training score). A non-finite score marks a failed setting (a diverged
            training).
        grid: a dict mapping each hyperparameter name to a non-empty list of values.
        maximize: True if a higher score is better.

    The number of trainings is the product of the list lengths: it grows exponentially
    with the number of hyperparameters. Introduced in chapter 09.
    """
    _check_evaluate(evaluate)
    if not isinstance(grid, dict) or not grid:
        raise TypeError("grid: expected a non-empty dict of name -> list of values, "
                        f"got {grid!r}")
    for name, values in grid.items():
        if not isinstance(values, (list, tuple, np.ndarray)) or len(values) == 0:
            raise ValueError(f"grid: expected a non-empty list of values for {name!r}, "
                             f"got {values!r}")
    return _grid_search(evaluate, grid, maximize)


def _grid_search(evaluate, grid, maximize):
    """One trial (one call of evaluate) per combination of the values in `grid`, for the
    arguments :func:`grid_search` has checked.

    Introduced in chapter 09.
    """
    names = list(grid)
    settings = [dict(zip(names, values, strict=True))
                for values in itertools.product(*grid.values())]
    trials = [_trial(evaluate, setting) for setting in settings]
    return SearchResult(trials, names, maximize)


def random_search(evaluate, space, n_trials, seed=0, maximize=True):
    """Try `n_trials` settings drawn at random from `space`; return a :class:`SearchResult`.

    Args:
        evaluate: as in :func:`grid_search`.
        space: a dict mapping each hyperparameter name to a list of values (one is drawn with equal
            probabilities) or to a distribution with a ``sample(rng)`` method (:class:`Uniform`,
            :class:`LogUniform`).
        n_trials: the number of settings to train, chosen by the budget, not by the number of hyperparameters.
        seed: seeds the draws, so a search is reproducible.
        maximize: True if a higher score is better.

    With the same budget as a grid, every trial tries a new value of every hyperparameter; when only a few of
    them matter, that explores the important ones more finely (Bergstra and Bengio, 2012).
    Introduced in chapter 09.
    """
    _check_evaluate(evaluate)
    if not isinstance(space, dict) or not space:
        raise TypeError(f"space: expected a non-empty dict of name -> list or distribution, got {space!r}")
    for name, values in space.items():
        if isinstance(values, (list, tuple, np.ndarray)):
            if len(values) == 0:
                raise ValueError(f"space: expected a non-empty list of values for {name!r}")
        elif not callable(getattr(values, "sample", None)):
            raise TypeError(f"space: expected a list or a distribution (Uniform, LogUniform) for {name!r}, "
                            f"got {values!r}")
    _validate.count("n_trials", n_trials, 10**5)
    rng = np.random.default_rng(_validate.seed(seed))
    table = []
    for _ in range(n_trials):
        setting = {name: _draw(values, rng) for name, values in space.items()}
        table.append(_trial(evaluate, setting))
    return SearchResult(table, list(space), maximize)


def _draw(values, rng):
    if isinstance(values, (list, tuple, np.ndarray)):
        value = values[rng.integers(len(values))]
        return value.item() if isinstance(value, np.generic) else value
    return values.sample(rng)


def _trial(evaluate, setting):
    """One row of a search's table: the setting, and the score (and other numbers) evaluate returns for it."""
    return {**setting, **_outcome(evaluate(**setting), setting)}


def _outcome(outcome, setting):
    """What evaluate returned, checked, as a dict of floats with a "score" entry."""
    extras = dict(outcome) if isinstance(outcome, dict) else {"score": outcome}
    if "score" not in extras:
        raise ValueError(f"evaluate: returned a dict without a 'score' entry: {outcome!r}")
    for key, value in extras.items():
        if key in setting:
            raise ValueError(f"evaluate: returned {key!r}, which is also a hyperparameter name")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"evaluate: expected numbers, got {key}={value!r} for setting {setting}")
    return {key: float(value) for key, value in extras.items()}


def _check_evaluate(evaluate):
    _validate.function("evaluate", evaluate, "a function evaluate(**setting) -> score")


def _interval(name, low, high):
    low, high = _validate.finite_number("low", low), _validate.finite_number("high", high)
    if not low < high:
        raise ValueError(f"{name}: expected low < high, got low={low!r}, high={high!r}")
    return float(low), float(high)


def _format(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
