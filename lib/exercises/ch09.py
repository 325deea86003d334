"""Answer keys of chapter 09 (training in practice). Introduced in chapter 09.

Each key computes its reference here, never from a notebook global.
"""

import numpy as np

from lib import optimizers
from lib.checks import CheckError, call_student, check_close, check_function, check_true
from lib.exercises import answer_key
from lib.regularization import Dropout, clip_by_norm

# ex-09-momentum-by-hand ---------------------------------------------------------------------------------------


def _lib_momentum_two_steps(theta, g1, g2, learning_rate, mu):
    theta = np.array(theta, dtype=float)
    optimizer = optimizers.Momentum(learning_rate, momentum=mu)
    optimizer.update([theta], [np.asarray(g1, dtype=float)])
    optimizer.update([theta], [np.asarray(g2, dtype=float)])
    return theta


@answer_key("ex-09-momentum-by-hand")
def _momentum_by_hand(answer):
    rng = np.random.default_rng(5)
    cases = [(rng.normal(size=3), rng.normal(size=3), rng.normal(size=3), 0.1, 0.9),
             (rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), 0.5, 0.5)]
    check_function(answer, _lib_momentum_two_steps, cases, name="momentum_two_steps (theta after two steps)",
                   forbid=("lib.optimizers.Momentum", "lib.optimizers.SGD", "lib.optimizers.get_optimizer"),
                   mistakes={
        "it is plain SGD: the velocity must carry mu times the first step into the second":
            lambda t, g1, g2, lr, mu: t - lr * (g1 + g2),
        "the second step adds the velocity with the wrong sign: v <- mu v - eta g, then theta <- theta + v":
            lambda t, g1, g2, lr, mu: t - lr * g1 - (mu * (-lr * g1) - lr * g2),
        "theta moved with the old velocity before v was updated: update v first, then theta <- theta + v":
            lambda t, g1, g2, lr, mu: t - lr * g1,
        "mu multiplies the new gradient too (v <- mu (v - eta g)): only the old velocity decays":
            lambda t, g1, g2, lr, mu: t - mu * lr * g1 + mu * (-mu * lr * g1 - lr * g2),
        "the second move uses the updated velocity mu v - eta g2, not the first velocity again":
            lambda t, g1, g2, lr, mu: t - 2 * lr * g1,
        "v <- mu v - eta g: the old velocity keeps its sign":
            lambda t, g1, g2, lr, mu: t - lr * g1 + (-mu * (-lr * g1) - lr * g2),
        "the first gradient is used twice: the second step needs g2":
            lambda t, g1, g2, lr, mu: t - lr * g1 + (mu * (-lr * g1) - lr * g1),
        "that is the averaging form v <- mu v + (1 - mu) g, as in Adam's m: "
        "this chapter's momentum adds the whole step, v <- mu v - eta g":
            lambda t, g1, g2, lr, mu: (t - (1 - mu) * lr * g1
                                       - mu * (1 - mu) * lr * g1 - (1 - mu) * lr * g2),
    })


# ex-09-dropout-variance ---------------------------------------------------------------------------------------


def _measured_variance(a, p):
    outputs = Dropout(p).forward(np.full(400_000, float(a)), training=True, rng=np.random.default_rng(0))
    return outputs.var()


@answer_key("ex-09-dropout-variance")
def _dropout_variance(answer):
    cases = [(1.0, 0.5), (2.0, 0.2), (-1.5, 0.8), (0.5, 0.1)]
    check_function(answer, _measured_variance, cases, name="dropout_variance", rtol=0.02, mistakes={
        "it is the variance without the 1/(1-p) rescaling: the survivors are a/(1-p), not a":
            lambda a, p: a**2 * p * (1 - p),
        "that is the mean of the squared output, not the variance: what does the variance subtract from it?":
            lambda a, p: a**2 / (1 - p),
        "p and 1 - p are swapped: p is the probability of a zero":
            lambda a, p: a**2 * (1 - p) / p,
        "the variance scales with a squared, not with a: the output is a times a random factor":
            lambda a, p: a * p / (1 - p),
        "the variance scales with a squared, not with |a|: the output is a times a random factor":
            lambda a, p: abs(a) * p / (1 - p),
        "the rescaling 1/(1-p) multiplies the output, so it enters the variance squared":
            lambda a, p: a**2 * p,
        "the value a/(1-p) has the probability 1 - p in E[a~^2] (p belongs to the zero), and E[a~^2] is not "
        "the variance yet: the squared mean a^2 is still to be subtracted":
            lambda a, p: a**2 * p / (1 - p) ** 2,
    })


# ex-09-clip-global-norm ---------------------------------------------------------------------------------------


def _flat(grads):
    return np.concatenate([np.ravel(g) for g in grads])


@answer_key("ex-09-clip-global-norm")
def _clip_global_norm(answer):
    rng = np.random.default_rng(6)
    cases = [(5 * rng.normal(size=(3, 2)), rng.normal(size=2), 1.0),
             (rng.normal(size=(2, 4)), rng.normal(size=4), 0.5),
             (0.01 * rng.normal(size=(3, 3)), 0.01 * rng.normal(size=3), 1.0)]
    # The student's function runs once per case, with clip_by_norm unavailable; the results are then compared.
    results = {}
    for index, (W, b, c) in enumerate(cases):
        clipped = call_student(answer, ([W, b], c), name="clip_global_norm",
                               forbid=("lib.regularization.clip_by_norm", "lib.regularization._clip_by_norm"))
        if clipped is None:
            raise CheckError("clip_global_norm returned None: return the list of "
                             "arrays (a function that changes them in place must "
                             "still return them)")
        if not isinstance(clipped, (list, tuple)) or len(clipped) != 2:
            raise CheckError("clip_global_norm should return a list with one array per gradient, [W, b] here")
        results[index] = _flat(clipped)
    cases = [(index, *case) for index, case in enumerate(cases)]
    check_function(lambda index, W, b, c: results[index], lambda index, W, b, c: _flat(clip_by_norm([W, b], c)[0]),
                   cases, name="clipped gradients [W, b]", mistakes={
        "each array was clipped to max_norm separately: use the norm of all arrays together":
            lambda index, W, b, c: _flat([g * min(1, c / np.linalg.norm(g)) for g in (W, b)]),
        "each entry was clipped to [-max_norm, max_norm]: scale by max_norm / norm instead":
            lambda index, W, b, c: _flat([np.clip(g, -c, c) for g in (W, b)]),
        "every gradient was scaled to length max_norm, also the short ones: scale only when norm > max_norm":
            lambda index, W, b, c: _flat([W, b]) * c / np.linalg.norm(_flat([W, b])),
        "the factor is upside down: multiply by max_norm / norm, which is below 1 when clipping":
            lambda index, W, b, c: _flat([W, b]) * max(1, np.linalg.norm(_flat([W, b])) / c),
        "the norm is the sum of squares without the square root":
            lambda index, W, b, c: _flat([W, b]) * min(1, c / np.sum(_flat([W, b]) ** 2)),
        "the norm of the whole list is sqrt(sum of ||g_k||^2), not the sum of the norms ||g_k||":
            lambda index, W, b, c: _flat([W, b]) * min(1, c / (np.linalg.norm(W) + np.linalg.norm(b))),
    })


# ex-09-winners-curse ------------------------------------------------------------------------------------------

# The exercise's model: m equally good settings, each with true accuracy P on a dev set of DEV images.
SETTINGS, P, DEV, REPETITIONS = (1, 2, 5, 18, 100), 0.99, 360, 20_000


def _expected_maximum(m, p=P, n=DEV):
    """The expected largest of m independent binomial(n, p) / n accuracies, exactly."""
    from scipy.stats import binom  # imported here: scipy.stats takes seconds to import

    k = np.arange(n + 1)
    cdf, cdf_below = binom.cdf(k, n, p), binom.cdf(k - 1, n, p)
    return float(np.sum(k / n * (cdf**m - cdf_below**m)))


def _best_of(p=P, scale=1, shift=0.0):
    return [_expected_maximum(m * scale, p) - shift for m in SETTINGS]


@answer_key("ex-09-winners-curse")
def _winners_curse(answer):
    exact = np.array(_best_of())
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        value = None  # check_close below names what it is
    if value is not None and value.shape == exact.shape:
        # scaled mistakes scale the simulation's noise too: each has its own tolerance
        scaled = {
            "best_of equals the exact values to rounding, which a simulation "
            "cannot: the exercise asks you to estimate them by simulation "
            "(np.random.default_rng(0), 20000 repetitions), not with the formula":
                (exact, 1e-12),
            "best_of holds the inflation in points (100 x (best - true accuracy)): "
            "store the expected best accuracy itself": (100 * (exact - P), 0.05),
            "best_of holds numbers of correct answers out of 360: divide by 360 to get "
            "accuracies": (DEV * exact, 0.1),
        }
        for message, (wrong, tolerance) in scaled.items():
            if np.allclose(value, wrong, rtol=0, atol=tolerance):
                raise CheckError(message)
    check_close(answer, _best_of(), rtol=0, atol=2e-4, name="best_of (m = 1, 2, 5, 18, 100)", mistakes={
        "that is the true accuracy of a single setting for every m: the question is about the best of the m "
        "settings in each repetition": [P] * len(SETTINGS),
        f"that is the best of the {REPETITIONS} repetitions: take the maximum over the m settings of one "
        "repetition (one row), then average over the repetitions": [1.0] * len(SETTINGS),
        f"that is the best of m settings with a true accuracy of 0.95: use p = {P}": _best_of(p=0.95),
        "that is the inflation (best minus true accuracy): store the expected best accuracy itself":
            _best_of(shift=P),
    })
    inflation = 100 * (np.array(_best_of()) - P) + 0.0  # + 0.0: no "-0.00" for m = 1
    noise = 100 * np.sqrt(P * (1 - P) / DEV)
    print("expected best dev accuracy: "
          + ", ".join(f"m = {m}: {x:.4f}" for m, x in zip(SETTINGS, _best_of(), strict=True))
          + "\ninflation in points: "
          + ", ".join(f"m = {m}: {x:.2f}" for m, x in zip(SETTINGS, inflation.round(2) + 0.0, strict=True))
          + f"\nnoise of one dev score: {noise:.2f} points; the best of 18 is {inflation[3] / noise:.2f} such units "
          "too high")
    check_true(bool(np.all(np.diff(inflation) > 0)) and inflation[-1] < 100 * (1 - P),
               f"the inflation grows with m, but stays below 1 - p = {100 * (1 - P):.0f} point")
