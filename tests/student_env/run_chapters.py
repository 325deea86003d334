"""Run inside the student environment: execute one notebook with nbclient and print its kernel's peak memory.

Usage: python run_chapters.py NOTEBOOK   (prints one JSON line: the notebook, seconds, the kernel's peak RSS in MB)
It uses only what binder/requirements.txt installs (nbclient comes with JupyterLab).
"""

import importlib.util
import json
import resource
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
# The book's fix for the widget-cell stall (tools/widget_sync_fix.py), so a rare stall cannot slow this test.
spec = importlib.util.spec_from_file_location("widget_sync_fix", ROOT / "tools" / "widget_sync_fix.py")
fix = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fix)
fix.apply()

path = Path(sys.argv[1])
notebook = nbformat.read(path, as_version=4)
start = time.monotonic()
NotebookClient(notebook, timeout=120, kernel_name="python3",
               resources={"metadata": {"path": str(path.parent)}}).execute()
seconds = time.monotonic() - start
# The kernel is this process's child and has exited: its peak resident memory is the children's maximum (KiB).
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"notebook": path.name, "seconds": round(seconds, 1), "kernel_peak_mb": round(peak_mb)}))
