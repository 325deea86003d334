"""Interactive cells that stay useful in the static book.

Introduced in chapter 01. In Jupyter the controls re-run the function live; in the built book the widget
state saved at execution shows the controls and the output at the default values (moving a control there
changes nothing: live interaction needs a kernel).
"""

import functools

from lib.playground import playground as playground  # re-exported: lib.widgets.playground (chapter 10)


def interact(f, **controls):
    """Build an ipywidgets `interactive` for `f` with the given controls, run it once at the defaults, return it.

    `controls` use ipywidgets' abbreviations: a list of options gives a dropdown, a ``(min, max, step)`` tuple a
    slider, a bool a checkbox, a widget is used as is. The first value shown is `f`'s default argument when it is
    one of the options. Everything `f` prints or shows (end a plot with ``plt.show()``) goes into the widget's
    output area. Sliders update when released, not while dragging, so each figure is drawn once.

    Unlike ``ipywidgets.interact``, an exception raised by `f` at the default values is raised here, so a broken
    interactive cell fails the build and nbval instead of printing a traceback inside the widget. The widget is
    not displayed by this function: end the cell with the call (or pass the result to ``display``).

    Introduced in chapter 01.
    """
    import ipywidgets

    if not callable(f):
        raise TypeError(f"f: expected a function, got {type(f).__name__}")
    errors = []

    @functools.wraps(f)
    def recorded(**kwargs):
        try:
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
    return widget
