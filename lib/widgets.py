"""Interactive cells that stay useful in the static book.

Introduced in chapter 01. In Jupyter the controls re-run the function live; in the built book the widget
state saved at execution shows the controls and the output at the default values (moving a control there
changes nothing: live interaction needs a kernel).
"""

import base64
import contextlib
import functools
import html
import io
import re

from lib.playground import playground as playground  # re-exported: lib.widgets.playground (chapter 10)


def interact(f, alt=None, **controls):
    """Build an ipywidgets `interactive` for `f` with the given controls, run it once at the defaults, return it.

    `controls` use ipywidgets' abbreviations: a list of options gives a dropdown, a ``(min, max, step)`` tuple a
    slider, a bool a checkbox, a widget is used as is. The first value shown is `f`'s default argument when it is
    one of the options. Everything `f` prints or shows (end a plot with ``plt.show()``) goes into the widget's
    output area. Sliders update when released, not while dragging, so each figure is drawn once.

    Unlike ``ipywidgets.interact``, an exception raised by `f` at the default values is raised here, so a broken
    interactive cell fails the build and nbval instead of printing a traceback inside the widget. The widget is
    not displayed by this function: end the cell with the call (or pass the result to ``display``).

    Accessibility: every control has a description (its argument's name unless it brings its own), which is its
    accessible name. A figure that `f` shows is sent with a text alternative: `alt` (a string, or a function of
    `f`'s arguments that returns one) or else a description made from the figure itself (titles, axis labels,
    legend entries) and the values of the controls.

    Introduced in chapter 01.
    """
    import ipywidgets

    if not callable(f):
        raise TypeError(f"f: expected a function, got {type(f).__name__}")
    if alt is not None and not (isinstance(alt, str) or callable(alt)):
        raise TypeError(f"alt: expected a string or a function of the controls' values, got {type(alt).__name__}")
    errors = []

    @functools.wraps(f)
    def recorded(**kwargs):
        try:
            with _figures_with_alt_text(alt, kwargs):
                return f(**kwargs)
        except Exception as error:
            errors.append(error)
            raise

    widget = ipywidgets.interactive(recorded, **controls)
    if errors:
        raise errors[0]
    for control in widget.kwargs_widgets:
        if hasattr(control, "continuous_update"):
            control.continuous_update = False
        if not control.description:  # the accessible name (ipywidgets gives its own controls one)
            control.description = control._kwarg
    return widget


def describe_figure(figure, values=None):
    """A text alternative for a matplotlib figure, made from what it labels: each panel's title, axis labels and
    legend entries, then the controls' `values` (a dict) it was drawn at.

    Introduced in chapter 01.
    """
    panels = [ax for ax in figure.get_axes() if ax.get_visible() and ax.axison]
    parts = []
    for i, ax in enumerate(panels, 1):
        title, x, y = (_plain(text) for text in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()))
        text = f"panel {i}" if len(panels) > 1 else "a plot"
        text += f" titled '{title}'" if title else ""
        if x or y:
            text += f" showing {y or 'a value'} against {x or 'a value'}"
        legend = ax.get_legend()
        if legend is not None:
            entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
            text += f" (legend: {', '.join(entries)})" if entries else ""
        parts.append(text)
    suptitle = _plain(figure._suptitle.get_text()) if figure._suptitle is not None else ""
    head = f"Figure '{suptitle}' with " if suptitle else "Figure with "
    description = head + (f"{len(panels)} panels: " if len(panels) > 1 else "") + "; ".join(parts or ["a drawing"])
    if values:
        description += ", drawn at " + ", ".join(f"{name} = {value!r}" for name, value in values.items())
    return description + "."


def _plain(label):
    """A matplotlib label as words to read out: math text without its $ signs, backslashes and braces
    (r"$\\sigma(wx + b)$" -> "sigma(wx + b)")."""
    words = re.sub(r"\\([A-Za-z]+)", r"\1", label)
    return re.sub(r"[$\\{}]", "", words).strip()


@contextlib.contextmanager
def _figures_with_alt_text(alt, values):
    """While `f` runs in a kernel, ``plt.show()`` shows each figure as a PNG that carries its text alternative.

    Jupyter renders an image/png output as an <img> without alt; the same PNG in an HTML <img alt="..."> (which
    Jupyter prefers to image/png) reads out. Outside a kernel ``plt.show`` is left alone.
    """
    import matplotlib.pyplot as plt

    try:
        from IPython import get_ipython

        kernel = get_ipython() is not None and hasattr(get_ipython(), "kernel")
    except ImportError:
        kernel = False
    if not kernel:
        yield
        return
    from IPython.display import display

    def show(*args, **kwargs):
        for number in plt.get_fignums():
            figure = plt.figure(number)
            text = alt(**values) if callable(alt) else alt or describe_figure(figure, values)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", bbox_inches="tight")
            png = base64.b64encode(buffer.getvalue()).decode("ascii")
            display({"image/png": png, "text/plain": text,
                     "text/html": f'<img src="data:image/png;base64,{png}" alt="{html.escape(text)}">'}, raw=True)
            plt.close(figure)

    original = plt.show
    plt.show = show
    try:
        yield
    finally:
        plt.show = original
