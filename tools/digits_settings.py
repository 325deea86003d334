"""Measure lib.network.DIGITS_SETTINGS again, or repeat the search that chose them.

    python tools/digits_settings.py            # about 30 s: the numbers quoted next to DIGITS_SETTINGS
    python tools/digits_settings.py --search 200 [--seed 1]   # about 5 s per candidate

The measurement trains the 64-100-10 network of DIGITS_SETTINGS on the standardised stratified 80/20 splits
lib.data.digits(seed=s) and prints its test accuracy on the default split s = 0 over ten initialisations, on the
splits s = 0..9 that the search scored (5 initialisations each), and on s = 10..39, which the search never saw;
then a sigmoid network without a penalty and scikit-learn's MLPClassifier with the same settings, for comparison.

The search draws random candidates from SPACE and scores each by test accuracy on s = 0 (five initialisations)
and s = 1..9 (one each), printing one JSON line per candidate; sort by "split0_min". Scoring by test accuracy
is why the held-out splits s = 10..39 exist: the search's own numbers flatter its winner.
"""

import argparse
import json
import random
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from lib.data import digits
from lib.network import DIGITS_SETTINGS, DivergenceError, FeedForwardNetwork

SEARCHED_SPLITS = range(10)
HELD_OUT_SPLITS = range(10, 40)
SIGMOID = {"network": {**DIGITS_SETTINGS["network"], "hidden_activation": "sigmoid", "init": "glorot"},
           "fit": {"epochs": 30, "batch_size": 32, "optimizer": "sgd", "learning_rate": 0.5, "l2": 0.0, "seed": 0}}
SPACE = {"hidden_activation": ["sigmoid", "tanh", "relu", "elu", "leaky_relu"], "init": ["glorot", "he"],
         "epochs": [30, 60, 100], "batch_size": [16, 32, 64], "l2": [0.0, 1e-4, 1e-3, 3e-3],
         ("optimizer", "learning_rate"): [("sgd", 0.05), ("sgd", 0.1), ("sgd", 0.2), ("sgd", 0.5), ("sgd", 1.0),
                                          ("momentum", 0.01), ("momentum", 0.03), ("momentum", 0.05),
                                          ("momentum", 0.1), ("adam", 3e-4), ("adam", 1e-3), ("adam", 3e-3)]}


def accuracy(settings, split, seed):
    """Test accuracy of one training run: the split `split`, initialisation and shuffling seeded by `seed`."""
    X_train, X_test, y_train, y_test = digits(seed=split)
    net = FeedForwardNetwork(**{**settings["network"], "seed": seed})
    net.fit(X_train, y_train, **{**settings["fit"], "seed": seed})
    return net.score(X_test, y_test)


def summary(accuracies):
    accuracies = np.asarray(accuracies)
    return (f"mean {100 * accuracies.mean():.1f} %, lowest {100 * accuracies.min():.1f} %, "
            f"{(accuracies < 0.97).sum()} of {accuracies.size} below 97 %")


def measure():
    print("DIGITS_SETTINGS:", DIGITS_SETTINGS)
    print("default split s = 0, seeds 0..9:  ", summary([accuracy(DIGITS_SETTINGS, 0, k) for k in range(10)]))
    print("searched splits 0..9, seeds 0..4: ",
          summary([accuracy(DIGITS_SETTINGS, s, k) for s in SEARCHED_SPLITS for k in range(5)]))
    print("held-out splits 10..39, seed 0:   ", summary([accuracy(DIGITS_SETTINGS, s, 0) for s in HELD_OUT_SPLITS]))
    print("sigmoid, no penalty, s = 0:       ", summary([accuracy(SIGMOID, 0, 0)]))
    print("sigmoid, no penalty, 10..39:      ", summary([accuracy(SIGMOID, s, 0) for s in HELD_OUT_SPLITS]))
    print("scikit-learn, same settings, s = 0, random_state 0..2:", summary([scikit_learn(k) for k in range(3)]))


def scikit_learn(random_state):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    network, fit = DIGITS_SETTINGS["network"], DIGITS_SETTINGS["fit"]
    X_train, X_test, y_train, y_test = digits(seed=0)
    # scikit-learn divides its L2 term by the batch size: alpha = lambda * batch size is the same penalty.
    model = MLPClassifier(hidden_layer_sizes=tuple(network["layer_sizes"][1:-1]),
                          activation=network["hidden_activation"], solver="sgd", momentum=0.0,
                          alpha=fit["l2"] * fit["batch_size"], batch_size=fit["batch_size"],
                          learning_rate_init=fit["learning_rate"], max_iter=fit["epochs"],
                          n_iter_no_change=fit["epochs"] + 1, random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    return model.score(X_test, y_test)


def search(candidates, seed):
    rng = random.Random(seed)
    for _ in range(candidates):
        choice = {key: rng.choice(values) for key, values in SPACE.items()}
        optimizer, learning_rate = choice.pop(("optimizer", "learning_rate"))
        network = {**DIGITS_SETTINGS["network"], "hidden_activation": choice.pop("hidden_activation"),
                   "init": choice.pop("init")}
        settings = {"network": network, "fit": {**choice, "optimizer": optimizer, "learning_rate": learning_rate}}
        try:
            split0 = [accuracy(settings, 0, k) for k in range(5)]
            others = [accuracy(settings, s, 0) for s in SEARCHED_SPLITS[1:]]
        except DivergenceError as error:
            print(json.dumps({"settings": settings, "diverged": str(error)}), flush=True)
            continue
        print(json.dumps({"settings": settings, "split0_mean": np.mean(split0), "split0_min": min(split0),
                          "splits_mean": np.mean(split0[:1] + others)}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", type=int, metavar="N", help="draw and score N random candidates instead")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random search")
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        if args.search:
            search(args.search, args.seed)
        else:
            measure()


if __name__ == "__main__":
    main()
