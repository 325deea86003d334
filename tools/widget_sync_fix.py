"""Sphinx extension (and importable module): stop nbclient from stalling on cells whose widgets hold an Output.

The stall. Executing a notebook, nbclient waits for each cell's ``execute_reply`` with ``await
shell_channel.get_msg(timeout)``, a ``poll()`` on the asyncio shell socket. Meanwhile its IOPub task mimics a
front end for Output widgets (``interact`` puts the function's output in one): for every output it syncs the
widget's state back to the kernel with ``shell_channel.send(comm_msg)``, on that same socket. zmq sockets are
edge-triggered; when the kernel's reply arrives around that send, the pending poll misses its wake-up and
only finds the reply when its timeout expires. The cell then "takes" exactly the execution timeout and the
build goes on with correct outputs. Measured on a notebook of 40 ``interact`` cells with a 20 s timeout:
10 stalls in 9 runs as shipped (nbclient 0.11.0, jupyter_client 8.10.0, pyzmq 27.3.0, ipykernel 7.4.0);
none in 6 runs with this fix; none in 5 runs when the mimic sends nothing at all (which confirms the send as
the trigger). Upstream: jupyter/nbclient#312 (same symptom, not yet diagnosed there).

The fix. The Output-widget mimic sends its ``comm_msg`` on a second shell connection of the same kernel
client, so no task ever sends on the socket another task is polling. The kernel still receives every state
sync (kernel code that reads ``out.outputs`` sees the outputs), and the saved widget state is unchanged.

Used by the book build (``sphinx: local_extensions`` in ``_config.yml``) and by the tests that run notebooks
with nbclient (``tests/conftest.py``). Remove it when nbclient no longer sends on the polled socket.
"""

import zmq
from nbclient import output_widget
from nbclient.jsonutil import json_clean


def _publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
    """OutputWidget._publish_msg, sending on the client's second shell connection."""
    content = json_clean(dict(data={} if data is None else data, comm_id=self.comm_id, **keys))
    client = self.kernel_client
    message = client.session.msg(msg_type, content=content, parent=self.parent_header,
                                 metadata={} if metadata is None else metadata)
    socket = getattr(client, "_widget_sync_socket", None)
    if socket is None or socket.closed:
        socket = client._widget_sync_socket = client.connect_shell()
        socket.setsockopt(zmq.LINGER, 1000)  # never hold up the context's shutdown for long
    client.session.send(socket, message)


def apply():
    """Patch nbclient's Output-widget mimic (idempotent)."""
    output_widget.OutputWidget._publish_msg = _publish_msg


def setup(app):
    apply()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
