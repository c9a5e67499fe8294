"""What the machine must offer for a real hub with per-trainee accounts, and where the checkout is."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy" / "tljh"
BIN = Path(sys.executable).parent
COURSE_ID = "double-eleven"
SERVICE = COURSE_ID  # the formgrader service is named after the course, as nbgrader expects


def proxy_command() -> str | None:
    """configurable-http-proxy: $D11_CHP, or on PATH."""
    found = os.environ.get("D11_CHP") or shutil.which("configurable-http-proxy")
    return found if found and Path(found).exists() else None


def blocked_folder(path: Path) -> Path | None:
    """The first folder above ``path`` that other accounts cannot enter (no o+x), if any."""
    for folder in [path, *path.parents]:
        if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def missing() -> str | None:
    """Why a real hub with per-trainee UNIX accounts cannot run here, or None."""
    if importlib.util.find_spec("jupyterhub") is None:
        return "jupyterhub is not installed in this Python (pip install -e '.[hub]')"
    if proxy_command() is None:
        return ("configurable-http-proxy is not installed (npm install -g configurable-http-proxy; "
                ".ci/setup.d/30-jupyterhub.sh does it)")
    if os.geteuid() != 0:
        return "the hub must run as root to start each trainee's server as that trainee's own UNIX account"
    if not shutil.which("useradd"):
        return "useradd is missing, so trainee accounts cannot be made"
    import course

    for path in (Path(os.path.realpath(sys.executable)), Path(sys.base_prefix), BIN,
                 Path(course.__file__).resolve().parent, ROOT):
        blocked = blocked_folder(path)
        if blocked:
            mode = stat.S_IMODE(blocked.stat().st_mode)
            return (f"{blocked} is closed to other accounts (mode {mode:o}), so trainee "
                    f"accounts cannot run {sys.executable} or import the course; .ci/setup.d/30-jupyterhub.sh opens it")
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
