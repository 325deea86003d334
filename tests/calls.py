"""The public calls of lib, each with valid arguments: the tables that the argument tests walk through.

A case is (id, function taking keyword arguments, zero-argument function giving valid arguments,
{argument: other names an error about it may use}). ``pairs(cases)`` makes one pytest parameter per case and
argument. LIB_CASES (activations, losses, data, perceptron, linear_models, symbolic, approximation, autodiff, flops,
diagnostics, tuning, initializers, gradcheck, source) runs in test_properties_lib, NETWORK_CASES (network,
optimizers, regularization) in test_properties_network, and both, with REAL_NETWORK_CASES, in test_fuzz_api.
"""

import numpy as np
import pytest
import sympy as sp

from lib import (
    activations,
    approximation,
    autodiff,
    data,
    diagnostics,
    flops,
    gradcheck,
    initializers,
    linear_models,
    losses,
    optimizers,
    perceptron,
    source,
    symbolic,
    tuning,
)
from lib.network import FeedForwardNetwork
from lib.regularization import BatchNorm, Dropout, clip_by_norm

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_AND = np.array([0, 0, 0, 1])
Y_XOR = np.array([0, 1, 1, 0])
Z = np.linspace(-3, 3, 8).reshape(4, 2)

PERCEPTRON_MODEL = symbolic.perceptron_model("sigmoid")
MODEL_221 = symbolic.network_221_model("tanh", "identity")
THETA_221 = np.linspace(-1, 1, 9)


class TinyNet:
    """A stand-in with the FeedForwardNetwork interface that diagnostics and gradcheck use: one linear layer,
    squared error, so that a fault in lib.network does not fail the tests of diagnostics and gradcheck
    (REAL_NETWORK_CASES runs them with a FeedForwardNetwork too)."""

    def __init__(self, weights=((0.5,), (-0.25,)), bias=0.1):
        self.weights = [np.array(weights, dtype=float)]
        self.biases = [np.array([bias])]

    def forward_trace(self, X):
        X = _checked("X", X, self.weights[0].shape[0])
        with np.errstate(over="ignore", invalid="ignore"):
            z = X @ self.weights[0] + self.biases[0]
        return [z], [X, z]

    def loss_from_params(self, weights, biases, X, Y, xp=np):
        return 0.5 * xp.sum((X @ weights[0] + biases[0] - Y) ** 2) / X.shape[0]

    def loss(self, X, Y):
        X, Y = _checked("X", X, self.weights[0].shape[0]), _checked("Y", Y, 1)
        with np.errstate(over="ignore", invalid="ignore"):
            value = self.loss_from_params(self.weights, self.biases, X, Y)
        if not np.isfinite(value):
            raise ValueError("X and Y: the loss overflows")
        return value

    def gradients(self, X, Y):
        X = _checked("X", X, self.weights[0].shape[0])
        Y = _checked("Y", Y, 1)
        if len(Y) != len(X):
            raise ValueError(f"Y: expected {len(X)} rows like X, got {len(Y)}")
        with np.errstate(over="ignore", invalid="ignore"):
            delta = (X @ self.weights[0] + self.biases[0] - Y) / X.shape[0]
            dW, db = X.T @ delta, delta.sum(axis=0)
        if not (np.all(np.isfinite(dW)) and np.all(np.isfinite(db))):
            raise ValueError("X and Y: the gradients overflow")
        return [dW], [db]


def _checked(name, value, columns):
    """What lib.network does with X and Y (the stand-in must not be the weak point of the tests)."""
    from lib._validate import as_float_array

    value = as_float_array(name, value, ndim=2)
    if value.shape[1] != columns or value.shape[0] == 0:
        raise ValueError(f"{name}: expected shape (n >= 1, {columns}), got {value.shape}")
    return value


def method(obj, name):
    """obj.name behind a lambda: hypothesis prints a test's arguments for every example, and a SmallNetwork
    prints its SymPy expressions (about 50 ms)."""
    return lambda **kw: getattr(obj, name)(**kw)


def search_result():
    return tuning.grid_search(lambda a, b: a * b, {"a": [1, 2], "b": [0.5, 1.0]})


LIB_CASES = [
    # activations: the module functions
    *[(f"activations.{name}", getattr(activations, name), lambda: {"z": Z}, {})
      for name in ("sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime", "softmax")],
    *[(f"activations.{name}", getattr(activations, name), lambda: {"z": Z[:, 0], "alpha": 0.1}, {})
      for name in ("leaky_relu", "leaky_relu_prime", "elu", "elu_prime")],
    ("activations.get_activation", activations.get_activation, lambda: {"activation": "relu"}, {}),
    ("activations.make_leaky_relu", activations.make_leaky_relu, lambda: {"alpha": 0.01}, {}),
    ("activations.make_elu", activations.make_elu, lambda: {"alpha": 1.0}, {}),
    # activations: the objects' methods, as chapter 08 calls them
    *[(f"activations.{name}.f", lambda z, name=name: activations.ACTIVATIONS[name].f(z), lambda: {"z": Z}, {})
      for name in activations.ACTIVATIONS],
    *[(f"activations.{name}.__call__", lambda z, name=name: activations.ACTIVATIONS[name](z), lambda: {"z": Z[0]},
       {}) for name in activations.ACTIVATIONS],
    *[(f"activations.{name}.derivative", lambda z, name=name: activations.ACTIVATIONS[name].derivative(z),
       lambda: {"z": Z}, {}) for name in activations.ACTIVATIONS],
    *[(f"activations.{name}.backward", lambda z, a, grad_a, name=name: activations.ACTIVATIONS[name].backward(
        z, a, grad_a), lambda name=name: {"z": Z, "a": activations.ACTIVATIONS[name](Z), "grad_a": np.ones((4, 2))},
       {"z": ["z, a and grad_a"], "a": ["z, a and grad_a"], "grad_a": ["z, a and grad_a"]})
      for name in activations.ACTIVATIONS],
    # losses
    ("losses.get_loss", losses.get_loss, lambda: {"loss": "cross_entropy"}, {}),
    *[(f"losses.{name}.{kind}", lambda a, y, name=name, kind=kind: getattr(losses.LOSSES[name], kind)(a, y),
       lambda: {"a": np.full((4, 2), 0.5), "y": np.eye(2)[[0, 1, 1, 0]]}, {})
      for name in losses.LOSSES for kind in ("__call__", "value", "gradient")],
    # data
    ("data.logic_gate", data.logic_gate, lambda: {"name": "xor"}, {}),
    ("data.logic_gates", data.logic_gates, lambda: {}, {}),
    ("data.quadratic_2d", data.quadratic_2d, lambda: {"n": 10, "noise": 0.1, "low": -1.0, "high": 1.0, "seed": 0},
     {"low": ["high"]}),
    ("data.digits", data.digits, lambda: {"test_size": 0.2, "seed": 0, "standardize": True}, {}),
    ("data.circles", data.circles, lambda: {"n": 10, "noise": 0.1, "factor": 0.5, "seed": 0}, {}),
    ("data.moons", data.moons, lambda: {"n": 10, "noise": 0.1, "seed": 0}, {}),
    ("data.spirals", data.spirals, lambda: {"n": 10, "noise": 0.1, "n_classes": 3, "turns": 1.0, "seed": 0}, {}),
    ("data.xor_blobs", data.xor_blobs, lambda: {"n": 10, "noise": 0.1, "seed": 0}, {}),
    ("data.train_test_split", data.train_test_split,
     lambda: {"X": X4, "Y": X4[:, :1], "test_size": 0.25, "seed": 0, "stratify": Y_XOR},
     {"X": ["Y", "stratify"], "Y": ["X"]}),
    ("data.one_hot", data.one_hot, lambda: {"labels": np.array([0, 1, 2]), "n_classes": 3}, {"labels": ["n_classes"]}),
    ("data.standardize", data.standardize, lambda: {"X_train": X4, "X_test": X4[:2]}, {"X_train": ["X_test"]}),
    # perceptron
    ("perceptron.perceptron_predict", perceptron.perceptron_predict,
     lambda: {"X": X4, "w": np.array([1.0, 1.0]), "b": -1.5}, {"X": ["w"]}),
    ("perceptron.perceptron_step", perceptron.perceptron_step,
     lambda: {"w": np.array([0.5, -0.5]), "b": 0.0, "x": np.array([1.0, 0.0]), "y": 0, "learning_rate": 1.0},
     {"x": ["w"], "b": ["w"]}),
    ("perceptron.Perceptron", perceptron.Perceptron, lambda: {"n_inputs": 2, "learning_rate": 0.5}, {}),
    ("perceptron.Perceptron.fit", lambda **kw: perceptron.Perceptron(2).fit(**kw),
     lambda: {"X": X4, "y": Y_AND, "epochs": 20, "shuffle": True, "seed": 1}, {"X": ["y"]}),
    ("perceptron.Perceptron.predict", lambda X: perceptron.Perceptron(2).predict(X), lambda: {"X": X4}, {"X": ["w"]}),
    # linear models
    ("linear_models.design_matrix", linear_models.design_matrix, lambda: {"X": X4}, {}),
    ("linear_models.least_squares", linear_models.least_squares, lambda: {"X": X4, "y": Y_XOR}, {"X": ["y"]}),
    ("linear_models.LeastSquares.fit", lambda X, y: linear_models.LeastSquares().fit(X, y),
     lambda: {"X": X4, "y": Y_XOR}, {"X": ["y"]}),
    ("linear_models.LeastSquares.predict", lambda X: linear_models.LeastSquares().fit(X4, Y_XOR).predict(X),
     lambda: {"X": X4}, {}),
    ("linear_models.LogisticRegressionGD", linear_models.LogisticRegressionGD,
     lambda: {"learning_rate": 1.0, "epochs": 10, "l2": 0.0}, {}),
    ("linear_models.LogisticRegressionGD.fit", lambda **kw: linear_models.LogisticRegressionGD(epochs=5).fit(**kw),
     lambda: {"X": X4, "y": Y_AND}, {"X": ["y"]}),
    *[(f"linear_models.LogisticRegressionGD.{name}",
       lambda X, name=name: getattr(linear_models.LogisticRegressionGD(epochs=5).fit(X4, Y_AND), name)(X),
       lambda: {"X": X4}, {}) for name in ("decision_function", "predict_proba", "predict")],
    *[(f"linear_models.LogisticRegressionGD.{name}",
       lambda X, y, name=name: getattr(linear_models.LogisticRegressionGD(epochs=5).fit(X4, Y_AND), name)(X, y),
       lambda: {"X": X4, "y": Y_AND}, {"X": ["y"]}) for name in ("loss", "gradients")],
    # symbolic
    ("symbolic.perceptron_model", symbolic.perceptron_model, lambda: {"activation": "tanh"}, {}),
    ("symbolic.scalar_hidden_model", symbolic.scalar_hidden_model,
     lambda: {"hidden_activation": "tanh", "output_activation": "identity"}, {}),
    ("symbolic.SmallNetwork.cost_value", method(MODEL_221, "cost_value"),
     lambda: {"X": X4, "Y": Y_XOR, "theta": THETA_221}, {"X": ["Y"]}),
    ("symbolic.SmallNetwork.gradient_value", method(MODEL_221, "gradient_value"),
     lambda: {"X": X4, "Y": Y_XOR, "theta": THETA_221, "which": "chain_rule"}, {"X": ["Y"]}),
    ("symbolic.SmallNetwork.evaluate", method(PERCEPTRON_MODEL, "evaluate"),
     lambda: {"expressions": [PERCEPTRON_MODEL.cost], "X": np.array([0.5, 1.0]), "Y": np.array([1.0, 0.0]),
              "theta": np.array([0.3, -0.2])}, {"X": ["Y"]}),
    ("symbolic.SmallNetwork.difference", method(PERCEPTRON_MODEL, "difference"),
     lambda: {"expressions": PERCEPTRON_MODEL.chain_rule}, {}),
    ("symbolic.SmallNetwork.flatten", method(MODEL_221, "flatten"),
     lambda: {"weights": [np.ones((2, 2)), np.ones((2, 1))], "biases": [np.zeros(2), np.zeros(1)]},
     {"weights": ["biases"], "biases": ["weights"]}),
    ("symbolic.SmallNetwork.unflatten", method(MODEL_221, "unflatten"), lambda: {"theta": THETA_221}, {}),
    ("symbolic.SmallNetwork.copy_into", method(PERCEPTRON_MODEL, "copy_into"),
     lambda: {"net": TinyNet(weights=((0.5,),)), "theta": np.array([0.3, -0.2])}, {}),
    # approximation
    ("approximation.step", approximation.step, lambda: {"x": np.linspace(0, 1, 5), "position": 0.5,
                                                          "steepness": 100.0}, {}),
    ("approximation.bump", approximation.bump,
     lambda: {"x": np.linspace(0, 1, 5), "left": 0.2, "right": 0.6, "height": 2.0, "steepness": 50.0},
     {"left": ["left, right"], "right": ["left, right"]}),
    ("approximation.bump_network", approximation.bump_network,
     lambda: {"target": np.sin, "n_bumps": 4, "steepness": 30.0, "interval": (0.0, 1.0)}, {}),
    ("approximation.network_output", approximation.network_output,
     lambda: {"params": approximation.bump_network(np.sin, 3), "x": np.linspace(0, 1, 5)}, {}),
    # autodiff
    ("autodiff.Var", autodiff.Var, lambda: {"value": 1.5, "label": "x"}, {}),
    ("autodiff.Dual", autodiff.Dual, lambda: {"value": 1.5, "tangent": 1.0}, {}),
    *[(f"autodiff.{cls.__name__}.{op}", lambda other, cls=cls, op=op: getattr(cls(0.75), op)(other),
       lambda: {"other": 2.0}, {"other": ["operand", "divisor", "value"]})
      for cls in (autodiff.Var, autodiff.Dual)
      for op in ("__add__", "__sub__", "__mul__", "__truediv__", "__radd__", "__rsub__", "__rmul__", "__rtruediv__")],
    *[(f"autodiff.{cls.__name__}.__pow__", lambda exponent, cls=cls: cls(0.75) ** exponent,
       lambda: {"exponent": 2.0}, {"exponent": ["x"]}) for cls in (autodiff.Var, autodiff.Dual)],
    *[(f"autodiff.{cls.__name__}.{fn}", lambda value, cls=cls, fn=fn: getattr(cls(value), fn)(),
       lambda: {"value": 0.5}, {"value": ["x"]})
      for cls in (autodiff.Var, autodiff.Dual) for fn in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu")],
    ("autodiff.Var.backward", lambda value: (autodiff.Var(value).sigmoid() * 2).backward(), lambda: {"value": 0.3},
     {}),
    # flops
    ("flops.count_flops", flops.count_flops, lambda: {"expr": sp.sympify("x*y + exp(x)"), "by_kind": False}, {}),
    ("flops.count_flops_cse", flops.count_flops_cse,
     lambda: {"exprs": [sp.sympify("exp(x)*y"), sp.sympify("exp(x) + 1")], "by_kind": True}, {}),
    # diagnostics
    ("diagnostics.layer_gradient_norms", diagnostics.layer_gradient_norms,
     lambda: {"network": TinyNet(), "X": X4, "Y": X4[:, :1]}, {"X": ["Y"], "Y": ["X"]}),
    ("diagnostics.activation_statistics", diagnostics.activation_statistics, lambda: {"network": TinyNet(), "X": X4},
     {}),
    ("diagnostics.dead_relu_fraction", diagnostics.dead_relu_fraction, lambda: {"network": TinyNet(), "X": X4}, {}),
    ("diagnostics.multiply_adds", diagnostics.multiply_adds, lambda: {"layer_sizes": [2, 3, 1], "batch_size": 4}, {}),
    ("diagnostics.per_sample_gradients", diagnostics.per_sample_gradients,
     lambda: {"network": TinyNet(), "X": X4, "Y": X4[:, :1]}, {"X": ["Y"], "Y": ["X"]}),
    ("diagnostics.time_call", diagnostics.time_call, lambda: {"function": lambda: None, "repeat": 2, "number": 1},
     {}),
    # tuning
    ("tuning.Uniform", tuning.Uniform, lambda: {"low": 0.0, "high": 1.0}, {"low": ["high"]}),
    ("tuning.LogUniform", tuning.LogUniform, lambda: {"low": 1e-3, "high": 1.0}, {"low": ["high"]}),
    ("tuning.Uniform.sample", lambda rng: tuning.Uniform(0, 1).sample(rng),
     lambda: {"rng": np.random.default_rng(0)}, {}),
    ("tuning.grid_search", tuning.grid_search,
     lambda: {"evaluate": lambda a: a, "grid": {"a": [1, 2]}, "maximize": True}, {}),
    ("tuning.random_search", tuning.random_search,
     lambda: {"evaluate": lambda a: a, "space": {"a": tuning.Uniform(0, 1)}, "n_trials": 3, "seed": 0,
              "maximize": True}, {}),
    ("tuning.SearchResult.column", lambda name: search_result().column(name), lambda: {"name": "score"}, {}),
    ("tuning.SearchResult.grid", lambda row, col, value: search_result().grid(row, col, value),
     lambda: {"row": "a", "col": "b", "value": "score"}, {"row": ["grid"], "col": ["grid"]}),
    # initializers
    ("initializers.initialize", initializers.initialize,
     lambda: {"init": "glorot", "layer_sizes": [2, 3, 1], "rng": 0, "dtype": np.float64}, {}),
    # gradcheck
    ("gradcheck.finite_difference_gradients", gradcheck.finite_difference_gradients,
     lambda: {"f": lambda: 1.0, "params": [np.zeros(2)], "eps": 1e-6, "order": 2}, {}),
    ("gradcheck.autograd_gradients", gradcheck.autograd_gradients,
     lambda: {"f": lambda p: p[0].sum(), "params": [np.zeros(2)]}, {"params": ["f"]}),
    ("gradcheck.compare_gradients", gradcheck.compare_gradients,
     lambda: {"analytic": [np.ones(2)], "reference": [np.ones(2)], "names": ["W"], "rtol": 1e-7},
     {"analytic": ["reference", "names"]}),
    ("gradcheck.check_network_gradients", gradcheck.check_network_gradients,
     lambda: {"net": TinyNet(), "X": X4, "Y": X4[:, :1], "rtol": 1e-7}, {"X": ["Y", "net"], "Y": ["X", "net"]}),
    # source
    ("source.show_source", source.show_source, lambda: {"obj": data.logic_gate}, {}),
]

# ---------------------------------------------------------------------------------------------------------------
# lib.network, lib.optimizers, lib.regularization

Y4 = np.array([[0.0], [1.0], [1.0], [0.0]])
LABELS = Y_XOR

def net(**kwargs):
    return FeedForwardNetwork([2, 3, 1], "tanh", "sigmoid", "binary_cross_entropy", **kwargs)


def classifier(**kwargs):
    return FeedForwardNetwork([2, 3, 2], "relu", "softmax", "cross_entropy", init="he", **kwargs)


def regularized():
    return FeedForwardNetwork([2, 4, 2], "tanh", "softmax", "cross_entropy", batch_norm=True, dropout=0.2, seed=1)


def trained_batch_norm():
    layer = BatchNorm(2)
    layer.forward(X4, training=True)
    return layer


def dropout_with_mask():
    layer = Dropout(0.5)
    layer.forward(np.ones((4, 2)), training=True, rng=np.random.default_rng(0))
    return layer


SAME = {"X": ["X and Y", "Y"], "Y": ["X and Y", "X"]}  # a shape mismatch may name both

NETWORK_CASES = [
    # lib.network
    ("FeedForwardNetwork", FeedForwardNetwork,
     lambda: {"layer_sizes": [2, 3, 2], "hidden_activation": "tanh", "output_activation": "softmax",
              "loss": "cross_entropy", "init": "he", "seed": 1, "dtype": np.float32, "batch_norm": False,
              "dropout": 0.0, "l2": 0.01}, {"loss": ["output_activation"], "output_activation": ["loss"]}),
    ("FeedForwardNetwork(batch_norm, dropout)", FeedForwardNetwork,
     lambda: {"layer_sizes": [2, 3, 2], "batch_norm": True, "dropout": 0.5}, {}),
    ("forward", lambda X: net().forward(X), lambda: {"X": X4}, {}),
    ("forward_trace", lambda X: net().forward_trace(X), lambda: {"X": X4}, {}),
    ("predict", lambda X: classifier().predict(X), lambda: {"X": X4}, {}),
    ("score", lambda X, Y: classifier().score(X, Y), lambda: {"X": X4, "Y": LABELS}, SAME),
    ("score (regression)", lambda X, Y: FeedForwardNetwork([2, 3, 1]).score(X, Y), lambda: {"X": X4, "Y": Y4},
     SAME),
    ("loss", lambda X, Y, training, seed: regularized().loss(X, Y, training, seed),
     lambda: {"X": X4, "Y": LABELS, "training": True, "seed": 3}, SAME),
    ("gradients", lambda X, Y, training, seed: regularized().gradients(X, Y, training, seed),
     lambda: {"X": X4, "Y": LABELS, "training": False, "seed": 3}, SAME),
    ("loss_from_params", lambda weights, biases: net().loss_from_params(weights, biases, X4, Y4),
     lambda: {"weights": [np.ones((2, 3)), np.ones((3, 1))], "biases": [np.zeros(3), np.zeros(1)]}, {}),
    ("fit", lambda **kw: net().fit(**kw),
     lambda: {"X": X4, "Y": Y4, "epochs": 3, "batch_size": 2, "optimizer": "adam", "learning_rate": 0.1,
              "l2": 0.001, "seed": 0, "validation_data": (X4, Y4), "progress": False, "clip_norm": 1.0},
     {**SAME, "validation_data": ["X", "Y"]}),
    ("fit (regularized)", lambda **kw: regularized().fit(**kw),
     lambda: {"X": X4, "Y": LABELS, "epochs": 2, "batch_size": 3, "learning_rate": 0.5}, SAME),
    # lib.optimizers
    *[(f"optimizers.{name}.update", lambda params, grads, name=name: optimizers.OPTIMIZERS[name](0.1).update(
        params, grads), lambda: {"params": [np.ones((2, 2)), np.zeros(2)], "grads": [np.full((2, 2), 0.5),
                                                                                    np.ones(2)]},
       {"grads": ["params"]}) for name in optimizers.OPTIMIZERS],
    ("optimizers.Adam", optimizers.Adam,
     lambda: {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, {}),
    ("optimizers.Momentum", optimizers.Momentum, lambda: {"learning_rate": 0.01, "momentum": 0.9}, {}),
    ("optimizers.RMSprop", optimizers.RMSprop, lambda: {"learning_rate": 0.01, "rho": 0.9, "eps": 1e-8}, {}),
    ("optimizers.AdaGrad", optimizers.AdaGrad, lambda: {"learning_rate": 0.01, "eps": 1e-8}, {}),
    ("optimizers.get_optimizer", optimizers.get_optimizer, lambda: {"optimizer": "adam", "learning_rate": 0.1}, {}),
    # lib.regularization
    ("BatchNorm", BatchNorm, lambda: {"n_units": 2, "momentum": 0.9, "eps": 1e-5, "dtype": np.float32}, {}),
    ("BatchNorm.forward", lambda z, training: BatchNorm(2).forward(z, training),
     lambda: {"z": X4, "training": True}, {}),
    ("BatchNorm.backward", lambda delta: trained_batch_norm().backward(delta), lambda: {"delta": X4}, {}),
    ("BatchNorm.backward_inference", lambda delta: trained_batch_norm().backward_inference(delta),
     lambda: {"delta": X4}, {}),
    ("Dropout", Dropout, lambda: {"p": 0.5, "dtype": np.float64}, {}),
    ("Dropout.forward", lambda a, training, rng: Dropout(0.5).forward(a, training, rng),
     lambda: {"a": X4, "training": True, "rng": np.random.default_rng(0)}, {}),
    ("Dropout.backward", lambda grad: dropout_with_mask().backward(grad), lambda: {"grad": np.ones((4, 2))}, {}),
    ("clip_by_norm", clip_by_norm, lambda: {"grads": [np.full((2, 2), 3.0), np.ones(2)], "max_norm": 1.0}, {}),
]

# ---------------------------------------------------------------------------------------------------------------
# Calls that the tables above make with another network: the network of lib's defaults (sigmoid hidden layer,
# identity output, squared error), and diagnostics and gradcheck with a FeedForwardNetwork instead of TinyNet.


def squared_error_net(hidden="sigmoid"):
    return FeedForwardNetwork([2, 3, 1], hidden, "identity", "squared_error")


BOTH = {"X": ["X and Y"], "Y": ["X and Y"]}

REAL_NETWORK_CASES = [
    ("network.FeedForwardNetwork(squared error)", FeedForwardNetwork,
     lambda: {"layer_sizes": [2, 3, 1], "hidden_activation": "tanh", "output_activation": "identity",
              "loss": "squared_error", "init": "he", "seed": 0, "dtype": np.float64, "batch_norm": False,
              "dropout": 0.0, "l2": 0.0}, {}),
    ("network.loss(squared error)", lambda X, Y: squared_error_net().loss(X, Y), lambda: {"X": X4, "Y": Y4}, BOTH),
    ("network.gradients(squared error)", lambda X, Y: squared_error_net().gradients(X, Y),
     lambda: {"X": X4, "Y": Y4}, BOTH),
    ("network.fit(squared error)", lambda **kw: squared_error_net().fit(**kw),
     lambda: {"X": X4, "Y": Y4, "epochs": 2, "batch_size": 2, "optimizer": "adam", "learning_rate": 0.1, "l2": 0.0,
              "seed": 0, "validation_data": (X4, Y4), "clip_norm": 1.0},
     {**BOTH, "validation_data": ["X", "Y", "X and Y"]}),
    ("network.loss_from_params(squared error)",
     lambda weights, biases: squared_error_net().loss_from_params(weights, biases, X4, Y4),
     lambda: {"weights": [np.ones((2, 3)), np.ones((3, 1))], "biases": [np.zeros(3), np.zeros(1)]}, {}),
    ("diagnostics.layer_gradient_norms(network)", diagnostics.layer_gradient_norms,
     lambda: {"network": squared_error_net("relu"), "X": X4, "Y": Y4}, BOTH),
    ("diagnostics.activation_statistics(network)", diagnostics.activation_statistics,
     lambda: {"network": squared_error_net("relu"), "X": X4}, {}),
    ("diagnostics.dead_relu_fraction(network)", diagnostics.dead_relu_fraction,
     lambda: {"network": squared_error_net("relu"), "X": X4}, {}),
    ("diagnostics.per_sample_gradients(network)", diagnostics.per_sample_gradients,
     lambda: {"network": squared_error_net("relu"), "X": X4, "Y": Y4}, BOTH),
    ("gradcheck.check_network_gradients(network)", gradcheck.check_network_gradients,
     lambda: {"net": squared_error_net(), "X": X4, "Y": Y4, "rtol": 1e-7}, BOTH),
]

# The cost of a network on inputs that overflow it is inf, by design (see FeedForwardNetwork.loss).
MAY_OVERFLOW = {"loss", "loss_from_params", "network.loss(squared error)", "network.loss_from_params(squared error)"}


def pairs(cases):
    """One pytest parameter (fn, make, argument, names, finite) per case and argument of its valid call."""
    return [pytest.param(fn, make, argument, [argument, *extra.get(argument, [])], case_id not in MAY_OVERFLOW,
                         id=f"{case_id}-{argument}")
            for case_id, fn, make, extra in cases for argument in make()]


def valid_calls(cases):
    """One pytest parameter (fn, make) per case."""
    return [pytest.param(fn, make, id=case_id) for case_id, fn, make, _ in cases]
