"""Shared by every test: notebooks executed with nbclient must not stall on widget cells (tools/widget_sync_fix.py)."""

import importlib.util
from pathlib import Path

_path = Path(__file__).resolve().parents[1] / "tools" / "widget_sync_fix.py"
_spec = importlib.util.spec_from_file_location("widget_sync_fix", _path)
widget_sync_fix = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(widget_sync_fix)
widget_sync_fix.apply()
