"""Fixtures of the grading tests (helpers in grading_fixtures.py): a released course, a course per backend."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from grading_fixtures import BACKENDS, MODULES, ROOT, course_copy, open_folder


@pytest.fixture(scope="session")
def released_course() -> Iterator[Path]:
    """The course (config, m00 and m01), released once with nbgrader into exercises/ and gradebook.db."""
    from course.build import generate

    course = open_folder("course-grading-release-")
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    for module in MODULES:
        shutil.copytree(ROOT / "solutions" / module, course / "solutions" / module,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    generate(course, MODULES, db_url=f"sqlite:///{course / 'gradebook.db'}")
    yield course
    shutil.rmtree(course, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def backend_course(request, released_course) -> Iterator[tuple[Path, str]]:
    """A throw-away released course and its gradebook URL, once per backend."""
    course, db_url, clean = course_copy(released_course, request.param)
    yield course, db_url
    clean()
