"""Helpers of the grading tests: world-traversable course copies, gradebooks on SQLite and PostgreSQL.

Courses live in world-traversable temporary folders (not pytest's private tmp_path) so
that kernels running as the unprivileged grading accounts meet only the protections under
test. PostgreSQL comes from ``COURSE_TEST_POSTGRES_URL`` (CI sets it in
.ci/setup.d/20-postgresql.sh) or a local server with that script's role; without one the
PostgreSQL tests skip with the reason, and in CI that skip is a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSE_ID = "double-eleven"
LOCAL_POSTGRES = "postgresql+psycopg://course:course@127.0.0.1:5432/course_test"
MODULES = ["m00-orientation", "m01-singles-day"]  # the grading tests use these two modules
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.external("postgresql"))]


def open_folder(prefix: str) -> Path:
    """A new temporary folder that other accounts may pass through (0755)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def postgres_admin_url() -> tuple[str | None, str]:
    """A PostgreSQL URL that can create databases, or None and why there is none."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg (psycopg[binary]) is not installed"
    url = os.environ.get("COURSE_TEST_POSTGRES_URL") or LOCAL_POSTGRES
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: no server here
        where = "COURSE_TEST_POSTGRES_URL" if os.environ.get("COURSE_TEST_POSTGRES_URL") else LOCAL_POSTGRES
        first = (str(error).strip().splitlines() or [""])[0][:200]
        return None, (f"cannot connect to PostgreSQL at {where} ({type(error).__name__}: {first}); "
                      "run .ci/setup.d/20-postgresql.sh as root to start a server")
    return url, ""


def create_postgres_database() -> tuple[str, Callable[[], None]]:
    """A new empty database on the test server: its URL and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin, reason = postgres_admin_url()
    if admin is None:
        pytest.skip(reason)
    name = f"course_grading_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return make_url(admin).set(database=name).render_as_string(hide_password=False), drop


def course_copy(released: Path, backend: str) -> tuple[Path, str, Callable[[], None]]:
    """A fresh copy of the released course with a gradebook on ``backend``: (folder, db_url, clean-up)."""
    from course.grading.gradebook import copy_definitions

    course = open_folder(f"course-grading-{backend}-")
    shutil.copy2(released / "nbgrader_config.py", course)
    for folder in ("solutions", "exercises"):
        shutil.copytree(released / folder, course / folder)
    if backend == "sqlite":
        shutil.copy2(released / "gradebook.db", course / "gradebook.db")
        db_url, drop = f"sqlite:///{course / 'gradebook.db'}", (lambda: None)
    else:
        db_url, drop = create_postgres_database()
        copy_definitions(f"sqlite:///{released / 'gradebook.db'}", db_url, COURSE_ID)

    def clean() -> None:
        drop()
        shutil.rmtree(course, ignore_errors=True)

    return course, db_url, clean


SMALL_MODULES = {"m00-orientation": (2.0, 3.0), "m01-singles-day": (4.0,)}  # each module's grade cells' points
SMALL_ROSTER = {  # trainee id: (first name, last name, email, lms_user_id, {module: (points per cell...)})
    "ana": ("Ana", "Putri", "ana@example.org", "101", {"m00-orientation": (2.0, 1.5), "m01-singles-day": (4.0,)}),
    "budi": ("Budi", "", "", "", {"m00-orientation": (0.0, 3.0)}),
    "=2+3": ("Roster", "Only", "", "", {}),
    "<b>x</b>": ("", "", "", "", {}),
}
SMALL_EDITIONS = {("m00-orientation", "ana"): "en", ("m01-singles-day", "ana"): "id", ("m00-orientation", "budi"): "id"}
SMALL_LATE = {("m01-singles-day", "ana"): 1.0}  # late penalty, points


def small_gradebook(folder: Path) -> str:
    """A gradebook made with nbgrader's own API (no kernel runs): SMALL_MODULES, SMALL_ROSTER's trainees and their
    autograded points, SMALL_EDITIONS in the course's edition table and SMALL_LATE penalties. Returns its URL."""
    from nbgrader.api import Gradebook
    from sqlalchemy import insert

    from course.grading import gradebook
    from course.nbgrader_api import _tools_on_path

    _tools_on_path()  # nbgrader runs alembic by name to stamp a new database
    db_url = f"sqlite:///{folder / 'gradebook.db'}"
    with Gradebook(db_url, COURSE_ID) as book:
        for module, points in SMALL_MODULES.items():
            book.add_assignment(module)
            book.add_notebook(module, module)
            for number, most in enumerate(points, start=1):
                book.add_grade_cell(f"q{number}", module, module, max_score=most, cell_type="code")
        for student, (first, last, email, lms, handed_in) in SMALL_ROSTER.items():
            book.add_student(student, first_name=first, last_name=last, email=email or None, lms_user_id=lms or None)
            for module, scores in handed_in.items():
                book.add_submission(module, student)
                for number, score in enumerate(scores, start=1):
                    book.find_grade(f"q{number}", module, module, student).auto_score = score
                notebook = book.find_submission_notebook(module, module, student)
                notebook.late_submission_penalty = SMALL_LATE.get((module, student))
        book.db.commit()
        gradebook.edition_table.create(book.engine, checkfirst=True)
        with book.engine.begin() as connection:
            connection.execute(insert(gradebook.edition_table), [
                {"assignment": module, "student": student, "edition": edition}
                for (module, student), edition in SMALL_EDITIONS.items()])
    return db_url
