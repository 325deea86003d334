"""A network playground: watch a decision boundary move while a small network trains on a 2-D data set.

Introduced in chapter 10. After TensorFlow Playground, but the network underneath is this book's
:class:`lib.network.FeedForwardNetwork`: one training step is one minibatch through ``.gradients`` (BP1-BP4) and
one optimizer update from :mod:`lib.optimizers`, exactly what chapters 07 and 09 derive.

Two faces:

- programmatic: ``pg = playground(dataset="xor")``, ``pg.step(500)``, ``pg.history["train_accuracy"][-1]``;
- interactive: ``pg.widget`` (or ``pg`` at the end of a cell) shows the controls, the decision boundary with
  the training points, and the train and test loss curves. Start trains in a background thread in small chunks
  and redraws at most ``max_frame_rate`` times a second, so the notebook stays responsive, Pause stops it
  between two chunks, and a playground on a shared hub costs little CPU and bandwidth.

The figure is rendered with matplotlib's Agg (blitting only what changes) to an image shown in an
``ipywidgets.Image``: no flicker, the same in JupyterLab and Notebook, and the image is part of the widget state,
so the built book shows the snapshot taken at execution.
Everything is seeded: Reset (or a new playground with the same settings) reproduces the same run.
"""

import functools
import html
import io
import math
import numbers
import threading
import time

import numpy as np

from lib import _validate
from lib.data import circles, moons, spirals, train_test_split, xor_blobs
from lib.network import DivergenceError, FeedForwardNetwork
from lib.optimizers import get_optimizer

# Data sets, and the noise each starts with: XOR's blobs keep a clear margin at 0.2, so the default settings
# reach 100 % training accuracy (tests/test_playground.py checks this).
DATASETS = {"xor": xor_blobs, "circles": circles, "moons": moons, "spirals": spirals}
DEFAULT_NOISE = {"xor": 0.2, "circles": 0.1, "moons": 0.1, "spirals": 0.05}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu", "elu")
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
L2_STRENGTHS = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
HISTORY_KEYS = ("step", "train_loss", "train_accuracy", "test_loss", "test_accuracy")
# Okabe-Ito colours (told apart with any colour vision): class 0 blue circles, class 1 vermillion squares; the
# loss curves: train blue and solid, test orange and dashed. Shape and line style carry what colour does.
CLASS_STYLE = ((0, "o", "#0072B2"), (1, "s", "#D55E00"))
TRAIN_COLOR, TEST_COLOR = "#0072B2", "#E69F00"
# The Start button's green, darker than ipywidgets' "success" style: white text on it has 5.1:1 contrast
# (ipywidgets' #4caf50 has 2.8:1, under WCAG's 4.5:1).
START_COLOR = "#2e7d32"


class Playground:
    """A 2-D classification problem, a network that learns it one minibatch step at a time, and its history.

    Settings: ``dataset`` ("xor", "circles", "moons", "spirals"), ``n`` points (``test_fraction`` of them held
    out), ``noise`` (None: the data set's default in ``DEFAULT_NOISE``), ``hidden`` widths of the hidden layers
    (``()`` is logistic regression), hidden ``activation``, ``learning_rate``, ``l2`` (penalty lambda/2
    sum ||W||^2), ``batch_size``, ``optimizer`` (a name from :mod:`lib.optimizers`) and ``seed`` (data,
    split, initial weights and minibatch order). The output is one sigmoid unit with the binary cross-entropy.

    ``history`` holds "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy", recorded once
    before training and after every step: entry k is the state after k steps (the losses are the mean binary
    cross-entropy, without the L2 penalty, so train and test compare).

    Introduced in chapter 10.
    """

    # In the widget, Start trains chunks of `steps_per_chunk` steps with a pause of `chunk_pause` seconds
    # between them (the kernel handles a click or a moved slider then) and redraws at most `max_frame_rate`
    # times a second: a frame costs about 15 ms and a 56 KB JPEG, so on a shared hub more steps per frame
    # are cheaper than more frames. `max_steps` caps one run.
    steps_per_chunk = 5
    chunk_pause = 0.02
    max_frame_rate = 15
    max_steps = 5000
    # The loss axis scales to the losses of the last `loss_window` steps (see _loss_axis_top).
    loss_window = 200

    def __init__(self, dataset="xor", n=200, noise=None, hidden=(4, 4), activation="tanh", learning_rate=0.1,
                 l2=0.0, batch_size=10, optimizer="sgd", test_fraction=0.3, seed=0):
        self.dataset = _validate.choice("dataset", dataset, {name: name for name in DATASETS})
        self.n = _validate.positive_number("n", n, integer=True)
        if self.n < 10:
            raise ValueError(f"n: expected at least 10 points, got {n}")
        self.noise = DEFAULT_NOISE[dataset] if noise is None else _non_negative("noise", noise)
        self.hidden = _widths(hidden)
        self.activation = _validate.choice("activation", activation, {name: name for name in ACTIVATIONS})
        self.learning_rate = float(_validate.positive_number("learning_rate", learning_rate))
        self.l2 = _non_negative("l2", l2)
        self.batch_size = _validate.positive_number("batch_size", batch_size, integer=True)
        self.optimizer_name = optimizer
        if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real) or not 0 < test_fraction < 1:
            raise ValueError(f"test_fraction: expected a fraction in (0, 1), got {test_fraction!r}")
        self.test_fraction = float(test_fraction)
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise TypeError(f"seed: expected a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread = None
        self._widget = None
        self._syncing = False
        self.reset()

    # ----- the model ----------------------------------------------------------------------------------------
    def reset(self):
        """Draw the data, split it, initialise the network and the optimizer, and clear the history.

        The same settings give the same data, weights and minibatch order, so a reset run repeats exactly.
        Returns the playground.

        Introduced in chapter 10.
        """
        with self._lock:
            X, y = DATASETS[self.dataset](n=self.n, noise=self.noise, seed=self.seed)
            self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
                X, y, test_size=self.test_fraction, seed=self.seed, stratify=y)
            self._Y_train = self.y_train[:, None].astype(np.float64)
            self._Y_test = self.y_test[:, None].astype(np.float64)
            self._X_all = np.vstack([self.X_train, self.X_test])
            self.network = FeedForwardNetwork([2, *self.hidden, 1], hidden_activation=self.activation,
                                              output_activation="sigmoid", loss="binary_cross_entropy",
                                              seed=self.seed, l2=self.l2)
            self.optimizer = get_optimizer(self.optimizer_name, self.learning_rate)
            self._rng = np.random.default_rng(self.seed)
            self._order = self._rng.permutation(len(self.X_train))
            self._position = 0
            self.history = {key: [] for key in HISTORY_KEYS}
            self._figure = None
            self._record()
            self._draw()
        return self

    def _next_batch(self):
        """Indices of the next minibatch: the training set is walked through in a fresh shuffled order each epoch."""
        if self._position + self.batch_size > len(self._order):
            self._order = self._rng.permutation(len(self.X_train))
            self._position = 0
        batch = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        return batch

    def step(self, n=1):
        """Train `n` steps (one minibatch and one optimizer update each), record the history, redraw; return self.

        Raises :class:`lib.network.DivergenceError` when the loss stops being finite (learning rate too large).

        Introduced in chapter 10.
        """
        n = _validate.positive_number("n", n, integer=True)
        with self._lock:
            self._train(n)
            self._draw()
        return self

    def _train(self, n):
        """Train `n` steps and record the history, without redrawing (see :meth:`step`)."""
        with self._lock:
            network = self.network
            network.l2 = self.l2
            self.optimizer.learning_rate = self.learning_rate
            params = network.weights + network.biases
            for _ in range(n):
                batch = self._next_batch()
                # Overflow is not warned about: a diverging loss is caught just below, with advice.
                with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                    dW, db = network.gradients(self.X_train[batch], self._Y_train[batch])
                    self.optimizer.update(params, dW + db)
                self._record()
                if not math.isfinite(self.history["train_loss"][-1]):
                    raise DivergenceError(
                        f"training diverged at step {self.history['step'][-1]} with learning_rate="
                        f"{self.learning_rate}: the loss became {self.history['train_loss'][-1]}; "
                        f"lower the learning rate and reset")

    def _record(self):
        """Append the current losses and accuracies on the training and the test set to the history."""
        network, history = self.network, self.history
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            a = network.forward(self._X_all)  # one forward pass for both parts: this runs after every step
            for part, rows, Y, y in (("train", slice(None, len(self.y_train)), self._Y_train, self.y_train),
                                     ("test", slice(len(self.y_train), None), self._Y_test, self.y_test)):
                history[f"{part}_loss"].append(float(network.loss_function.value(a[rows], Y)))
                history[f"{part}_accuracy"].append(float(np.mean((a[rows, 0] > 0.5) == y)))
        history["step"].append(len(history["step"]))

    @property
    def steps(self):
        """The number of training steps taken since the last reset.

        Introduced in chapter 10.
        """
        return self.history["step"][-1]

    def summary(self):
        """One line: step, train and test loss and accuracy.

        Introduced in chapter 10.
        """
        h = self.history
        return (f"step {h['step'][-1]}: train loss {h['train_loss'][-1]:.3f}, accuracy {h['train_accuracy'][-1]:.0%}"
                f" | test loss {h['test_loss'][-1]:.3f}, accuracy {h['test_accuracy'][-1]:.0%}")

    def __repr__(self):
        hidden = "-".join(map(str, self.hidden)) or "none"
        # two lines, so that a printed playground fits the book's text column
        return (f"Playground({self.dataset}, hidden={hidden}, {self.activation}, lr={self.learning_rate:g}, "
                f"l2={self.l2:g}, batch={self.batch_size};\n  {self.summary()})")

    # ----- the figure ---------------------------------------------------------------------------------------
    def figure_image(self):
        """The current figure (decision boundary with the data, train and test loss curves) as JPEG bytes.

        JPEG, not PNG: a frame is encoded on every redraw and JPEG encodes about ten times faster; with 4:4:4
        colour and quality 90 lines and text stay sharp.

        Introduced in chapter 10.
        """
        from PIL import Image

        with self._lock:
            if self._figure is None:
                self._build_figure()
            self._update_figure()
            canvas = self._figure.canvas
            buffer = io.BytesIO()
            Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB").save(
                buffer, format="jpeg", quality=90, subsampling=0)
            return buffer.getvalue()

    def _build_figure(self):
        """Create the figure; the artists that change are `animated` so that frames are blitted (see _update_figure).

        No pyplot (nothing is shown twice in a notebook), a fixed layout and no mathtext: text is what costs most.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure

        # 720 x 288 pixels, drawn at 96 dpi so that 9-10 pt text is readable when shown 720 px wide
        self._figure = figure = Figure(figsize=(7.5, 3), dpi=96)
        FigureCanvasAgg(figure)
        # right=0.955 leaves room for half of the last tick label of the loss axis (up to "12800")
        figure.subplots_adjust(left=0.07, right=0.955, bottom=0.15, top=0.85, wspace=0.22)
        self._ax_boundary, self._ax_loss = ax, ax_loss = figure.subplots(1, 2, width_ratios=[1, 1.25])
        X = np.vstack([self.X_train, self.X_test])
        low, high = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
        g1, g2 = np.meshgrid(np.linspace(low[0], high[0], 60), np.linspace(low[1], high[1], 60))
        self._grid_shape, self._grid_axes = g1.shape, (g1, g2)
        self._grid = np.column_stack([g1.ravel(), g2.ravel()])
        self._image = ax.imshow(np.full(g1.shape, 0.5), origin="lower", extent=(low[0], high[0], low[1], high[1]),
                                cmap="RdBu_r", vmin=0, vmax=1, alpha=0.6, aspect="auto", interpolation="bilinear",
                                animated=True)
        # The boundary a^L = 0.5 as line segments from contourpy (what ax.contour uses, without its overhead).
        self._boundary = LineCollection([], colors="black", linewidths=1.5, animated=True)
        ax.add_collection(self._boundary, autolim=False)
        self._points = []  # Line2D markers: drawn several times faster than scatter collections
        for label, marker, color in CLASS_STYLE:
            train, test = self.y_train == label, self.y_test == label
            self._points += ax.plot(*self.X_train[train].T, linestyle="none", marker=marker, markersize=4.7,
                                    markerfacecolor=color, markeredgecolor="black", markeredgewidth=0.5, animated=True)
            self._points += ax.plot(*self.X_test[test].T, linestyle="none", marker=marker, markersize=4.7,
                                    markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.2, animated=True)
        hidden = "-".join(map(str, self.hidden))
        # The title is the legend: a legend box would hide points of some data set wherever it stood.
        ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), xlabel="x1", ylabel="x2",
               title=f"{self.dataset}, network 2-{hidden + '-' if hidden else ''}1 ({self.activation})\n"
                     "shade: P(class 1); squares: class 1; filled train, hollow test")
        ax.title.set_fontsize(9)
        self._train_line, = ax_loss.plot([], [], color=TRAIN_COLOR, label="train loss", animated=True)
        self._test_line, = ax_loss.plot([], [], color=TEST_COLOR, linestyle="--", label="test loss", animated=True)
        ax_loss.set(xlabel="training step", ylabel="binary cross-entropy", title="Loss (train and test)",
                    xlim=(0, 100), ylim=(0, 1))
        ax_loss.title.set_fontsize(10)
        ax_loss.grid(alpha=0.3)
        ax_loss.legend(loc="upper right", fontsize=8)
        self._background = None

    def _update_figure(self):
        """Redraw what changes: the network's output over the plane, its 0.5 contour, the loss curves.

        Blitting: the static part (axes, ticks, labels, legends) is drawn once and kept as a background; a frame
        restores it and draws only the animated artists. The loss axes grow by doubling, so the full redraw
        happens only a few times per run.
        """
        import contourpy

        ax, ax_loss, h = self._ax_boundary, self._ax_loss, self.history
        with np.errstate(over="ignore", invalid="ignore"):
            p = self.network.forward(self._grid)[:, 0].reshape(self._grid_shape)
        self._image.set_data(p)
        finite = np.all(np.isfinite(p))
        self._boundary.set_segments(contourpy.contour_generator(*self._grid_axes, p).lines(0.5) if finite else [])
        self._train_line.set_data(h["step"], h["train_loss"])
        self._test_line.set_data(h["step"], h["test_loss"])
        y_top = self._loss_axis_top(y_max := ax_loss.get_ylim()[1])
        x_max = ax_loss.get_xlim()[1]
        if h["step"][-1] > x_max or y_top != y_max:
            while x_max < h["step"][-1]:
                x_max *= 2
            ax_loss.set(xlim=(0, x_max), ylim=(0, y_top))
            self._background = None
        canvas = self._figure.canvas
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self._figure.bbox)
        canvas.restore_region(self._background)
        for artist in [self._image, self._boundary, *self._points]:
            ax.draw_artist(artist)
        ax_loss.draw_artist(self._train_line)
        ax_loss.draw_artist(self._test_line)

    def _loss_axis_top(self, current):
        """The top of the loss axis: it grows to show the recent losses and shrinks again after a spike.

        The recent window is the last ``loss_window`` steps. The axis grows at once when a recent loss is above it
        and shrinks (never below 1) when the recent losses use less than a third of it, so that the curve fills
        the panel again a while after a spike; both are rare, so the full redraw stays rare.
        """
        h = self.history
        recent = [v for v in h["train_loss"][-self.loss_window:] + h["test_loss"][-self.loss_window:]
                  if math.isfinite(v)]
        largest = max(recent, default=1.0)
        if largest > current or (current > 1.0 and 3 * largest < current):
            return max(1.0, 1.2 * largest)
        return current

    def figure_description(self):
        """The figure in words (the widget's image description, read out by a screen reader).

        Introduced in chapter 10.
        """
        h = self.history
        hidden = "-".join(map(str, self.hidden))
        return (f"Left: the {self.dataset} data set in the plane (x1, x2), class 0 as circles and class 1 as "
                f"squares, filled for training and hollow for test points, over shading that shows the network "
                f"2-{hidden + '-' if hidden else ''}1's probability of class 1, with its decision boundary as a "
                f"black line. Right: train loss (solid) and test loss (dashed) against training steps. After "
                f"{h['step'][-1]} steps the network classifies {h['train_accuracy'][-1]:.0%} of the training and "
                f"{h['test_accuracy'][-1]:.0%} of the test points correctly.")

    def _say(self, text, announce=True):
        """Write the status line. It is a live region (role="status"): a screen reader reads out what it says
        after Step, Pause, Reset, a stop or an error, but not every frame of a run (aria-live="off" meanwhile)."""
        live = "polite" if announce else "off"
        self._status.value = f'<div role="status" aria-live="{live}">{html.escape(text, quote=False)}</div>'

    def _draw(self, announce=True):
        """Show the current state in the widget, if one was built (the programmatic face draws nothing)."""
        if self._widget is not None:
            self._picture.value = self.figure_image()
            self._picture.tooltip = self.figure_description()
            text = self.summary()
            if self.steps >= self.max_steps:
                h = self.history
                announce = True
                text = (f"stopped at {self.steps} steps (the limit): Reset to start again. "
                        f"Accuracy: train {h['train_accuracy'][-1]:.0%}, test {h['test_accuracy'][-1]:.0%}")
            self._say(text, announce)

    # ----- the widget ---------------------------------------------------------------------------------------
    @property
    def widget(self):
        """The interactive playground (ipywidgets): controls, Start/Pause/Step/Reset, and the live figure.

        Introduced in chapter 10.
        """
        if self._widget is None:
            self._widget = self._build_widget()
            self._draw()
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _build_widget(self):
        import ipywidgets as w

        # Three columns of controls fit the book's text column (about 690 px) and a notebook alike: a column
        # squeezed below its controls' width would cut their right edge off.
        style, wide = {"description_width": "68px"}, w.Layout(width="224px")
        self._controls = {
            "dataset": w.Dropdown(options=list(DATASETS), value=self.dataset, description="data set",
                                  style=style, layout=wide),
            "noise": w.FloatSlider(value=self.noise, min=0.0, max=max(0.5, self.noise), step=0.01, description="noise",
                                   style=style, layout=wide),
            "n": w.IntSlider(value=self.n, min=min(20, self.n), max=max(1000, self.n), step=10, description="points",
                             style=style, layout=wide),
            "hidden": w.Text(value=", ".join(map(str, self.hidden)), description="hidden",
                             tooltip="widths of the hidden layers, e.g. 4, 4",
                             placeholder="e.g. 4, 4 (empty: none)", style=style, layout=wide),
            "activation": w.Dropdown(options=list(ACTIVATIONS), value=self.activation, description="activation",
                                     style=style, layout=wide),
            "learning_rate": w.SelectionSlider(options=_with(LEARNING_RATES, self.learning_rate),
                                               value=self.learning_rate, description="learn. rate",
                                               style=style, layout=wide),
            "l2": w.SelectionSlider(options=_with(L2_STRENGTHS, self.l2), value=self.l2, description="L2",
                                    style=style, layout=wide),
            "batch_size": w.IntSlider(value=self.batch_size, min=1, max=max(100, self.batch_size),
                                      description="batch size",
                                      style=style, layout=wide),
        }
        for control in self._controls.values():
            control.continuous_update = False
            control.observe(self._on_control, names="value")
        buttons = {
            "start": w.Button(description="Start", icon="play", tooltip="train until paused",
                              style={"button_color": START_COLOR, "text_color": "white"}),
            "pause": w.Button(description="Pause", icon="pause", disabled=True, tooltip="stop after this frame"),
            "step": w.Button(description="Step", icon="step-forward", tooltip="train one minibatch step"),
            "reset": w.Button(description="Reset", icon="refresh", tooltip="new data and weights from the seed"),
        }
        buttons["start"].on_click(lambda _: self.start())
        buttons["pause"].on_click(lambda _: self.pause())
        buttons["step"].on_click(lambda _: self._guarded(self.step))
        buttons["reset"].on_click(lambda _: self._on_reset())
        self._buttons = buttons
        # The status line is a live region (see _say); the image's tooltip is its text alternative (see
        # _described_image).
        self._status = w.HTML()
        self._picture = _described_image(format="jpeg", layout=w.Layout(width="720px", max_width="100%", height="auto"))
        c = self._controls
        column = w.Layout(flex="0 0 auto")  # never narrower than its controls
        columns = w.HBox([
            w.VBox([w.HTML("<b>Data</b>"), c["dataset"], c["noise"], c["n"]], layout=column),
            w.VBox([w.HTML("<b>Network</b>"), c["hidden"], c["activation"]], layout=column),
            w.VBox([w.HTML("<b>Training</b>"), c["learning_rate"], c["l2"], c["batch_size"]], layout=column),
        ], layout=w.Layout(flex_flow="row wrap"))
        return w.VBox([columns, w.HBox(list(buttons.values())), self._status, self._picture])

    def _on_control(self, change):
        """A control changed: training settings apply at the next step; data and network settings reset."""
        if self._syncing:
            return
        name, value = next((k, v.value) for k, v in self._controls.items() if v is change["owner"])
        if name in ("learning_rate", "l2", "batch_size"):
            with self._lock:
                setattr(self, name, value)
            return
        if name == "hidden":
            try:
                value = _widths(value)
            except (TypeError, ValueError) as error:
                self._say(str(error))
                return
        self.pause()
        with self._lock:
            setattr(self, name, value)
            if name == "dataset":
                # Each data set starts with its own noise; show it without triggering a second reset.
                self.noise = DEFAULT_NOISE[value]
                self._syncing = True
                try:
                    self._controls["noise"].value = self.noise
                finally:
                    self._syncing = False
        self.reset()

    def _on_reset(self):
        self.pause()
        self.reset()

    def _guarded(self, action):
        """Run a training action for a button; a diverging run stops with its message in the status line."""
        try:
            action()
        except DivergenceError as error:
            self._say(str(error))
            return False
        return True

    # ----- running in the background ------------------------------------------------------------------------
    @property
    def running(self):
        """True while the background training started by :meth:`start` runs.

        Introduced in chapter 10.
        """
        return self._thread is not None and self._thread.is_alive()

    def start(self):
        """Train in a background thread, in chunks of ``steps_per_chunk`` steps, until :meth:`pause` or ``max_steps``.

        The figure is redrawn at most ``max_frame_rate`` times a second (15), and once more when the run stops;
        :meth:`step` (the Step button) redraws at once.

        A run stops by itself after ``max_steps`` steps (5000), so a forgotten playground does not train forever;
        the status line then says so, and Start does nothing until a Reset. :meth:`step` is not capped.

        Introduced in chapter 10.
        """
        if self.running:
            return
        if self.steps >= self.max_steps:
            self._draw()  # shows "reached ... steps: Reset to start again" in the status line
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="playground", daemon=True)
        self._set_running(True)
        self._thread.start()

    def pause(self, timeout=10.0):
        """Stop the background training after the current chunk and wait for it.

        Introduced in chapter 10.
        """
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._set_running(False)

    def _run(self):
        frame_interval = 1.0 / self.max_frame_rate
        last_frame = time.monotonic()
        try:
            while not self._stop.is_set() and self.steps < self.max_steps:
                if not self._guarded(lambda: self._train(self.steps_per_chunk)):
                    break  # diverged: the status line shows why, the last frame stays
                if time.monotonic() - last_frame >= frame_interval:
                    last_frame = time.monotonic()
                    self._draw(announce=False)  # 15 frames a second: too many to read out
                # Let the kernel handle messages (a click on Pause, a moved slider) between two chunks.
                time.sleep(self.chunk_pause)
            else:
                self._draw()  # paused or at max_steps: show the last step
        finally:
            self._set_running(False)

    def _set_running(self, running):
        if self._widget is not None:
            self._buttons["start"].disabled = running
            self._buttons["pause"].disabled = not running


@functools.cache
def _described_image_class():
    import ipywidgets
    from traitlets import Unicode

    class DescribedImage(ipywidgets.Image):
        """An ipywidgets Image whose `tooltip` is its text alternative: the widget renderer writes it as the <img>'s
        title, which names the image for assistive technology. The empty `description` is needed for that: the
        renderer reads the description's length before it sets a title, and Image has none, so a plain Image with a
        tooltip fails to render (ipywidgets 8.1). Its default is None so that the "" set below is saved with the
        widget state even where default values are left out."""

        description = Unicode(None, allow_none=True).tag(sync=True)

    return DescribedImage


def _described_image(**kwargs):
    return _described_image_class()(description="", **kwargs)


def _non_negative(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{name}: expected a non-negative number, got {value!r}")
    return float(value)


def _widths(hidden):
    """Hidden-layer widths from a sequence of positive integers or a text like "4, 4" (empty: no hidden layer)."""
    if isinstance(hidden, str):
        parts = [part for part in hidden.replace(",", " ").split() if part]
        if not all(part.isdigit() for part in parts):
            raise ValueError(f"hidden: expected widths like '4, 4', got {hidden!r}")
        hidden = [int(part) for part in parts]
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool):
        hidden = [hidden]
    try:
        widths = tuple(hidden)
    except TypeError:
        raise TypeError(f"hidden: expected a sequence of layer widths such as (4, 4), got {hidden!r}") from None
    for width in widths:
        _validate.positive_number("hidden", width, integer=True)
    if len(widths) > 6 or any(width > 64 for width in widths):
        raise ValueError(f"hidden: expected at most 6 layers of at most 64 units (a playground), got {widths}")
    return tuple(int(width) for width in widths)


def _with(options, value):
    """The options of a selection slider, including `value` if it is not one of them."""
    return sorted(set(options) | {value})


def playground(dataset="xor", **settings):
    """Return a :class:`Playground` on `dataset`; end a cell with it (or its ``.widget``) to get the controls.

    ``settings``: n, noise, hidden, activation, learning_rate, l2, batch_size, optimizer, test_fraction, seed
    (see :class:`Playground`). With the defaults, ``playground("xor").step(500)`` classifies every training
    point correctly.

    Introduced in chapter 10.
    """
    return Playground(dataset=dataset, **settings)
