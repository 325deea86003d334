"""lib.regularization: batch norm and dropout gradients by finite differences, clipping, and their use in the
network (gradient checks in training mode with batch statistics and fixed dropout masks, and training)."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from lib.network import FeedForwardNetwork
from lib.regularization import BatchNorm, Dropout, clip_by_norm


def numeric_gradient(f, x, eps=1e-5):
    """Central differences of the scalar f() with respect to the array x (changed in place and restored)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


def test_batch_norm_forward_standardises_each_unit():
    z = np.random.default_rng(0).normal(3, 5, (50, 4))
    out = BatchNorm(4).forward(z, training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, rtol=1e-4)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_backward_matches_finite_differences(training):
    rng = np.random.default_rng(1)
    bn = BatchNorm(3)
    bn.gamma[...] = rng.normal(1, 0.3, 3)
    bn.beta[...] = rng.normal(0, 0.3, 3)
    bn.running_mean[...] = rng.normal(size=3)
    bn.running_var[...] = rng.uniform(0.5, 2, 3)
    z = rng.normal(size=(6, 3))
    G = rng.normal(size=(6, 3))  # C = sum(G * out), so dC/d(out) = G

    def cost():
        return np.sum(G * bn.forward(z, training))

    bn.forward(z, training)
    dz = bn.backward(G) if training else bn.backward_inference(G)
    dgamma, dbeta = bn.dgamma, bn.dbeta
    np.testing.assert_allclose(dz, numeric_gradient(cost, z), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(dgamma, numeric_gradient(cost, bn.gamma), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(dbeta, numeric_gradient(cost, bn.beta), rtol=1e-6, atol=1e-9)


def test_batch_norm_running_statistics():
    bn = BatchNorm(2, momentum=0.5)
    z = np.array([[1.0, 10.0], [3.0, 30.0]])
    bn.forward(z, training=True)
    bn.update_running_stats()
    np.testing.assert_allclose(bn.running_mean, [1.0, 10.0])  # 0.5 * 0 + 0.5 * mean
    np.testing.assert_allclose(bn.running_var, [1.0, 50.5])  # 0.5 * 1 + 0.5 * var
    # Inference uses the running statistics: a single sample is normalised the same way in any batch.
    single = bn.forward(z[:1], training=False)
    np.testing.assert_allclose(single, bn.forward(z, training=False)[:1])


def test_dropout_mask_scaling_and_backward():
    rng = np.random.default_rng(0)
    dropout = Dropout(0.25)
    a = np.ones((400, 50))
    out = dropout.forward(a, training=True, rng=rng)
    assert set(np.unique(out)) == {0.0, 1 / 0.75}
    assert abs((out == 0).mean() - 0.25) < 0.01
    assert abs(out.mean() - 1.0) < 0.02  # inverted dropout keeps the expected activation
    grad = rng.normal(size=a.shape)
    np.testing.assert_array_equal(dropout.backward(grad), grad * out)  # a = 1: out is the mask
    assert dropout.forward(a, training=False) is a
    np.testing.assert_array_equal(dropout.backward(grad), grad)


@pytest.mark.parametrize(("p", "error"), [(-0.1, ValueError), (1.0, ValueError), (1.5, ValueError),
                                          ("half", TypeError), (None, TypeError), (float("nan"), ValueError)])
def test_dropout_probability_is_checked(p, error):
    """A wrong type is a TypeError, a number outside [0, 1) a ValueError; both name dropout."""
    with pytest.raises(error, match="dropout"):
        Dropout(p)


def test_clip_by_norm():
    grads = [np.full((2, 2), 3.0), np.array([4.0, 0.0])]  # global norm sqrt(4 * 9 + 16) = sqrt(52)
    clipped, norm = clip_by_norm(grads, 1.0)
    assert norm == pytest.approx(np.sqrt(52))
    assert np.sqrt(sum(np.sum(g**2) for g in clipped)) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped[0] / grads[0], 1 / np.sqrt(52))  # same direction
    unchanged, _ = clip_by_norm(grads, 10.0)
    assert all(u is g for u, g in zip(unchanged, grads, strict=True))
    assert clip_by_norm([g.astype(np.float32) for g in grads], 1.0)[0][0].dtype == np.float32
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_norm(grads, 0)
    inf_grads, inf_norm = clip_by_norm([np.array([np.inf])], 1.0)
    assert inf_norm == np.inf and inf_grads[0][0] == np.inf
    with pytest.raises(TypeError, match="grads"):
        clip_by_norm(np.ones(3), 1.0)


def network_gradient_errors(net, X, Y, training, seed=0):
    """Largest differences of net.gradients from finite differences and autograd, for W, b, gamma and beta."""
    dW, db = net.gradients(X, Y, training=training, seed=seed)
    params = net.weights + net.biases
    analytic = dW + db
    for bn in net.batch_norms:
        params += [bn.gamma, bn.beta]
        analytic += [bn.dgamma, bn.dbeta]
    numeric = [numeric_gradient(lambda: net.loss(X, Y, training=training, seed=seed), p) for p in params]
    L = len(net.weights)
    automatic = autograd.grad(
        lambda p: net.loss_from_params(p[:L], p[L:], X, Y, xp=anp, training=training, seed=seed))(params[:2 * L])
    scale = max(np.abs(g).max() for g in analytic)
    return (max(np.abs(a - n).max() for a, n in zip(analytic, numeric, strict=True)) / scale,
            max(np.abs(a - g).max() for a, g in zip(analytic, automatic, strict=False)) / scale)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "elu"])
def test_network_with_batch_norm_and_dropout_has_correct_gradients(training, hidden):
    rng = np.random.default_rng(7)
    net = FeedForwardNetwork([3, 5, 4, 3], hidden, "softmax", "cross_entropy", batch_norm=True, dropout=0.3,
                             l2=0.01, seed=3)
    for bn in net.batch_norms:
        bn.gamma[...] = rng.normal(1, 0.3, bn.gamma.shape)
        bn.beta[...] = rng.normal(0, 0.3, bn.beta.shape)
        bn.running_mean[...] = rng.normal(size=bn.gamma.shape)
    X, labels = rng.normal(size=(8, 3)), rng.integers(0, 3, 8)
    numeric, automatic = network_gradient_errors(net, X, labels, training, seed=11)
    assert numeric < 1e-7 and automatic < 1e-10


def test_dropout_masks_follow_the_seed():
    rng = np.random.default_rng(0)
    net = FeedForwardNetwork([3, 20, 2], "tanh", dropout=0.5, seed=1)
    X, Y = rng.normal(size=(10, 3)), rng.normal(size=(10, 2))
    assert net.loss(X, Y, training=True, seed=1) == net.loss(X, Y, training=True, seed=1)
    assert net.loss(X, Y, training=True, seed=1) != net.loss(X, Y, training=True, seed=2)
    assert net.loss(X, Y) == net.loss(X, Y, training=False, seed=5)  # inference: no dropout


def test_training_with_batch_norm_dropout_and_clipping():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    labels = (X[:, 0] * X[:, 1] > 0).astype(int) + (X[:, 2] > 0)
    net = FeedForwardNetwork([4, 16, 16, 3], "relu", "softmax", "cross_entropy", init="he", batch_norm=True,
                             dropout=0.1, seed=0)
    history = net.fit(X, labels, epochs=30, batch_size=20, optimizer="adam", learning_rate=0.01, clip_norm=5.0)
    assert history["loss"][-1] < 0.6 * history["loss"][0]
    assert net.score(X, labels) > 0.85
    assert not np.allclose(net.batch_norms[0].running_mean, 0)
    # Inference does not depend on the batch: one sample at a time gives the same outputs.
    np.testing.assert_allclose(np.vstack([net.forward(x) for x in X[:5]]), net.forward(X[:5]), rtol=1e-12)
