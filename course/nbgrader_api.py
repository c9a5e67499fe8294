"""The one place that talks to nbgrader: load the course's config and call its Python API.

Everything else in ``course`` asks this module for an :class:`nbgrader.apps.NbGraderAPI`
so that the course's settings (nbgrader_config.py) are always the ones in force.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

CONFIG_FILE = "nbgrader_config.py"
ROOT_ENV = "COURSE_ROOT"
MODULE_PATTERN = re.compile(r"^m(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")


class CourseError(RuntimeError):
    """The course folder is missing or nbgrader reported a failure."""


def find_root(start: Path | None = None) -> Path:
    """The course folder: ``COURSE_ROOT``, or the nearest folder upwards holding nbgrader_config.py."""
    if os.environ.get(ROOT_ENV):
        root = Path(os.environ[ROOT_ENV]).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{ROOT_ENV}={root} has no {CONFIG_FILE}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CourseError(f"no {CONFIG_FILE} in {here} or above: run this inside the course folder "
                      f"or set {ROOT_ENV}")


def modules(root: Path) -> list[str]:
    """Module (assignment) names in solutions/, in course order."""
    source = root / "solutions"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and MODULE_PATTERN.match(p.name)) \
        if source.is_dir() else []


def load_config(root: Path, **overrides: Any) -> Config:
    """The course's nbgrader config, with ``CourseDirectory`` settings overridden by keyword."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    for name, value in overrides.items():
        setattr(config.CourseDirectory, name, value)
    return config if isinstance(config, Config) else Config(config)


def _tools_on_path() -> None:
    """nbgrader runs helper programs (alembic) by name: find them beside this Python, venv or not."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def api(root: Path, config: Config | None = None) -> NbGraderAPI:
    """An nbgrader API object for the course at ``root``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _tools_on_path()
    config = config or load_config(root)
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def check(result: dict[str, Any], what: str) -> None:
    """Raise CourseError with nbgrader's own log when an API call did not succeed."""
    if not result.get("success"):
        detail = (result.get("error") or "") + (result.get("log") or "")
        raise CourseError(f"{what} failed:\n{detail.strip()}")
