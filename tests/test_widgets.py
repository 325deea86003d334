"""lib.widgets.interact: live controls in Jupyter, and a saved snapshot at the defaults for the static book."""

import nbformat
import pytest
from nbclient import NotebookClient

from lib.widgets import interact


def test_interact_returns_the_controls_and_an_output_area_at_the_defaults():
    calls = []

    def show(gate="or", hidden=3, flag=False):
        calls.append((gate, hidden, flag))

    widget = interact(show, gate=["and", "or", "xor"], hidden=(1, 8, 1), flag=False)
    assert [type(child).__name__ for child in widget.children] == ["Dropdown", "IntSlider", "Checkbox", "Output"]
    assert widget.kwargs == {"gate": "or", "hidden": 3, "flag": False}
    assert calls == [("or", 3, False)]  # run once, at the function's defaults
    assert widget.children[1].continuous_update is False  # one redraw per release, not per pixel


def test_an_error_at_the_defaults_is_raised_not_hidden_in_the_widget():
    def broken(x=1):
        raise ValueError("the figure failed")

    with pytest.raises(ValueError, match="the figure failed"):
        interact(broken, x=(0, 2))


def test_interact_rejects_a_non_function():
    with pytest.raises(TypeError, match="f: expected a function"):
        interact(3, x=(0, 1))


SNAPSHOT_NOTEBOOK = '''
import matplotlib.pyplot as plt
from lib.widgets import interact

def draw(slope=2.0, colour="red"):
    plt.plot([0, 1], [0, slope], color=colour)
    plt.title(f"slope {slope}")
    plt.show()

interact(draw, slope=(0.0, 4.0, 0.5), colour=["blue", "red"])
'''


def test_the_executed_notebook_saves_controls_and_the_figure_at_the_defaults(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SNAPSHOT_NOTEBOOK)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(notebook, timeout=30, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    view = next(out for out in notebook.cells[0].outputs if "application/vnd.jupyter.widget-view+json" in
                out.get("data", {}))
    states = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    root = states[view["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]]
    assert root["model_name"] == "VBoxModel"
    children = [states[ref.removeprefix("IPY_MODEL_")] for ref in root["state"]["children"]]
    names = [child["model_name"] for child in children]
    assert names == ["FloatSliderModel", "DropdownModel", "OutputModel"]
    assert children[0]["state"]["value"] == 2.0
    assert children[1]["state"]["index"] == 1  # "red", the default
    outputs = children[2]["state"]["outputs"]
    assert any("image/png" in out.get("data", {}) for out in outputs), outputs
    # The figure carries its text alternative: an <img alt> that Jupyter renders in preference to the bare PNG.
    figure = next(out["data"] for out in outputs if "image/png" in out.get("data", {}))
    alt = "Figure with a plot titled 'slope 2.0', drawn at slope = 2.0, colour = 'red'."
    assert figure["text/plain"] == alt
    assert figure["text/html"].endswith(f'alt="{alt.replace(chr(39), "&#x27;")}">')
    assert figure["image/png"] in figure["text/html"]


def test_interact_names_every_control():
    import ipywidgets

    unnamed = ipywidgets.IntSlider(min=0, max=3)
    widget = interact(lambda k=1, depth=2: None, k=(0, 3), depth=unnamed)
    assert [c.description for c in widget.kwargs_widgets] == ["k", "depth"]


def test_describe_figure_says_what_the_figure_labels():
    import matplotlib.pyplot as plt

    from lib.widgets import describe_figure

    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1], label="train")
    left.plot([1, 0], label="test")
    left.set(title="Loss", xlabel="epoch", ylabel=r"cost $\frac{1}{2}\|a - y\|^2$")
    left.legend()
    right.set(xlabel="z")
    text = describe_figure(fig, {"eta": 0.1})
    plt.close(fig)
    assert text == ("Figure with 2 panels: panel 1 titled 'Loss' showing cost frac12|a - y|^2 against epoch "
                    "(legend: train, test); "
                    "panel 2 showing a value against z, drawn at eta = 0.1.")


def test_interact_rejects_a_bad_alt():
    with pytest.raises(TypeError, match="alt: expected a string or a function"):
        interact(lambda x=0: None, alt=3, x=(0, 1))
