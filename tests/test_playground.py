"""The network playground (chapter 10): its programmatic face, its widget, and its background training."""

import io
import time

import numpy as np
import pytest

from lib.network import DivergenceError
from lib.playground import DATASETS, HISTORY_KEYS, Playground, playground


def test_defaults_reach_full_training_accuracy_on_xor():
    pg = playground(dataset="xor").step(500)
    assert pg.history["train_accuracy"][-1] == 1.0
    assert pg.history["test_accuracy"][-1] >= 0.95


def test_history_has_one_entry_per_step_plus_the_start():
    pg = playground().step(7)
    assert set(HISTORY_KEYS) <= set(pg.history)
    assert all(len(values) == 8 for values in pg.history.values())
    assert pg.history["step"] == list(range(8))
    assert pg.steps == 7
    assert all(0 <= a <= 1 for a in pg.history["train_accuracy"] + pg.history["test_accuracy"])


def test_same_settings_and_reset_reproduce_a_run():
    a = playground(dataset="moons", seed=3).step(40)
    b = playground(dataset="moons", seed=3).step(40)
    assert a.history == b.history
    first = a.history
    a.reset()
    assert a.steps == 0
    assert a.step(40).history == first
    c = playground(dataset="moons", seed=4).step(40)
    assert c.history["train_loss"] != first["train_loss"]


def test_a_step_is_one_minibatch_through_lib_gradients_and_sgd():
    """No second copy of backprop: one step equals W - eta * dW from FeedForwardNetwork.gradients on the batch."""
    pg = playground(batch_size=8, learning_rate=0.3, l2=0.01)
    weights = [W.copy() for W in pg.network.weights]
    batch = np.random.default_rng(pg.seed).permutation(len(pg.X_train))[:8]
    dW, _ = pg.network.gradients(pg.X_train[batch], pg.y_train[batch, None])
    pg.step()
    for W_before, dW_l, W_after in zip(weights, dW, pg.network.weights, strict=True):
        np.testing.assert_allclose(W_after, W_before - 0.3 * dW_l, rtol=1e-12)


def test_training_settings_change_without_a_reset():
    pg = playground().step(5)
    pg.learning_rate, pg.l2, pg.batch_size = 0.3, 0.001, 20
    pg.step(5)
    assert pg.steps == 10
    assert pg.optimizer.learning_rate == 0.3 and pg.network.l2 == 0.001


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_trains(dataset):
    pg = playground(dataset=dataset, n=100, hidden=(6, 6)).step(100)
    assert pg.history["train_loss"][-1] < pg.history["train_loss"][0]
    assert pg.X_train.shape[1] == 2 and len(pg.X_train) + len(pg.X_test) == 100


def test_without_hidden_layer_xor_stays_unsolved():
    """Logistic regression (no hidden layer) cannot separate XOR: the chapter's first experiment."""
    pg = playground(dataset="xor", hidden=()).step(500)
    assert pg.history["train_accuracy"][-1] < 0.8


def test_a_non_finite_loss_stops_training_with_advice():
    pg = playground()
    assert pg.widget is not None  # built: the buttons and the picture exist from here on
    pg.network.weights[0][0, 0] = np.nan  # where a far too large learning rate can end
    with pytest.raises(DivergenceError, match="learning_rate"):
        pg.step()
    pg._buttons["step"].click()  # in the widget, the message goes to the status line instead
    assert "diverged" in pg._status.value


@pytest.mark.parametrize(("settings", "error", "word"), [
    ({"dataset": "iris"}, ValueError, "dataset"),
    ({"n": 5}, ValueError, "n"),
    ({"n": 10.5}, TypeError, "n"),
    ({"noise": -0.1}, ValueError, "noise"),
    ({"hidden": "4, x"}, ValueError, "hidden"),
    ({"hidden": (4, 0)}, ValueError, "hidden"),
    ({"hidden": 3.5}, TypeError, "hidden"),
    ({"activation": "swish"}, ValueError, "activation"),
    ({"learning_rate": 0}, ValueError, "learning_rate"),
    ({"l2": float("nan")}, ValueError, "l2"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"optimizer": "newton"}, ValueError, "optimizer"),
    ({"test_fraction": 1.0}, ValueError, "test_fraction"),
    ({"seed": -1}, TypeError, "seed"),
])
def test_bad_settings_name_the_argument(settings, error, word):
    with pytest.raises(error, match=word):
        Playground(**settings)


def test_step_count_must_be_positive():
    with pytest.raises(ValueError, match="n"):
        playground().step(0)


def test_hidden_widths_accept_text_and_integers():
    assert playground(hidden="8, 8").hidden == (8, 8)
    assert playground(hidden="").hidden == ()
    assert playground(hidden=3).hidden == (3,)


def test_figure_is_an_image_and_changes_when_the_network_learns():
    from PIL import Image

    pg = playground()
    before = pg.figure_image()
    image = Image.open(io.BytesIO(before))
    assert image.format == "JPEG" and image.size == (720, 288)
    assert pg.step(50).figure_image() != before


def test_the_widget_shows_controls_buttons_status_and_figure():
    import ipywidgets

    pg = playground()
    widget = pg.widget
    assert isinstance(widget, ipywidgets.VBox) and pg.widget is widget
    assert {b.description for b in pg._buttons.values()} == {"Start", "Pause", "Step", "Reset"}
    assert pg._picture.value[:3] == b"\xff\xd8\xff"
    assert "step 0" in pg._status.value
    assert "application/vnd.jupyter.widget-view+json" in pg._repr_mimebundle_()


def test_the_widget_is_accessible():
    """Every control has a name; the status line is a live region; the figure has a description; Start's text
    reads at WCAG's 4.5:1 contrast (issue 16)."""
    import ipywidgets
    from matplotlib.colors import to_rgb

    def luminance(color):
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(color)]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    pg = playground()
    assert pg.widget is not None  # builds the widget
    controls = [*pg._controls.values(), *pg._buttons.values()]
    assert all(c.description.strip() for c in controls), [c for c in controls if not c.description.strip()]
    assert isinstance(pg._status, ipywidgets.HTML)
    assert pg._status.value.startswith('<div role="status" aria-live="polite">step 0: ')
    description = pg._picture.tooltip
    assert "xor" in description and "decision boundary" in description and "After 0 steps" in description
    pg._buttons["step"].click()
    assert "After 1 steps" in pg._picture.tooltip
    start = pg._buttons["start"].style
    high, low = sorted((luminance(start.button_color), luminance(start.text_color)), reverse=True)
    assert (high + 0.05) / (low + 0.05) >= 4.5


def test_the_status_line_is_not_read_out_on_every_frame_of_a_run():
    pg = playground()
    assert pg.widget is not None  # builds the widget
    values = []
    pg._status.observe(lambda change: values.append(change["new"]), names="value")
    pg.start()
    deadline = time.monotonic() + 20
    while len(values) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    pg.pause()
    assert len(values) >= 3, "no frames while running"
    assert all('aria-live="off"' in v for v in values[:-1]), values[:3]
    assert 'aria-live="polite"' in values[-1]  # the state at Pause is read out


def test_buttons_and_controls_drive_the_model():
    pg = playground()
    assert pg.widget is not None  # built: the buttons and the picture exist from here on
    picture = pg._picture.value
    pg._buttons["step"].click()
    assert pg.steps == 1 and pg._picture.value != picture and "step 1" in pg._status.value
    pg._controls["learning_rate"].value = 0.3
    assert pg.learning_rate == 0.3 and pg.steps == 1  # a training setting: no reset
    pg._controls["dataset"].value = "circles"
    assert pg.dataset == "circles" and pg.steps == 0  # a data setting: reset
    assert pg.noise == pg._controls["noise"].value == 0.1
    pg._controls["hidden"].value = "3"
    assert pg.network.layer_sizes == [2, 3, 1]
    pg._controls["hidden"].value = "three"
    assert "hidden" in pg._status.value and pg.hidden == (3,)  # a typo is reported, nothing changes
    pg.step(3)
    pg._buttons["reset"].click()
    assert pg.steps == 0


def test_start_trains_in_the_background_and_pause_stops_it():
    pg = playground()
    assert pg.widget is not None  # built: the buttons and the picture exist from here on
    pg._buttons["start"].click()
    try:
        deadline = time.monotonic() + 20
        while pg.steps < 2 * pg.steps_per_chunk and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pg.running and pg._buttons["start"].disabled and not pg._buttons["pause"].disabled
    finally:
        pg._buttons["pause"].click()
    assert not pg.running and not pg._buttons["start"].disabled
    steps = pg.steps
    assert steps >= 2 * pg.steps_per_chunk
    time.sleep(0.1)
    assert pg.steps == steps


def test_background_training_stops_at_max_steps():
    pg = playground()
    pg.max_steps, pg.chunk_pause = 30, 0.0
    pg.start()
    pg._thread.join(20)
    assert not pg.running and pg.max_steps <= pg.steps < pg.max_steps + pg.steps_per_chunk


def test_background_training_caps_the_frame_rate_and_shows_the_last_step():
    pg = playground()
    assert pg.widget is not None
    frames = []  # the step shown by each new frame
    pg._picture.observe(lambda change: frames.append(pg.steps), names="value")
    started = time.monotonic()
    pg.start()
    time.sleep(1.5)
    pg.pause()
    elapsed = time.monotonic() - started
    # at most max_frame_rate frames a second (plus the last one), with several chunks of steps per frame
    assert 2 <= len(frames) <= pg.max_frame_rate * elapsed + 2
    assert pg.steps > pg.steps_per_chunk * len(frames)
    assert frames[-1] == pg.steps  # the final frame shows the state after the last step
    steps = pg.steps
    pg._buttons["step"].click()  # Step redraws at once
    assert pg.steps == steps + 1 and frames[-1] == steps + 1


def test_start_at_max_steps_says_to_reset_and_does_not_train():
    pg = playground()
    assert pg.widget is not None
    pg.max_steps, pg.chunk_pause = 10, 0.0
    pg.start()
    pg._thread.join(20)
    assert "Reset to start again" in pg._status.value
    steps = pg.steps
    pg._buttons["start"].click()
    assert not pg.running and pg.steps == steps and "Reset to start again" in pg._status.value
    pg._buttons["reset"].click()
    assert pg.steps == 0 and "Reset" not in pg._status.value


def test_loss_axis_grows_for_a_spike_and_shrinks_after_it():
    pg = playground().step(5)
    pg.figure_image()
    assert pg._ax_loss.get_ylim()[1] == 1.0
    pg.history["train_loss"][-1] = 40.0  # a spike, as a too large learning rate makes
    pg.figure_image()
    assert pg._ax_loss.get_ylim()[1] >= 40.0
    pg.step(pg.loss_window + 5)
    pg.figure_image()
    assert pg._ax_loss.get_ylim()[1] == pytest.approx(1.0)


def test_repr_lines_fit_the_text_column():
    text = repr(playground(dataset="spirals", hidden=(16, 16), learning_rate=0.003).step(3))
    assert "step 3" in text and max(len(line) for line in text.splitlines()) <= 88


def test_controls_fit_three_columns_of_the_text_column():
    pg = playground()
    assert pg.widget is not None
    widths = {control.layout.width for control in pg._controls.values()}
    assert widths == {"224px"} and 3 * (224 + 4) <= 690


def test_lib_widgets_exports_the_playground():
    import lib.widgets

    assert lib.widgets.playground is playground


def test_the_loss_axis_tick_labels_fit_in_the_figure():
    pg = playground().step(3)
    pg.figure_image()
    canvas, width = pg._figure.canvas, pg._figure.bbox.width
    for x_max in (100, 200, 400, 800, 1600, 3200, 6400):
        pg._ax_loss.set_xlim(0, x_max)
        canvas.draw()
        renderer = canvas.get_renderer()
        ticks = zip(pg._ax_loss.get_xticks(), pg._ax_loss.get_xticklabels(), strict=True)
        right = max(label.get_window_extent(renderer).x1 for x, label in ticks if 0 <= x <= x_max)
        assert right <= width - 2, (x_max, right, width)
