"""The trainee's own working copy of the release, and JupyterLab opened on it (`course lab`, `make lab`).

Trainees never work in exercises/: opening a notebook there writes `.ipynb_checkpoints/`,
Validate rewrites the notebook's metadata, and every answer would be a change to a tracked
file. `course lab` copies each module of the release into a folder of the trainee's own
(default `my-work/`, which git ignores) unless it is already there, so a second run never
overwrites an answer, and opens JupyterLab on it with the trainee's view: the Validate
button, but no instructor menus (Formgrader, Create Assignment, courses, the exchange's
assignment list), through the config folder `course/lab_config/` put first on Jupyter's
config path for that server only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from course.nbgrader_api import modules

WORKSPACE = "my-work"
LAB_CONFIG = Path(__file__).with_name("lab_config")


def prepare(root: Path, folder: Path | None = None) -> tuple[Path, list[str]]:
    """Copy each module of ``root``/exercises that ``folder`` lacks; return the folder and the modules copied."""
    target = Path(folder) if folder else root / WORKSPACE
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for module in modules(root):
        if not (target / module).exists():
            shutil.copytree(root / "exercises" / module, target / module,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            copied.append(module)
    return target, copied


def lab_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the trainee's JupyterLab: the course's lab config first on the config path."""
    env = dict(os.environ if base is None else base)
    paths = [str(LAB_CONFIG)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def lab_command(folder: Path, extra: Sequence[str] = ()) -> list[str]:
    """The command that opens JupyterLab on ``folder`` (``--allow-root`` only when run as root)."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={folder}", *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def run_lab(root: Path, folder: Path | None = None, extra: Sequence[str] = ()) -> int:
    """Prepare the working copy, say where it is, and run JupyterLab on it until it is stopped."""
    target, copied = prepare(root, folder)
    print(f"Your working copy of the course: {target}", flush=True)
    if copied:
        print(f"  copied from exercises/: {', '.join(copied)}")
    print("  your answers stay there; `make lab` never overwrites them. Start with m00-orientation.", flush=True)
    return subprocess.call(lab_command(target, list(extra)), env=lab_environment())
