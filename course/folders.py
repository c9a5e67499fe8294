"""The course folder: where it is, its modules, and each language's source and release folders.

Shared by the trainee's `course lab` and the instructors' tools (course.nbgrader_api re-exports
these names), so that the student edition, which carries only the trainee's part of the package,
finds its own folder and modules without nbgrader's adapter. A course folder holds
nbgrader_config.py; a student edition holds none, but its marker file (EDITION_MARKER).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"
EDITION_MARKER = ".course-edition"  # written by course.edition.build at the top of every student edition
ROOT_ENV = "COURSE_ROOT"
MODULE_PATTERN = re.compile(r"^m(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
# Each language's (instructors' source, trainees' release) folders in the course; a student edition holds
# the release of its own language only.
FOLDERS = {"en": ("solutions", "exercises"), "id": ("solutions-id", "exercises-id")}


class CourseError(RuntimeError):
    """The course folder is missing or nbgrader reported a failure."""


def language_of(lang: str) -> str:
    """``lang`` checked against the editions there are (en, id); a clear error otherwise."""
    if lang not in FOLDERS:
        raise ValueError(f"--lang {lang!r}: there is no edition in that language; use one of {', '.join(FOLDERS)}")
    return lang


def find_root(start: Path | None = None, *, edition: bool = False) -> Path:
    """The course folder: ``COURSE_ROOT``, or the nearest folder upwards holding nbgrader_config.py.

    With ``edition`` a student edition (a folder holding EDITION_MARKER) counts too: the trainee's
    commands run in either; the instructors' need the course itself.
    """
    marks = (CONFIG_FILE, EDITION_MARKER) if edition else (CONFIG_FILE,)
    if os.environ.get(ROOT_ENV):
        root = Path(os.environ[ROOT_ENV]).resolve()
        if not any((root / mark).is_file() for mark in marks):
            raise CourseError(f"{ROOT_ENV}={root} has no {' or '.join(marks)}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / mark).is_file() for mark in marks):
            return folder
    where = "the course folder or a student edition" if edition else "the course folder"
    raise CourseError(f"no {' or '.join(marks)} in {here} or above: run this inside {where} or set {ROOT_ENV}")


def modules(root: Path) -> list[str]:
    """Module (assignment) names in solutions/, in course order."""
    source = root / "solutions"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and MODULE_PATTERN.match(p.name)) \
        if source.is_dir() else []


def released(root: Path, lang: str) -> list[str]:
    """Module names in the ``lang`` release (exercises/ or exercises-id/) of ``root``, in course order."""
    release = root / FOLDERS[language_of(lang)][1]
    return sorted(p.name for p in release.iterdir() if p.is_dir() and MODULE_PATTERN.match(p.name)) \
        if release.is_dir() else []
