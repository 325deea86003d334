"""Network diagrams and computation graphs: the right number of nodes and edges, and clear errors."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.autodiff import Var
from lib.plotting import draw_graph, draw_network


def _count(ax, gid):
    return sum(patch.get_gid() == gid for patch in ax.patches)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("sizes", [[1, 1], [2, 2, 1], [3, 4, 4, 2], [1, 5, 1], [4, 1, 3, 2, 1]])
def test_draw_network_draws_one_circle_per_node_and_one_arrow_per_weight(sizes):
    ax = draw_network(sizes)
    assert _count(ax, "node") == sum(sizes)
    assert _count(ax, "edge") == sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def test_draw_network_truncates_wide_layers():
    ax = draw_network([64, 100, 10], max_nodes=8)
    assert _count(ax, "node") == 8 + 8 + 8
    assert _count(ax, "edge") == 2 * 8 * 8
    assert any(text.get_text() == r"$\vdots$" for text in ax.texts)


def test_draw_network_labels_captions_and_title():
    fig, ax = plt.subplots()
    returned = draw_network([2, 2, 1], ax=ax, title="2-2-1", weight_labels=True)
    assert returned is ax
    texts = [text.get_text() for text in ax.texts]
    assert "$x_{1}$" in texts and "$a^{(1)}_{2}$" in texts and "$a^{(2)}_{1}$" in texts
    assert sum(text.startswith("$w^{(") for text in texts) == 2 * 2 + 2 * 1
    assert any(text.startswith("input layer") for text in texts)
    assert any(text.startswith("hidden layer") for text in texts)
    assert any(text.startswith("output layer") for text in texts)
    assert ax.get_title() == "2-2-1"


def test_draw_network_custom_and_no_labels():
    ax = draw_network([1, 1], labels=[["$x$"], ["$y$"]])
    assert {"$x$", "$y$"} <= {text.get_text() for text in ax.texts}
    ax = draw_network([2, 1], labels=False)
    assert not any(text.get_text().startswith("$") for text in ax.texts)


def test_draw_network_custom_weight_labels_follow_the_matrix_indices():
    labels = [[["$w_1$"], ["$w_2$"], ["$w_3$"]]]  # W^1 of shape (3, 1): row i is the arrow from input i
    ax = draw_network([3, 1], weight_labels=labels)
    texts = [text.get_text() for text in ax.texts]
    assert [t for t in texts if t.startswith("$w_")] == ["$w_1$", "$w_2$", "$w_3$"]
    assert not any(t.startswith("$w^{(") for t in texts)


@pytest.mark.parametrize(("weight_labels", "error"), [
    ("w", TypeError),                          # not a list of matrices
    ([["$a$", "$b$"]], TypeError),              # a matrix of strings instead of rows
    ([[["$a$"], ["$b$"]], [["$c$"]]], ValueError),  # one matrix too many for [2, 1]
    ([[["$a$", "$b$"], ["$c$"]]], ValueError),  # rows of the wrong length for W^1 of shape (2, 1)
])
def test_draw_network_rejects_malformed_weight_labels(weight_labels, error):
    with pytest.raises(error, match="weight_labels"):
        draw_network([2, 1], weight_labels=weight_labels)


@pytest.mark.parametrize(
    ("sizes", "error"),
    [([3], ValueError), ([2, 0, 1], ValueError), ([2, -1], ValueError), ([2, 1.5], TypeError), ("21", TypeError),
     (3, TypeError)],
)
def test_draw_network_rejects_bad_layer_sizes(sizes, error):
    with pytest.raises(error, match="layer_sizes"):
        draw_network(sizes)


def test_draw_network_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="labels"):
        draw_network([2, 1], labels=[["a"], ["b"]])


def _lecture_graph():
    x = Var(0.5, "x")
    a = x**2
    d = (a + a.exp()).sqrt()
    d.backward()
    return d


def test_draw_graph_reproduces_the_lectures_graph():
    ax = draw_graph(_lecture_graph())
    assert _count(ax, "node") == 5  # x1 = x, x2 = x^2, x3 = exp(x2), x4 = x2 + x3, x5 = sqrt(x4)
    assert _count(ax, "edge") == 5  # x1->x2, x2->x3, x2->x4, x3->x4, x4->x5
    texts = [text.get_text() for text in ax.texts]
    for parents in [r"$\mathrm{Pa}(x_{2}) = \{x_{1}\}$", r"$\mathrm{Pa}(x_{3}) = \{x_{2}\}$",
                    r"$\mathrm{Pa}(x_{4}) = \{x_{2}, x_{3}\}$", r"$\mathrm{Pa}(x_{5}) = \{x_{4}\}$"]:
        assert parents in texts
    assert any(text.startswith(r"$x_{3} = \exp(x_{2})$") and "grad 0.4037" in text for text in texts)
    assert any(text.startswith("x: $x_{1}$") and "grad 0.9221" in text for text in texts)


@pytest.mark.parametrize("seed", range(10))
def test_draw_graph_draws_every_node_and_every_edge(seed):
    rng = np.random.default_rng(seed)
    inputs = [Var(v) for v in rng.uniform(-1, 1, 3)]
    nodes = list(inputs)
    for _ in range(8):
        a, b = (nodes[i] for i in rng.integers(len(nodes), size=2))
        nodes.append([a + b, a * b, (a - b).tanh(), a * 2.0][rng.integers(4)])
    out = nodes[-1]
    out.backward()
    ax = draw_graph(out, show_parents=False, edge_labels=False)
    graph = out.graph()
    assert _count(ax, "node") == len(graph)
    assert _count(ax, "edge") == sum(len(node.parents) for node in graph)


def test_draw_graph_counts_both_edges_of_x_times_x():
    x = Var(3.0)
    ax = draw_graph(x * x, title="x * x")
    assert (_count(ax, "node"), _count(ax, "edge")) == (2, 2)
    assert ax.get_title() == "x * x"


def test_draw_graph_rejects_non_var():
    with pytest.raises(TypeError, match="output"):
        draw_graph(1.0)


@settings(max_examples=40, deadline=None)
@given(sizes=st.one_of(st.none(), st.integers(), st.text(max_size=3), st.lists(st.one_of(st.integers(-2, 4),
                                                                                    st.floats(), st.none()),
                                                                          max_size=4)),
       labels=st.one_of(st.booleans(), st.none(), st.integers(), st.text(max_size=3),
                        st.lists(st.lists(st.text(max_size=2), max_size=3), max_size=3)),
       max_nodes=st.one_of(st.integers(-1, 5), st.floats(), st.none()))
def test_draw_network_raises_only_clear_errors(sizes, labels, max_nodes):
    try:
        draw_network(sizes, labels=labels, max_nodes=max_nodes)
    except (TypeError, ValueError):
        pass
    finally:
        plt.close("all")


def test_plot_layer_norms_keeps_the_colour_given_per_label():
    from matplotlib.colors import to_hex

    from lib.plotting import plot_layer_norms

    ax = plot_layer_norms({"a": [1.0, 2.0], "b": [3.0, 4.0]}, colors={"b": "red"})
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert to_hex(lines["b"].get_color()) == "#ff0000"
    assert to_hex(lines["a"].get_color()) != "#ff0000"
    with pytest.raises(TypeError, match="colors"):
        plot_layer_norms({"a": [1.0]}, colors=["red"])


def _contrast(color_a, color_b):
    """WCAG contrast ratio of two matplotlib colours."""
    from matplotlib.colors import to_rgb

    def luminance(color):
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(color)]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(color_a), luminance(color_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_plots_use_the_colour_blind_safe_palette():
    """Importing lib.plotting makes Okabe-Ito the colour cycle; the first five colours, which curves use most, stand
    out against the white background (>= 2:1; the yellow, last, is the exception)."""
    from lib.plotting import PALETTE

    assert plt.rcParams["axes.prop_cycle"].by_key()["color"] == list(PALETTE)
    _, ax = plt.subplots()
    line, = ax.plot([0, 1], [0, 1])
    assert line.get_color() == PALETTE[0]
    assert all(_contrast(color, "white") >= 2.0 for color in PALETTE[:5])


def test_plot_layer_norms_tells_curves_apart_without_colour():
    from lib.plotting import plot_layer_norms

    ax = plot_layer_norms({"a": [1.0, 2.0], "b": [3.0, 4.0], "c": [5.0, 6.0]})
    styles = [(line.get_marker(), line.get_linestyle()) for line in ax.get_lines()]
    assert len(set(m for m, _ in styles)) == 3 and len(set(s for _, s in styles)) == 3, styles


def test_activation_histograms_differ_in_line_style():
    from lib.plotting import plot_activation_histograms

    ax = plot_activation_histograms([np.zeros(10), np.ones(10), np.full(10, 2.0)])
    assert len({patch.get_linestyle() for patch in ax.patches}) == 3
