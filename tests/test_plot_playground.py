"""lib.plotting.plot_playground: the static panel of a playground (chapter 10)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lib.playground import Playground  # noqa: E402
from lib.plotting import plot_playground  # noqa: E402


def test_panel_shows_points_boundary_and_accuracies():
    pg = Playground(dataset="xor").step(300)
    fig, ax = plt.subplots()
    assert plot_playground(pg, ax=ax) is ax
    # every training and test point is drawn, in four marker groups (two classes, filled and hollow)
    drawn = np.vstack([line.get_xydata() for line in ax.get_lines()])
    assert len(ax.get_lines()) == 4 and len(drawn) == len(pg.X_train) + len(pg.X_test)
    assert ax.collections, "the coloured plane and the boundary are drawn"
    title = ax.get_title()
    assert "xor" in title and "300 steps" in title
    assert f"train {pg.history['train_accuracy'][-1]:.0%}" in title
    assert f"test {pg.history['test_accuracy'][-1]:.0%}" in title
    plt.close(fig)


def test_untrained_constant_output_draws_no_boundary():
    pg = Playground(dataset="circles", hidden=())
    pg.network.weights[0][:] = 0.0  # output sigmoid(b) everywhere: no 0.5 contour
    pg.network.biases[0][:] = 1.0
    fig, ax = plt.subplots()
    plot_playground(pg, ax=ax, title="constant")
    assert len(ax.collections) == 1  # the coloured plane only
    assert ax.get_title().startswith("constant\n")
    plt.close(fig)


@pytest.mark.parametrize("bad", [None, "xor", np.zeros((3, 2))])
def test_rejects_what_is_not_a_playground(bad):
    with pytest.raises(TypeError, match="pg: expected a lib.playground.Playground"):
        plot_playground(bad)


def test_rejects_bad_resolution():
    with pytest.raises((TypeError, ValueError), match="resolution"):
        plot_playground(Playground(dataset="xor"), resolution=0)
