"""Figures the book draws: decision boundaries, loss curves, network diagrams and computation graphs.

Several authors add to this module: append functions, never rewrite the file.
"""

import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from lib._validate import positive_number

_NODE_RADIUS = 0.3

# Colour-blind-safe colours (Okabe & Ito), in the order of matplotlib's default cycle where they can stand in for it
# (blue, orange, green, red, purple, ...); yellow last, it is faint on white. Importing lib.plotting makes them the
# colour cycle of every plot. Where several curves or classes share a plot, a marker or line style tells them apart
# too (MARKERS, LINESTYLES), so no figure relies on colour alone (issue 16).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
plt.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)


def _layer_positions(size, max_nodes):
    """Node indices drawn for a layer of `size` nodes and their heights; a long layer keeps its first and last."""
    shown = list(range(size)) if size <= max_nodes else list(range(max_nodes - 1)) + [size - 1]
    slots = len(shown) + (size > max_nodes)  # one empty slot holds the ellipsis
    heights = [(slots - 1) / 2 - k for k in range(slots)]
    if size > max_nodes:
        heights = heights[: max_nodes - 1] + heights[-1:]
    return shown, heights


def _edge(ax, start, end, gid, color="0.45", linewidth=0.9, style="-|>", linestyle="-"):
    """Draw an arrow between two circles of radius _NODE_RADIUS, stopping at their rims."""
    (x0, y0), (x1, y1) = start, end
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    arrow = FancyArrowPatch(
        (x0 + _NODE_RADIUS * ux, y0 + _NODE_RADIUS * uy), (x1 - _NODE_RADIUS * ux, y1 - _NODE_RADIUS * uy),
        arrowstyle=style, mutation_scale=9, color=color, linewidth=linewidth, linestyle=linestyle, zorder=1,
    )
    arrow.set_gid(gid)
    ax.add_patch(arrow)
    return arrow


def draw_network(layer_sizes, ax=None, labels=True, title=None, weight_labels=False, *, max_nodes=8):
    """Draw a fully connected feed-forward network: circles are nodes, arrows are weights.

    `layer_sizes` lists the nodes per layer, input first (e.g. ``[2, 3, 1]``). `labels=True` writes
    $x_j$ in the input nodes and $a^{(l)}_j$ in layer l (indices from 1); `labels` may also be a list with one
    list of strings per layer. `weight_labels=True` writes $w^{(l)}_{ij}$ (from node i of layer l-1 to node j of
    layer l, the entry of `W^l`) on each arrow; `weight_labels` may also be a list with one nested list per
    weight matrix, ``weight_labels[l - 1][i][j]`` the string for the arrow from node i to node j (indices from
    0, as in `W^l`). A layer with more than `max_nodes` nodes is drawn with its first `max_nodes - 1` nodes, a
    vertical ellipsis and its last node. Node circles carry the gid ``"node"`` and arrows ``"edge"``, so tests
    can count them. Returns the matplotlib Axes.

    Introduced in chapter 02.
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes: expected a list of positive integers, got {type(layer_sizes).__name__}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes: expected at least two layers (input and output), got {list(layer_sizes)}")
    sizes = [int(positive_number("layer_sizes", n, integer=True)) for n in layer_sizes]
    positive_number("max_nodes", max_nodes, integer=True)
    if max_nodes < 2:
        raise ValueError(f"max_nodes: expected an integer of at least 2, got {max_nodes}")
    custom = not isinstance(labels, bool) and labels is not None
    if custom and not (isinstance(labels, (list, tuple)) and all(isinstance(row, (list, tuple)) for row in labels)):
        raise TypeError(f"labels: expected True, False or a list of lists of strings, got {type(labels).__name__}")
    if custom and (len(labels) != len(sizes) or any(len(row) != n for row, n in zip(labels, sizes, strict=False))):
        raise ValueError("labels: expected one list of strings per layer, with one string per node")
    custom_weights = not isinstance(weight_labels, bool) and weight_labels is not None
    if custom_weights:
        expected = "one list per weight matrix, each with n_{l-1} lists of n_l strings"
        if not (isinstance(weight_labels, (list, tuple))
                and all(isinstance(matrix, (list, tuple)) and all(isinstance(row, (list, tuple)) for row in matrix)
                        for matrix in weight_labels)):
            raise TypeError(f"weight_labels: expected True, False or {expected}, got {type(weight_labels).__name__}")
        if len(weight_labels) != len(sizes) - 1 or any(
                len(matrix) != n_in or any(len(row) != n_out for row in matrix)
                for matrix, n_in, n_out in zip(weight_labels, sizes[:-1], sizes[1:], strict=True)):
            raise ValueError(f"weight_labels: expected {expected}")

    layers = [_layer_positions(n, max_nodes) for n in sizes]
    tallest = max(len(heights) + (n > max_nodes) for n, (_, heights) in zip(sizes, layers, strict=True))
    if ax is None:
        _, ax = plt.subplots(figsize=(1.8 * len(sizes) + 1, max(2.5, 0.75 * tallest + 1.2)))
    dx = max(2.0, 0.3 * tallest)  # tall layers get wider gaps, so the diagram keeps a readable aspect
    for layer, (size, (shown, heights)) in enumerate(zip(sizes, layers, strict=True)):
        for j, y in zip(shown, heights, strict=True):
            circle = Circle((layer * dx, y), _NODE_RADIUS, facecolor="white", edgecolor="black", linewidth=1.2,
                            zorder=2)
            circle.set_gid("node")
            ax.add_patch(circle)
            if custom:
                text = labels[layer][j]
            elif labels:
                text = f"$x_{{{j + 1}}}$" if layer == 0 else f"$a^{{({layer})}}_{{{j + 1}}}$"
            else:
                text = ""
            if text:
                ax.text(layer * dx, y, text, ha="center", va="center", fontsize=9 if len(text) < 14 else 7, zorder=3)
        if size > max_nodes:
            ax.text(layer * dx, (heights[-2] + heights[-1]) / 2, r"$\vdots$", ha="center", va="center", fontsize=12)
        if layer == 0:
            caption = "input layer"
        elif layer == len(sizes) - 1:
            caption = "output layer"
        else:
            caption = "hidden layer" if len(sizes) == 3 else f"hidden layer {layer}"
        ax.text(layer * dx, -(tallest - 1) / 2 - 0.75, f"{caption}\n({size} node{'s' * (size > 1)})",
                ha="center", va="top", fontsize=9)
        if layer == 0:
            continue
        previous_shown, previous_heights = layers[layer - 1]
        for i, y0 in zip(previous_shown, previous_heights, strict=True):
            for j, y1 in zip(shown, heights, strict=True):
                _edge(ax, ((layer - 1) * dx, y0), (layer * dx, y1), gid="edge")
                if weight_labels:
                    t = 0.3
                    if custom_weights:
                        weight_text = str(weight_labels[layer - 1][i][j])
                    else:
                        weight_text = f"$w^{{({layer})}}_{{{i + 1}{j + 1}}}$"
                    ax.text((layer - 1 + t) * dx, y0 + t * (y1 - y0), weight_text,
                            fontsize=7, ha="center", va="center", zorder=3,
                            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(-0.6, (len(sizes) - 1) * dx + 0.6)
    ax.set_ylim(-(tallest - 1) / 2 - 1.5, (tallest - 1) / 2 + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


# --- chapters 07 and 08: classification results, hyperparameter grids, per-layer diagnostics ------------------


def plot_confusion_matrix(matrix, ax=None, class_names=None, title="Confusion matrix"):
    """Draw a confusion matrix: row i, column j counts the samples of true class i predicted as class j.

    The diagonal holds the correct predictions; every off-diagonal number is a kind of mistake.
    Returns the matplotlib Axes.

    Introduced in chapter 07.
    """
    import numpy as np

    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix: expected a square 2-D array, got shape {matrix.shape}")
    names = [str(k) for k in range(len(matrix))] if class_names is None else [str(c) for c in class_names]
    if len(names) != len(matrix):
        raise ValueError(f"class_names: expected {len(matrix)} names, got {len(names)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.5))
    image = ax.imshow(matrix, cmap="Blues")
    threshold = matrix.max() / 2
    for i in range(len(matrix)):
        for j in range(len(matrix)):
            if matrix[i, j]:
                ax.text(j, i, f"{matrix[i, j]:g}", ha="center", va="center", fontsize=8,
                        color="white" if matrix[i, j] > threshold else "black")
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, label="number of samples")
    return ax


def plot_image_grid(images, captions=None, image_shape=(8, 8), ncols=8, title=None):
    """Show flat images (one per row of `images`) in a grid of grey pictures with a caption under each.

    Used for the misclassified digits ("true 3, said 8"). The images are tiled into one picture (one Axes,
    one imshow), which draws much faster than one Axes per image. Returns the matplotlib Figure.

    Introduced in chapter 07.
    """
    import numpy as np

    images = np.asarray(images, dtype=float)
    height, width = image_shape
    if images.ndim != 2 or len(images) == 0 or images.shape[1] != height * width:
        raise ValueError(f"images: expected shape (n >= 1, {height * width}), got {images.shape}")
    if captions is not None and len(captions) != len(images):
        raise ValueError(f"captions: expected {len(images)} captions, got {len(captions)}")
    ncols = min(positive_number("ncols", ncols, integer=True), len(images))
    nrows = -(-len(images) // ncols)
    # Each tile is the image plus a margin: 1 pixel to the right, room for the caption below.
    tile_w, tile_h = width + 1, height + (3 if captions is not None else 1)
    mosaic = np.full((nrows * tile_h, ncols * tile_w), np.nan)
    for k, image in enumerate(images):
        row, col = divmod(k, ncols)
        mosaic[row * tile_h:row * tile_h + height, col * tile_w:col * tile_w + width] = image.reshape(image_shape)
    fig, ax = plt.subplots(figsize=(1.1 * ncols, 1.25 * nrows + 0.5))
    cmap = plt.get_cmap("gray_r").with_extremes(bad="white")
    ax.imshow(mosaic, cmap=cmap, vmin=np.min(images), vmax=np.max(images), interpolation="nearest")
    if captions is not None:
        for k, caption in enumerate(captions):
            row, col = divmod(k, ncols)
            ax.text(col * tile_w + (width - 1) / 2, row * tile_h + height, caption, ha="center", va="top", fontsize=8)
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_heatmap(values, row_labels, col_labels, ax=None, row_name="", col_name="", title=None, fmt="{:.3f}",
                 colorbar_label=None, cmap="viridis"):
    """Draw a 2-D table of numbers as coloured cells with the number written in each cell.

    `values[i, j]` belongs to `row_labels[i]` and `col_labels[j]` (e.g. learning rate x L2 strength ->
    accuracy). Returns the matplotlib Axes.

    Introduced in chapter 07.
    """
    import numpy as np

    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape != (len(row_labels), len(col_labels)):
        raise ValueError(
            f"values: expected shape ({len(row_labels)}, {len(col_labels)}) to match the labels, got {values.shape}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(1.3 * len(col_labels) + 2.5, 0.8 * len(row_labels) + 1.8))
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    middle = (np.nanmax(values) + np.nanmin(values)) / 2
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize=9,
                    color="black" if values[i, j] > middle else "white")
    ax.set_xticks(range(len(col_labels)), [str(c) for c in col_labels])
    ax.set_yticks(range(len(row_labels)), [str(r) for r in row_labels])
    ax.set_xlabel(col_name)
    ax.set_ylabel(row_name)
    if title is not None:
        ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    return ax


def plot_layer_norms(norms, ax=None, title="Gradient norm per layer", ylabel=r"$\|\partial C / \partial W^l\|$",
                     colors=None):
    """Plot one curve per setting of a per-layer quantity (e.g. gradient norms) against the layer, on a log scale.

    `norms` maps a label (the legend entry) to a 1-D array with one value per layer l = 1, ..., L. `colors`
    optionally maps labels to matplotlib colours, so a setting keeps its colour from figure to figure; labels
    it does not name take the next colour of the cycle. Returns the matplotlib Axes.

    Introduced in chapter 08.
    """
    import numpy as np

    if not isinstance(norms, dict) or not norms:
        raise TypeError(f"norms: expected a non-empty dict label -> per-layer values, got {type(norms).__name__}")
    if colors is not None and not isinstance(colors, dict):
        raise TypeError(f"colors: expected a dict label -> colour, got {type(colors).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for k, (label, values) in enumerate(norms.items()):
        values = np.asarray(values, dtype=float)
        style = {"color": colors[label]} if colors and label in colors else {}
        # a marker and a line style per setting, so the curves differ without colour too
        ax.plot(np.arange(1, len(values) + 1), values, marker=MARKERS[k % len(MARKERS)],
                linestyle=LINESTYLES[k % len(LINESTYLES)], label=str(label), **style)
    ax.set_yscale("log")
    ax.set_xlabel("layer $l$")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(True, which="major", alpha=0.3)
    return ax


def plot_activation_histograms(activations, ax=None, bins=50, value_range=None, title="Activations per layer",
                               xlabel="activation $a^l$"):
    """Overlay the histogram of every layer's activations (one step line per layer, from dark to light with depth).

    `activations` is a list of arrays, one per layer (e.g. the hidden a^1, ..., a^{L-1}). A good
    initialisation keeps the histograms alike from layer to layer; a bad one piles them up at the
    saturation values or at zero. Returns the matplotlib Axes.

    Introduced in chapter 08.
    """
    import numpy as np

    if len(activations) == 0:
        raise ValueError("activations: expected a non-empty list of arrays, one per layer")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    if value_range is None:
        low = min(float(np.min(a)) for a in activations)
        high = max(float(np.max(a)) for a in activations)
        value_range = (low, high if high > low else low + 1.0)
    colors = plt.cm.viridis(np.linspace(0.0, 0.9, len(activations)))
    # With many layers, the legend names only the first, the middle and the last.
    named = set(range(1, len(activations) + 1)) if len(activations) <= 10 else {1, (len(activations) + 1) // 2,
                                                                                 len(activations)}
    for layer, (a, color) in enumerate(zip(activations, colors, strict=True), start=1):
        # viridis runs dark to light with depth (read in grey too); line styles tell neighbours apart
        ax.hist(np.ravel(a), bins=bins, range=value_range, histtype="step", density=True, color=color,
                linestyle=LINESTYLES[(layer - 1) % len(LINESTYLES)], label=f"layer {layer}" if layer in named else None)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density")
    ax.set_title(title)
    ax.legend(fontsize=7, ncol=2)
    return ax


def plot_activation_and_derivative(function, derivative, name, z=None, ax=None):
    """Plot an activation function f(z) and its derivative f'(z) on the same axes.

    Introduced in chapter 08.
    """
    import numpy as np

    if not callable(function) or not callable(derivative):
        raise TypeError("function, derivative: expected two callables of one array argument")
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3))
    ax.plot(z, function(z), label=f"{name}$(z)$")
    ax.plot(z, derivative(z), "--", label=f"{name}$'(z)$")
    ax.axhline(0, color="0.7", linewidth=0.8)
    ax.axvline(0, color="0.7", linewidth=0.8)
    ax.set_xlabel("$z$")
    ax.set_title(name)
    ax.legend(fontsize=8)
    return ax


# --- chapter 01: decision boundaries ---------------------------------------------------------------------------


def _score_function(model_or_predict_fn):
    """A function X -> one number per row: P(class 1) for a classifier, the output for a regression model."""
    import numpy as np

    if hasattr(model_or_predict_fn, "predict_proba"):
        def score(X):
            p = np.asarray(model_or_predict_fn.predict_proba(X), dtype=float)
            return p[:, -1] if p.ndim == 2 else p
    elif hasattr(model_or_predict_fn, "predict"):
        def score(X):
            return np.asarray(model_or_predict_fn.predict(X), dtype=float).reshape(len(X))
    elif callable(model_or_predict_fn):
        def score(X):
            return np.asarray(model_or_predict_fn(X), dtype=float).reshape(len(X))
    else:
        raise TypeError(
            "model_or_predict_fn: expected a model with predict_proba or predict, or a function of X, "
            f"got {type(model_or_predict_fn).__name__}"
        )
    return score


def plot_decision_boundary(model_or_predict_fn, X, y, ax=None, threshold=0.5, resolution=200, padding=0.5,
                           title=None, xlabel="$x_1$", ylabel="$x_2$", colorbar=True):
    """Colour the plane by a model's output, draw its decision boundary (output = `threshold`) and the data.

    `model_or_predict_fn` is a fitted model with `predict_proba` (the probability of class 1 is used) or
    `predict` (its output is used, e.g. least-squares fitted values), or a function of X (n, 2) returning one
    number per row. A point counts as class 1 where the output exceeds `threshold`. Misclassified points are
    circled in red and the title ends with the number of correct points. If the output is the same
    everywhere, there is no boundary, and the plot says so. `colorbar=False` leaves out the colour scale
    (for panels side by side). Returns the matplotlib Axes.

    Introduced in chapter 01.
    """
    import numpy as np

    from lib._validate import as_float_array

    score = _score_function(model_or_predict_fn)
    X = as_float_array("X", X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected 2 input columns to draw in the plane, got shape {X.shape}")
    y = as_float_array("y", y, ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y: expected {X.shape[0]} labels (one per row of X), got {y.shape[0]}")
    positive_number("resolution", resolution, integer=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))

    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g1, g2 = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    values = score(np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    in_unit = values.min() >= -1e-9 and values.max() <= 1 + 1e-9
    vmin, vmax = (0.0, 1.0) if in_unit else (values.min(), values.max())
    image = ax.pcolormesh(g1, g2, values, cmap="RdBu_r", vmin=vmin, vmax=vmax, alpha=0.55, shading="auto")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="model output")
    if np.ptp(values) < 1e-6:
        ax.text(0.5, 0.97, f"output = {values.mean():.3g} everywhere:\nno boundary", transform=ax.transAxes,
                ha="center", va="top", fontsize=9, bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    elif values.min() < threshold < values.max():
        ax.contour(g1, g2, values, levels=[threshold], colors="black", linewidths=1.5)

    predicted = score(X) > threshold
    wrong = predicted != (y > 0.5)
    for label, marker, color in ((0, "o", PALETTE[0]), (1, "s", PALETTE[3])):
        chosen = (y > 0.5) == bool(label)
        ax.scatter(X[chosen, 0], X[chosen, 1], marker=marker, s=70, c=color, edgecolors="black", zorder=3,
                   label=f"$y = {label}$")
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=260, facecolors="none", edgecolors="red", linewidths=2, zorder=4,
                   label="misclassified")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    correct = f"{int((~wrong).sum())}/{len(y)} correct"
    ax.set_title(f"{title}: {correct}" if title else correct)
    # Below the axes, so the legend never hides a data point.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    return ax


# --- chapter 03: computation graphs of lib.autodiff -----------------------------------------------------------

_GRAPH_RULES = {"+": "{0} + {1}", "-": "{0} - {1}", "*": r"{0} \cdot {1}", "/": "{0} / {1}", "neg": "-{0}",
                "exp": r"\exp({0})", "log": r"\log({0})", "sqrt": r"\sqrt{{{0}}}", "tanh": r"\tanh({0})",
                "sigmoid": r"\sigma({0})", "relu": r"\mathrm{{relu}}({0})",
                # one node per layer quantity (chapters 04-05): z = w a + b, and the cost (a - y)^2 / 2
                "affine": "{0} {1} + {2}", "squared_error": r"\frac{{1}}{{2}}({0} - y)^2"}


def _graph_definition(node, names):
    """The node's elementary function g_i of its parents, in TeX, e.g. ``x_4 = x_2 + x_3``."""
    arguments = [names[id(parent)] for parent, _ in node.parents]
    if node.op.startswith("**"):
        return f"{arguments[0]}^{{{node.op[2:]}}}"
    if node.op in _GRAPH_RULES:
        return _GRAPH_RULES[node.op].format(*arguments)
    return rf"\mathrm{{{node.op}}}({', '.join(arguments)})"  # an operation added by a reader, e.g. sin


def draw_graph(output, ax=None, title=None, show_parents=True, edge_labels=True):
    """Draw the computation graph of a `lib.autodiff.Var`: one box per node, one arrow per (parent, child) edge.

    Nodes are numbered $x_1, x_2, \\dots$ in the order they are computed (inputs first), as in the week 41
    lecture; each box shows the node's elementary function of its parents, its value and its gradient
    (``.grad``, filled by ``output.backward()``), with its label (a Var's ``label``) in front. `show_parents`
    writes $\\mathrm{Pa}(x_i)$, the node's parents, under each box; `edge_labels` writes the local derivative
    $\\partial x_j / \\partial x_i$ on each arrow. Values, gradients and local derivatives are shown to four
    significant figures. Boxes carry the gid ``"node"`` and arrows ``"edge"``. Returns the matplotlib Axes.

    Introduced in chapter 03.
    """
    if not (hasattr(output, "graph") and hasattr(output, "parents")):
        raise TypeError(f"output: expected a lib.autodiff.Var, got {type(output).__name__}")
    nodes = output.graph()
    nodes = [node for node in nodes if not node.parents] + [node for node in nodes if node.parents]  # inputs first
    names = {id(node): f"x_{{{i + 1}}}" for i, node in enumerate(nodes)}
    depth = {}
    for node in nodes:  # parents come first, so their depth is known: longest path from an input
        depth[id(node)] = 1 + max((depth[id(parent)] for parent, _ in node.parents), default=-1)
    first_use = {}
    for node in nodes:
        for parent, _ in node.parents:
            first_use[id(parent)] = min(first_use.get(id(parent), depth[id(node)]), depth[id(node)])
    for node in nodes:  # an input (or constant) stands just left of its first use
        if not node.parents and id(node) in first_use:
            depth[id(node)] = first_use[id(node)] - 1
    columns = {}
    for node in nodes:
        columns.setdefault(depth[id(node)], []).append(node)
    # Lengths are in inches when draw_graph makes the figure: 8.5-point text in the boxes and 8-point labels,
    # and a graph of five columns about 7 inches (700 pixels) wide, so that it is shown unscaled in the text
    # column of the book and its text stays readable.
    dx, dy, width, height = 1.56, 1.0, 0.98, 0.62
    position = {}
    for column, members in columns.items():
        for row, node in enumerate(members):
            position[id(node)] = (column * dx, (len(members) - 1) / 2 * dy - row * dy)

    # The arrows first (their label positions decide how much room the figure needs above the boxes).
    edges = []
    for node in nodes:
        seen = set()
        for parent, local in node.parents:
            (x0, y0), (x1, y1) = position[id(parent)], position[id(node)]
            repeat = id(parent) in seen  # x * x: the second edge from the same parent bends the other way
            seen.add(id(parent))
            length_x, length_y = x1 - x0, y1 - y0
            skips = depth[id(node)] - depth[id(parent)] > 1  # an edge that skips a column arcs over the boxes between
            if skips and y0 == y1:
                bend, start, end = -0.3, (x0, y0 + height / 2), (x1, y1 + height / 2)
            else:
                bend = 0.45 if repeat else (-0.3 if skips else 0.0)
                scale = min(width / 2 / abs(length_x) if length_x else 1e9,
                            height / 2 / abs(length_y) if length_y else 1e9)
                start = (x0 + scale * length_x, y0 + scale * length_y)
                end = (x1 - scale * length_x, y1 - scale * length_y)
            middle_x = (start[0] + end[0]) / 2 + bend / 2 * (end[1] - start[1])
            middle_y = (start[1] + end[1]) / 2 - bend / 2 * (end[0] - start[0])
            edges.append((start, end, bend, (middle_x, middle_y), local))

    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    left, right = min(xs) - width / 2 - 0.03, max(xs) + width / 2 + 0.03
    bottom = min(ys) - height / 2 - (0.25 if show_parents else 0.1)
    top = max([y + height / 2 + 0.05 for y in ys] + [middle[1] + 0.15 for _, _, _, middle, _ in edges])
    if ax is None:  # an Axes of exactly the graph's size, so that one unit is one inch
        margin, title_room = 0.05, (0.4 if title else 0.05)
        fig_width, fig_height = right - left + 2 * margin, top - bottom + margin + title_room
        ax = plt.figure(figsize=(fig_width, fig_height)).add_axes(
            (margin / fig_width, margin / fig_height, (right - left) / fig_width, (top - bottom) / fig_height))

    for node in nodes:
        x, y = position[id(node)]
        box = FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                             boxstyle="round,pad=0.01,rounding_size=0.07",
                             facecolor="#eef3fb" if node.parents else "#fdf3e1", edgecolor="black", linewidth=1.1,
                             zorder=2)
        box.set_gid("node")
        ax.add_patch(box)
        name = names[id(node)]
        definition = f"${name} = {_graph_definition(node, names)}$" if node.parents else f"${name}$"
        heading = f"{node.label}: {definition}" if node.label else definition
        ax.text(x, y, f"{heading}\nvalue {node.value:.4g}\ngrad {node.grad:.4g}", ha="center", va="center",
                fontsize=8.5, linespacing=1.35, zorder=3)
        if show_parents and node.parents:
            parents = ", ".join(dict.fromkeys(names[id(parent)] for parent, _ in node.parents))
            ax.text(x, y - height / 2 - 0.05, rf"$\mathrm{{Pa}}({name}) = \{{{parents}\}}$", ha="center", va="top",
                    fontsize=8, color="0.3")

    for start, end, bend, (middle_x, middle_y), local in edges:
        arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, color="0.35", linewidth=1.0,
                                connectionstyle=f"arc3,rad={bend}", zorder=1)
        arrow.set_gid("edge")
        ax.add_patch(arrow)
        if edge_labels:
            ax.text(middle_x, middle_y, f"{local:.4g}", ha="center", va="center", fontsize=8, color="#8a3b00",
                    zorder=3, bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"})

    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


# --- chapters 04-06: cost surfaces and fitted surfaces ---------------------------------------------------------


def plot_cost_surface(cost, w_range, b_range, path=None, ax=None, resolution=120, levels=25,
                      labels=("$w$", "$b$"), title="Cost surface"):
    """Contour plot of a cost over two parameters, with an optional optimisation path drawn on top.

    `cost(W, B)` must accept two arrays of the same shape (a grid) and return the cost at every point. `w_range`
    and `b_range` are (low, high) pairs. `path` is a sequence of (w, b) points, e.g. the iterates of gradient
    descent: drawn as a line from a circle (start) to a star (end). Contour levels are spaced evenly in log(cost),
    so the flat plateaus of a sigmoid neuron and the narrow valley near the minimum both stay visible.
    Returns the matplotlib Axes.

    Introduced in chapter 04.
    """
    import numpy as np

    from lib._validate import as_float_array

    if not callable(cost):
        raise TypeError(f"cost: expected a function cost(W, B) of two grids, got {type(cost).__name__}")
    ranges = []
    for name, pair in (("w_range", w_range), ("b_range", b_range)):
        pair = as_float_array(name, pair, ndim=1)
        if pair.shape != (2,) or not pair[0] < pair[1]:
            raise ValueError(f"{name}: expected (low, high) with low < high, got {pair.tolist()}")
        ranges.append(pair)
    resolution = positive_number("resolution", resolution, integer=True)
    W, B = np.meshgrid(np.linspace(*ranges[0], resolution), np.linspace(*ranges[1], resolution))
    C = np.asarray(cost(W, B), dtype=float)
    if C.shape != W.shape or not np.all(np.isfinite(C)):
        raise ValueError(f"cost: expected finite values of shape {W.shape} on the grid, got shape {C.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    floor = max(C.min(), 1e-12 * max(C.max(), 1e-300))
    contour = ax.contourf(W, B, np.log10(np.maximum(C, floor)), levels=levels, cmap="viridis")
    plt.colorbar(contour, ax=ax, label=r"$\log_{10}$ cost")
    if path is not None:
        path = as_float_array("path", path, ndim=2)
        if path.shape[1] != 2:
            raise ValueError(f"path: expected points (w, b) of shape (n_steps, 2), got {path.shape}")
        ax.plot(path[:, 0], path[:, 1], color="white", linewidth=1.5, label="gradient descent")
        ax.plot(*path[0], "o", color="white", markeredgecolor="black", label="start")
        ax.plot(*path[-1], "*", color="tab:red", markersize=12, markeredgecolor="black", label="end")
        ax.legend(loc="upper right", fontsize=8)
        ax.set_xlim(*ranges[0])  # a path that leaves the grid must not rescale the view
        ax.set_ylim(*ranges[1])
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title)
    return ax


def plot_fit_surface(true_fn, predict_fn, low=-1.0, high=1.0, X=None, resolution=40, title=None):
    """Three panels over the square [low, high]^2: the true function, the model's prediction, and their difference.

    `true_fn(X)` and `predict_fn(X)` take points of shape (n, 2) and return n values (any shape with n entries).
    `X` (optional, shape (n, 2)) marks the training inputs on the first panel. Returns the figure.

    Introduced in chapter 06.
    """
    import numpy as np

    from lib._validate import as_float_array

    for name, fn in (("true_fn", true_fn), ("predict_fn", predict_fn)):
        if not callable(fn):
            raise TypeError(f"{name}: expected a function of points of shape (n, 2), got {type(fn).__name__}")
    if not float(low) < float(high):
        raise ValueError(f"high: expected a number above low={low!r}, got {high!r}")
    resolution = positive_number("resolution", resolution, integer=True)
    grid = np.linspace(low, high, resolution)
    G0, G1 = np.meshgrid(grid, grid)
    points = np.column_stack([G0.ravel(), G1.ravel()])
    truth = np.asarray(true_fn(points), dtype=float).reshape(G0.shape)
    fitted = np.asarray(predict_fn(points), dtype=float).reshape(G0.shape)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), constrained_layout=True)
    vmin, vmax = min(truth.min(), fitted.min()), max(truth.max(), fitted.max())
    for ax, values, name in ((axes[0], truth, "true function"), (axes[1], fitted, "network")):
        image = ax.contourf(G0, G1, values, levels=20, cmap="viridis", vmin=vmin, vmax=vmax)
        ax.set_title(name)
    fig.colorbar(image, ax=axes[:2], label="$y$")
    difference = fitted - truth
    limit = max(np.abs(difference).max(), 1e-12)
    image = axes[2].contourf(G0, G1, difference, levels=20, cmap="RdBu_r", vmin=-limit, vmax=limit)
    fig.colorbar(image, ax=axes[2], label="network - truth")
    axes[2].set_title("difference")
    if X is not None:
        X = as_float_array("X", X, ndim=2)
        axes[0].plot(X[:, 0], X[:, 1], "k.", markersize=3, label="training inputs")
        axes[0].legend(loc="lower right", fontsize=7)
    for ax in axes:
        ax.set_xlabel("$x_0$")
        ax.set_ylabel("$x_1$")
        ax.set_aspect("equal")
    if title is not None:
        fig.suptitle(title)
    return fig


def plot_loss_curves(curves, ax=None, title="Training loss", ylabel="training loss", logy=True):
    """Plot one loss curve per entry of `curves`, a dict mapping a label (an optimizer's name) to losses per epoch.

    With ``logy=True`` the loss axis is logarithmic, so fast and slow curves stay readable on one plot. A curve that
    stops early (a diverged training) ends where it stopped. Returns the matplotlib Axes.

    Introduced in chapter 09.
    """
    import numpy as np

    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves: expected a non-empty dict of label -> losses per epoch, got {type(curves).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for label, losses in curves.items():
        losses = np.asarray(losses, dtype=float)
        if losses.ndim != 1 or losses.size == 0:
            raise ValueError(f"curves: expected a non-empty 1-D sequence of losses for {label!r}")
        ax.plot(np.arange(1, losses.size + 1), losses, label=str(label))
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return ax


def plot_search_results(results, x, y, ax=None, title="Hyperparameter search", logx=True, logy=True):
    """Draw the settings tried by one or more searches in the plane of two hyperparameters `x` and `y`.

    `results` maps a label (``"grid"``, ``"random"``) to a :class:`lib.tuning.SearchResult`. Each trial is a point
    coloured by its validation score (one colour scale for all searches); each search's best setting is ringed.
    Returns the matplotlib Axes.

    Introduced in chapter 09.
    """
    import numpy as np

    if not isinstance(results, dict) or not results:
        raise TypeError(f"results: expected a non-empty dict of label -> SearchResult, got {type(results).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    scores = np.concatenate([result.column("score") for result in results.values()])
    finite = scores[np.isfinite(scores)]
    vmin, vmax = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    markers = ["o", "s", "^", "D", "v"]
    for k, (label, result) in enumerate(results.items()):
        points = ax.scatter(result.column(x), result.column(y), c=result.column("score"), cmap="viridis",
                            vmin=vmin, vmax=vmax, marker=markers[k % len(markers)], s=45, edgecolors="0.3",
                            linewidths=0.5, label=f"{label} ({len(result.table)} trials)")
        ax.scatter([result.best[x]], [result.best[y]], s=220, facecolors="none", edgecolors="red", linewidths=1.5,
                   marker=markers[k % len(markers)])
    ax.figure.colorbar(points, ax=ax, label="validation score")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title + " (best ringed in red)")
    ax.legend(loc="best", fontsize=8)
    return ax



# --- chapter 02: the layout of a convolutional network -----------------------------------------------------------


def draw_convolutional_network(n_inputs=8, kernel_size=3, n_outputs=2, ax=None, title=None):
    """Draw a one-dimensional convolutional network: a locally connected layer with shared weights, then a dense one.

    The input layer has `n_inputs` nodes (pixels of one image row); each of the ``n_inputs - kernel_size + 1``
    nodes of the convolutional layer is connected only to `kernel_size` neighbouring inputs, its receptive field,
    and the arrows with the same colour carry the same weight (the kernel is shared by every position). The last
    layer, `n_outputs` nodes, is fully connected to the convolutional layer. Node circles carry the gid
    ``"node"``, arrows ``"edge"``. Returns the matplotlib Axes.

    Introduced in chapter 02.
    """
    n_inputs = int(positive_number("n_inputs", n_inputs, integer=True))
    kernel_size = int(positive_number("kernel_size", kernel_size, integer=True))
    n_outputs = int(positive_number("n_outputs", n_outputs, integer=True))
    if kernel_size > n_inputs:
        raise ValueError(f"kernel_size: expected at most n_inputs = {n_inputs}, got {kernel_size}")
    n_conv = n_inputs - kernel_size + 1
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.55 * n_inputs + 1.4))
    dx = 2.6
    colors = PALETTE
    heights = {size: [(size - 1) / 2 - k for k in range(size)] for size in {n_inputs, n_conv, n_outputs}}
    captions = (f"input layer\n({n_inputs} nodes)", f"convolutional layer\n({n_conv} nodes)",
                f"fully connected\noutput layer ({n_outputs})")
    for layer, size in enumerate((n_inputs, n_conv, n_outputs)):
        for y in heights[size]:
            circle = Circle((layer * dx, y), _NODE_RADIUS, facecolor="white", edgecolor="black", linewidth=1.2,
                            zorder=2)
            circle.set_gid("node")
            ax.add_patch(circle)
        ax.text(layer * dx, -(n_inputs - 1) / 2 - 0.6, captions[layer], ha="center", va="top", fontsize=9)
    for j, y1 in enumerate(heights[n_conv]):  # node j of the convolution sees inputs j, ..., j + kernel_size - 1
        for k in range(kernel_size):
            _edge(ax, (0, heights[n_inputs][j + k]), (dx, y1), gid="edge", color=colors[k % len(colors)],
                  linewidth=1.4, linestyle=LINESTYLES[k % len(LINESTYLES)])
    for y0 in heights[n_conv]:
        for y1 in heights[n_outputs]:
            _edge(ax, (dx, y0), (2 * dx, y1), gid="edge")
    for k in range(kernel_size):  # a legend for the shared weights
        ax.plot([], [], color=colors[k % len(colors)], linestyle=LINESTYLES[k % len(LINESTYLES)], linewidth=2,
                label=f"weight $v_{{{k + 1}}}$")
    ax.legend(loc="upper right", fontsize=8, frameon=False, title="shared kernel", title_fontsize=8)
    ax.set_xlim(-0.6, 2 * dx + 2.2)
    ax.set_ylim(-(n_inputs - 1) / 2 - 1.5, (n_inputs - 1) / 2 + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


# --- chapter 10: static panels of the playground ------------------------------------------------------------------


def plot_playground(pg, ax=None, title=None, resolution=120):
    """Draw a trained :class:`lib.playground.Playground` as one static panel: the plane coloured by the network's
    probability of class 1, the decision boundary (probability 0.5) in black, the training points filled and the
    test points hollow (class 1 red squares, class 0 blue circles).

    The title (by default the data set, the hidden widths and activation, the learning rate and the number of
    steps) ends with the training and test accuracy. For side-by-side panels that a reader of the static book can
    compare; the live widget is ``pg.widget``. Returns the matplotlib Axes.

    Introduced in chapter 10.
    """
    import numpy as np

    from lib.playground import Playground

    if not isinstance(pg, Playground):
        raise TypeError(f"pg: expected a lib.playground.Playground, got {type(pg).__name__}")
    resolution = positive_number("resolution", resolution, integer=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    X = np.vstack([pg.X_train, pg.X_test])
    low, high = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
    g1, g2 = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    with np.errstate(over="ignore"):
        p = pg.network.forward(np.column_stack([g1.ravel(), g2.ravel()]))[:, 0].reshape(g1.shape)
    ax.pcolormesh(g1, g2, p, cmap="RdBu_r", vmin=0, vmax=1, alpha=0.6, shading="auto")
    if p.min() < 0.5 < p.max():
        ax.contour(g1, g2, p, levels=[0.5], colors="black", linewidths=1.5)
    for label, marker, color in ((0, "o", "tab:blue"), (1, "s", "tab:red")):
        train, test = pg.y_train == label, pg.y_test == label
        ax.plot(*pg.X_train[train].T, linestyle="none", marker=marker, markersize=4, markerfacecolor=color,
                markeredgecolor="black", markeredgewidth=0.5)
        ax.plot(*pg.X_test[test].T, linestyle="none", marker=marker, markersize=4, markerfacecolor="white",
                markeredgecolor=color, markeredgewidth=1.2)
    if title is None:
        hidden = "-".join(map(str, pg.hidden)) or "no hidden layer"
        title = f"{pg.dataset}, {hidden} {pg.activation}, rate {pg.learning_rate:g}, {pg.steps} steps"
    h = pg.history
    ax.set_title(f"{title}\ntrain {h['train_accuracy'][-1]:.0%}, test {h['test_accuracy'][-1]:.0%}", fontsize=9)
    ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), xlabel="$x_1$", ylabel="$x_2$")
    return ax
