"""The playground live in a real kernel, driven the way JupyterLab drives it: through widget comm messages.

A kernel is started in chapters/ (as JupyterLab would), runs the chapter's own import and widget cells, and is
then sent what a browser sends when a reader picks a data set, moves a slider or clicks a button. The test checks
the replies the browser would get: new JPEG frames of the figure, and the status line, and the history in the
kernel. Start/Pause run the training in a background thread: frames must keep arriving while it runs and stop
after Pause.
"""

import json
import queue
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "10_playground.ipynb"
TIMEOUT = 60


class LiveKernel:
    """A kernel and a client that keeps every iopub message (widget updates arrive between requests)."""

    def __init__(self, cwd):
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(cwd), startup_timeout=TIMEOUT)
        self.messages = []

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def _wait_idle(self, msg_id):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                msg = self.client.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            self.messages.append(msg)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                return
        raise TimeoutError(f"the kernel did not finish request {msg_id} in {TIMEOUT} s")

    def run(self, code):
        """Execute `code`; return its stdout; raise with the traceback if it failed."""
        msg_id = self.client.execute(code)
        self._wait_idle(msg_id)
        mine = [m for m in self.messages if m["parent_header"].get("msg_id") == msg_id]
        errors = [m["content"] for m in mine if m["msg_type"] == "error"]
        if errors:
            raise AssertionError("kernel error:\n" + "\n".join(errors[0]["traceback"]))
        return "".join(m["content"]["text"] for m in mine if m["msg_type"] == "stream")

    def send_comm(self, comm_id, data):
        """Send a widget message as the browser does (an `update` of synced state, or a button's `click`)."""
        msg = self.client.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.client.shell_channel.send(msg)
        self._wait_idle(msg["header"]["msg_id"])

    def drain(self, seconds):
        """Collect the iopub messages that arrive during `seconds` (e.g. from the training thread)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.messages.append(self.client.get_iopub_msg(timeout=0.1))
            except queue.Empty:
                pass

    def updates(self, comm_id, since=0):
        """The state updates the kernel sent to the browser for widget `comm_id` (messages[since:])."""
        return [m for m in self.messages[since:] if m["msg_type"] == "comm_msg"
                and m["content"]["comm_id"] == comm_id and m["content"]["data"].get("method") == "update"]


def _frames(updates):
    """The JPEG images among widget updates (an Image widget sends its bytes as a binary buffer)."""
    return [bytes(buffer) for m in updates for buffer in m.get("buffers", []) if bytes(buffer)[:3] == b"\xff\xd8\xff"]


@pytest.fixture(scope="module")
def kernel():
    pytest.importorskip("jupyter_client")
    live = LiveKernel(CHAPTER.parent)
    try:
        notebook = nbformat.read(CHAPTER, as_version=4)
        code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        widget_cells = [cell for cell in code_cells if "nbval-ignore-output" in cell.metadata.get("tags", [])]
        assert widget_cells, "the chapter has no widget cell (tagged nbval-ignore-output)"
        live.run(code_cells[0].source)  # the chapter's imports
        live.run(widget_cells[0].source)  # creates `pg` and displays it
        yield live
    finally:
        live.close()


@pytest.fixture(scope="module")
def ids(kernel):
    """Model ids of the playground's widgets, keyed by control or button name, plus "picture" and "status"."""
    out = kernel.run("""import json
print(json.dumps({**{k: c.model_id for k, c in pg._controls.items()}, **{k: b.model_id for k, b in pg._buttons.items()},
                  "picture": pg._picture.model_id, "status": pg._status.model_id, "root": pg.widget.model_id}))""")
    return json.loads(out)


def state(kernel, expression):
    return json.loads(kernel.run(f"import json; print(json.dumps({expression}))"))


def test_the_widget_cell_displays_the_playground(kernel, ids):
    displayed = [m for m in kernel.messages if m["msg_type"] in ("display_data", "execute_result")
                 and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]]
    assert displayed, "the widget cell displayed no widget"
    assert displayed[-1]["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] == ids["root"]
    assert state(kernel, "pg.steps") == 300


def test_a_step_click_trains_and_sends_a_new_frame(kernel, ids):
    before = state(kernel, "pg.steps")
    mark = len(kernel.messages)
    kernel.send_comm(ids["step"], {"method": "custom", "content": {"event": "click"}})
    assert state(kernel, "pg.steps") == before + 1
    assert _frames(kernel.updates(ids["picture"], mark)), "no new figure was sent after Step"
    status = [m["content"]["data"]["state"].get("value", "") for m in kernel.updates(ids["status"], mark)]
    assert any(f"step {before + 1}" in s for s in status)
    assert all(s.startswith('<div role="status" aria-live="polite">') for s in status if s)  # read out


def test_changing_controls_from_the_browser_updates_the_model(kernel, ids):
    options = state(kernel, "list(pg._controls['dataset'].options)")
    mark = len(kernel.messages)
    # ipywidgets 8 syncs a Dropdown's and a SelectionSlider's choice as `index`, a Text's as `value`.
    kernel.send_comm(ids["dataset"], {"method": "update", "state": {"index": options.index("circles")},
                                      "buffer_paths": []})
    kernel.send_comm(ids["hidden"], {"method": "update", "state": {"value": "6, 3"}, "buffer_paths": []})
    rates = state(kernel, "list(pg._controls['learning_rate'].options)")
    kernel.send_comm(ids["learning_rate"], {"method": "update", "state": {"index": rates.index(0.3)},
                                            "buffer_paths": []})
    now = state(kernel, "[pg.dataset, pg.noise, list(pg.hidden), pg.learning_rate, pg.steps, pg.network.layer_sizes]")
    assert now == ["circles", 0.1, [6, 3], 0.3, 0, [2, 6, 3, 1]]
    frames = _frames(kernel.updates(ids["picture"], mark))
    assert len(frames) >= 2 and len(set(frames)) >= 2, "the figure did not follow the new data and network"
    noise = [m["content"]["data"]["state"] for m in kernel.updates(ids["noise"], mark)]
    assert {"value": 0.1} in noise, "the noise slider did not show the new data set's noise"


def test_start_and_pause_train_in_the_background(kernel, ids):
    kernel.run("pg.reset()")
    mark = len(kernel.messages)
    kernel.send_comm(ids["start"], {"method": "custom", "content": {"event": "click"}})
    deadline = time.monotonic() + TIMEOUT
    while len(set(_frames(kernel.updates(ids["picture"], mark)))) < 3 and time.monotonic() < deadline:
        kernel.drain(0.5)
    assert state(kernel, "pg.running") is True
    kernel.send_comm(ids["pause"], {"method": "custom", "content": {"event": "click"}})
    paused = state(kernel, "[pg.running, pg.steps, len(pg.history['train_loss'])]")
    assert paused[0] is False and paused[1] > 0 and paused[2] == paused[1] + 1
    frames = _frames(kernel.updates(ids["picture"], mark))
    assert len(set(frames)) >= 2, "no frames arrived while training in the background"
    history = state(kernel, "pg.history['train_loss']")
    assert history[-1] < history[0], "the training loss did not go down"
    mark = len(kernel.messages)
    kernel.drain(0.5)
    assert not _frames(kernel.updates(ids["picture"], mark)), "frames kept coming after Pause"
    assert state(kernel, "pg.steps") == paused[1]


def test_reset_click_restores_the_first_frame(kernel, ids):
    first = state(kernel, "pg.reset().figure_image().hex()")
    kernel.run("pg.step(20)")
    mark = len(kernel.messages)
    kernel.send_comm(ids["reset"], {"method": "custom", "content": {"event": "click"}})
    assert state(kernel, "pg.steps") == 0
    assert _frames(kernel.updates(ids["picture"], mark))[-1] == bytes.fromhex(first)
