"""The convolutional-network diagram of chapter 02: local, shared connections, then a dense layer."""

import matplotlib.pyplot as plt
import pytest

from lib.plotting import draw_convolutional_network


def _patches(ax, gid):
    return [patch for patch in ax.patches if patch.get_gid() == gid]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("n_inputs", "kernel_size", "n_outputs"), [(8, 3, 2), (5, 1, 1), (6, 6, 3), (10, 4, 2)])
def test_one_circle_per_node_and_kernel_size_arrows_per_convolution_node(n_inputs, kernel_size, n_outputs):
    ax = draw_convolutional_network(n_inputs, kernel_size, n_outputs)
    n_conv = n_inputs - kernel_size + 1
    assert len(_patches(ax, "node")) == n_inputs + n_conv + n_outputs
    assert len(_patches(ax, "edge")) == n_conv * kernel_size + n_conv * n_outputs


def test_shared_weights_have_one_colour_per_kernel_position():
    ax = draw_convolutional_network(8, 3, 2)
    local = _patches(ax, "edge")[: 6 * 3]  # the convolution's arrows come first, kernel position fastest
    colours = [tuple(arrow.get_edgecolor()) for arrow in local]
    assert len(set(colours)) == 3
    assert all(colours[k] == colours[k % 3] for k in range(len(colours)))
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["weight $v_{1}$", "weight $v_{2}$",
                                                                          "weight $v_{3}$"]


def test_title_and_given_axes():
    fig, ax = plt.subplots()
    assert draw_convolutional_network(ax=ax, title="a CNN") is ax
    assert ax.get_title() == "a CNN"


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"kernel_size": 9}, ValueError, "kernel_size"),
    ({"n_inputs": 0}, ValueError, "n_inputs"),
    ({"n_outputs": "2"}, TypeError, "n_outputs"),
    ({"kernel_size": 2.5}, (TypeError, ValueError), "kernel_size"),
])
def test_bad_arguments_name_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        draw_convolutional_network(**kwargs)
