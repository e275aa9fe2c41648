"""Where techpm keeps its files on this machine, computed when asked (never at import time)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "techpm"


def user_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """platformdirs' answer when it is installed, else the XDG rule (`~/.local/share/techpm`)."""
    env = os.environ if environ is None else environ
    if environ is None:
        try:
            platformdirs = importlib.import_module("platformdirs")  # optional
        except ImportError:
            pass
        else:
            return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    base = env.get("XDG_DATA_HOME", "").strip()
    if not base or not Path(base).is_absolute():  # the XDG spec says to ignore relative paths
        home = env.get("HOME") or str(Path.home())
        base = str(Path(home) / ".local" / "share")
    return Path(base) / APP_NAME
