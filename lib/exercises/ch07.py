"""Answer keys of chapter 07 (backpropagation). Introduced in chapter 07.

Each key computes its reference here, never from a notebook global.
"""

import numpy as np

from lib.activations import sigmoid_prime, softmax
from lib.checks import CheckError, call_student, check_close, check_function, check_true, diagnose
from lib.exercises import answer_key
from lib.network import FeedForwardNetwork

# ex-07-backprop-by-hand ---------------------------------------------------------------------------------------


@answer_key("ex-07-backprop-by-hand")
def _backprop_by_hand(answer):
    def make_network(sizes):
        return FeedForwardNetwork(sizes, hidden_activation="sigmoid", output_activation="identity",
                                  loss="squared_error", seed=3)

    network = make_network([4, 6, 5, 2])
    X = np.random.default_rng(3).normal(size=(20, 4))
    Y = np.random.default_rng(4).normal(size=(20, 2))

    def flat(gradients):
        if not isinstance(gradients, (tuple, list)) or len(gradients) != 2:
            raise CheckError("my_gradients should return two lists, (dW, db): dW[l - 1] is dC/dW^l.")
        dW, db = gradients
        return list(dW) + list(db)  # [dW^1, dW^2, dW^3, db^1, db^2, db^3]

    def by_hand(X, Y, per_sample=False, slope=True, slope_at_a=False, network=network, shift=0):
        # BP1-BP4 for this network, written out; the variants make the named mistakes
        zs, activations = network.forward_trace(X)
        if slope_at_a:  # the slope taken at a^l where z^l belongs
            zs = activations[1:]
        delta = (activations[-1] - Y) / (1 if per_sample else len(X))
        dW, db = [None] * 3, [None] * 3
        for layer in (3, 2, 1):
            dW[layer - 1] = activations[layer - 1].T @ delta
            db[layer - 1] = delta.sum(axis=0)
            if layer > 1:
                delta = delta @ network.weights[layer - 1].T * (sigmoid_prime(zs[layer - 2 + shift]) if slope else 1)
        return dW + db

    def student(X, Y):
        return flat(answer(network, X, Y))

    # zs[l - 1] in place of zs[l - 2] fails with a broadcast error when the widths differ; on equal widths it
    # gives numbers, so it is recognised there first (any other problem is reported by the check below)
    equal = make_network([4, 5, 5, 5])
    Y_equal = np.random.default_rng(4).normal(size=(20, 5))
    try:
        result = flat(call_student(answer, (equal, X, Y_equal), name="my_gradients",
                                   forbid=("lib.network.FeedForwardNetwork.gradients",
                                           "lib.network.FeedForwardNetwork._backprop")))
    except CheckError:
        result = None
    if result is not None and diagnose(result, by_hand(X, Y_equal, network=equal, shift=1), rtol=1e-8) is None:
        raise CheckError("my_gradients is wrong in a known way: BP2 into layer l-1 multiplies by f'(z^(l-1)), "
                         "which is zs[l - 2]; zs[l - 1] is z^l")

    check_function(
        student, lambda X, Y: flat(network.gradients(X, Y)), [(X, Y), (X[:1], Y[:1])],
        name="my_gradients as [dW^1, dW^2, dW^3, db^1, db^2, db^3]", rtol=1e-8,
        forbid=("lib.network.FeedForwardNetwork.gradients", "lib.network.FeedForwardNetwork._backprop"),
        mistakes={
            "the 1/n of the batch mean is missing: C averages over the n samples, so delta^L = (a^L - y) / n":
                lambda X, Y: by_hand(X, Y, per_sample=True),
            "BP2 lacks the slope f'(z^l) of the hidden layer: delta^l = (delta^(l+1) W^(l+1)^T) * f'(z^l)":
                lambda X, Y: by_hand(X, Y, slope=False),
            "BP2's slope is taken at the activation a^l: sigmoid_prime(z) computes "
            "sigma(z) (1 - sigma(z)) itself, so it needs z^l, which is zs[l - 1]":
                lambda X, Y: by_hand(X, Y, slope_at_a=True),
            "the lists run from the output layer down: dW[0] must be dW^1, the first layer's":
                lambda X, Y: by_hand(X, Y)[2::-1] + by_hand(X, Y)[:2:-1],
        })


# ex-07-count --------------------------------------------------------------------------------------------------

# Fixed counts, by the chapter's rules, for (n0, n1, n2, m): forward m (n0 n1 + n1 n2); backward BP4 for both
# layers plus BP2 into the hidden layer, m (n0 n1 + n1 n2) + m n2 n1; update n0 n1 + n1 + n1 n2 + n2; the share
# of W^1 is (2 m n0 n1 + n0 n1) / total. Written out, not computed by lib.diagnostics.multiply_adds, which the
# exercise forbids (tests compare the two).
COUNTS = {
    (784, 30, 10, 10): (238_200, 241_200, 23_860, 493_920 / 503_260),
    (64, 100, 10, 32): (236_800, 268_800, 7_510, 416_000 / 513_110),
    (2, 3, 1, 4): (36, 48, 13, 54 / 97),
}
_PARTS = ("forward", "backward", "update", "share_first_layer")


def _count_mistakes(part):
    """The likely mistakes in one part of the count, as functions of (n0, n1, n2, m)."""
    def total(n0, n1, n2, m):
        return sum(COUNTS[(n0, n1, n2, m)][:3])

    if part == "backward":
        return {
            "BP2 is not needed for the input layer: there is no delta^0 to compute":
                lambda n0, n1, n2, m: COUNTS[(n0, n1, n2, m)][1] + m * n1 * n0,
            "BP2 into the hidden layer is missing: backward is BP4 for every layer plus BP2 for every layer "
            "but the first": lambda n0, n1, n2, m: COUNTS[(n0, n1, n2, m)][1] - m * n2 * n1,
            "that is one sample's count: the minibatch has m samples":
                lambda n0, n1, n2, m: COUNTS[(n0, n1, n2, m)][1] / m,
        }
    if part == "forward":
        return {"that is one sample's count: the minibatch has m samples":
                lambda n0, n1, n2, m: COUNTS[(n0, n1, n2, m)][0] / m}
    if part == "update":
        return {
            "the biases are parameters too: the update also touches every b^l":
                lambda n0, n1, n2, m: COUNTS[(n0, n1, n2, m)][2] - n1 - n2,
            "the update is done once per minibatch, not once per sample":
                lambda n0, n1, n2, m: COUNTS[(n0, n1, n2, m)][2] * m,
        }
    return {
        "the update of W^1 is missing from the first layer's part":
            lambda n0, n1, n2, m: 2 * m * n0 * n1 / total(n0, n1, n2, m),
        "only the forward product of W^1 is counted: W^1 also enters BP4 and the update":
            lambda n0, n1, n2, m: m * n0 * n1 / total(n0, n1, n2, m),
        "BP4 for W^1 is missing from the first layer's part: dC/dW^1 is a product of its own":
            lambda n0, n1, n2, m: (m * n0 * n1 + n0 * n1) / total(n0, n1, n2, m),
        "the update of b^1 is counted too: the share asks about W^1 alone":
            lambda n0, n1, n2, m: (2 * m * n0 * n1 + n0 * n1 + n1) / total(n0, n1, n2, m),
        "the first layer's share of the forward pass only: the question is about the whole step":
            lambda n0, n1, n2, m: n0 * n1 / (n0 * n1 + n1 * n2),
        "that is a percentage: return the fraction, a number between 0 and 1":
            lambda n0, n1, n2, m: 100 * COUNTS[(n0, n1, n2, m)][3],
    }


@answer_key("ex-07-count")
def _count(answer):
    # The student's function runs once per case, with multiply_adds unavailable; each part is then compared.
    results = {}
    for case in COUNTS:
        counts = call_student(answer, case, name="count_step", forbid=("lib.diagnostics.multiply_adds",))
        if not isinstance(counts, (tuple, list)) or len(counts) != 4:
            raise CheckError("count_step should return four numbers: forward, backward, update, share_first_layer")
        results[case] = counts
    for index, name in enumerate(_PARTS):
        check_function(lambda *case, i=index: results[case][i], lambda *case, i=index: COUNTS[case][i],
                       list(COUNTS), name=name, rtol=1e-9, mistakes=_count_mistakes(name))


# ex-07-softmax-jacobian ---------------------------------------------------------------------------------------

Z_EXAMPLE = np.array([1.0, -2.0, 0.5, 3.0])


def _finite_difference_jacobian(z, h=1e-6):
    columns = [(softmax(z + h * e) - softmax(z - h * e)) / (2 * h) for e in np.eye(len(z))]
    return np.stack(columns, axis=1)


@answer_key("ex-07-softmax-jacobian")
def _softmax_jacobian(answer, delta_via_jacobian=None):
    """`answer` is softmax_jacobian; `delta_via_jacobian` the second part's result."""
    def squares_only(z):
        a = softmax(z)
        return np.diag(a) - np.sum(a**2)

    def diagonal_only(z):
        a = softmax(z)
        return np.diag(a * (1 - a))

    def no_quotient_term(z):
        return np.diag(softmax(z))

    def no_diagonal(z):
        a = softmax(z)
        return -a[:, None] * a[None, :]

    def plus_products(z):
        a = softmax(z)
        return np.diag(a) + a[:, None] * a[None, :]

    # z = (0, 0) last: there every a_j a_k is the same number, so any error in that term looks like an offset
    check_function(
        answer, _finite_difference_jacobian, [np.array([1.0, -2.0, 0.5]), Z_EXAMPLE, np.array([0.0, 0.0])],
        name="softmax_jacobian(z)", rtol=1e-6, atol=1e-9, mistakes={
            "the term from the numerator e^{z_j} is missing (it exists only for k = j)": no_diagonal,
            "the off-diagonal entries are zero: a_j depends on every z_k through the denominator, "
            "so dS/dz_k enters the quotient rule for k != j too": diagonal_only,
            "only the numerator was differentiated: the denominator S = sum_i e^{z_i} depends on z_k as well":
                no_quotient_term,
            "the a_j a_k term has the wrong sign: the quotient rule subtracts it": plus_products,
            "every off-diagonal entry is the same number, sum_k a_k^2: a.T @ a of a 1-D array is that scalar; "
            "entry (j, k) needs the product a_j a_k of its own pair": squares_only,
        })
    y = np.eye(4)[1]
    a = softmax(Z_EXAMPLE)
    jacobian = np.diag(a) - a[:, None] * a[None, :]
    check_close(delta_via_jacobian, a - y, name="delta_via_jacobian", rtol=1e-8, mistakes={
        "dC/da_j = -y_j / a_j: the 1/a_j is missing": -y @ jacobian,
        "that is a itself: the chain rule starts from dC/da_j = -y_j / a_j, which multiplies the Jacobian": a,
        "that is the target of class 0: the exercise counts classes from 0, so class 1 "
        "is the second entry, np.eye(4)[1]": a - np.eye(4)[0],
    })
    check_true(True, "the chain rule through the Jacobian gives a - y")
