"""tools/widget_sync_fix.py: nbclient's Output-widget mimic never sends on the shell socket it polls for replies.

Sending there made the pending poll miss the kernel's execute_reply now and then, so a cell with an `interact`
waited for the whole execution timeout (the "stalled build"). The stall itself is too rare to test for quickly;
what causes it is checked deterministically: while the notebook runs, no comm_msg goes through the polled
socket, the kernel still receives the Output widget's state, and the saved widget state holds the figure.
"""

import nbformat
from jupyter_client.channels import AsyncZMQSocketChannel
from nbclient import NotebookClient

CELLS = [
    "import time\nimport matplotlib.pyplot as plt\nimport numpy as np\nfrom lib.widgets import interact",
    "def f(a=1.0):\n    plt.plot(np.arange(3) * a)\n    plt.show()\nw = interact(f, a=(0.0, 2.0))\nw",
    "time.sleep(0.5)\nprint(len(w.out.outputs))",
]


def test_output_widget_state_goes_to_the_kernel_on_another_socket(monkeypatch):
    sent_on_polled_socket = []
    original = AsyncZMQSocketChannel.send

    def recording_send(self, msg):
        sent_on_polled_socket.append(msg["header"]["msg_type"])
        return original(self, msg)

    monkeypatch.setattr(AsyncZMQSocketChannel, "send", recording_send)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(notebook, timeout=30, kernel_name="python3").execute()

    assert "comm_msg" not in sent_on_polled_socket, "the Output-widget mimic sent on the polled shell socket"
    assert "execute_request" in sent_on_polled_socket  # the recording saw the shell channel's traffic
    assert notebook.cells[2].outputs[0]["text"].strip() == "1", "the kernel did not receive the widget's output"
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    outputs = [m["state"]["outputs"] for m in state.values() if m["model_name"] == "OutputModel"]
    assert outputs and "image/png" in outputs[0][0]["data"], "the saved widget state lost the figure"
