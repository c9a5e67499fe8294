"""The gradebook side: one writer, whole submissions per transaction, a status beside every score.

Workers never open the course's gradebook for writing. Each one grades into a private
SQLite copy of the module's definition (a *template*: assignment, notebooks, cells and
checksums copied from the gradebook through nbgrader's API), and the parent process
copies the results into the course's gradebook one submission at a time
(:class:`Recorder`). So SQLite never sees two writers from one run and cannot answer
"database is locked"; PostgreSQL gets the same short transactions, and concurrent runs
of ``course grade`` by several instructors are retried on conflicts.

Every recorded submission also gets a row in ``course_grading_status`` in the same
database and the same transaction as its grades: the status (graded, cell timed out,
kernel died, ...), the reason, the autograded points. Keeping it in the gradebook (not in
a file beside it) means it can never disagree with the scores, it works unchanged on
PostgreSQL, and it travels with the gradebook to the whole team. nbgrader ignores tables
it does not know.

Beside it, ``course_submission_edition`` holds the edition (language: en, id) of each graded
submission, read from the submitted notebooks' metadata and written in the same transaction.
It is a table of its own (not a column of the status table) so that gradebooks made before it
need no migration: it is simply created where missing. Submissions graded without
``course grade`` (or whose notebooks could not be read) have no row: their edition is unknown.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Column, Float, MetaData, String, Table, Text, delete, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SAWarning

from course.grading.outcome import CellGrade, NotebookOutcome, Status, SubmissionResult
from course.grading.submissions import ModuleSpec, release_info
from course.nbgrader_api import CourseError

STATUS_TABLE = "course_grading_status"
_metadata = MetaData()
status_table = Table(
    STATUS_TABLE, _metadata,
    Column("assignment", String(128), primary_key=True),
    Column("student", String(128), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Column("auto_score", Float, nullable=False),
    Column("auto_max", Float, nullable=False),
    Column("fingerprint", String(64), nullable=False),
)
EDITION_TABLE = "course_submission_edition"
edition_table = Table(
    EDITION_TABLE, _metadata,
    Column("assignment", String(128), primary_key=True),
    Column("student", String(128), primary_key=True),
    Column("edition", String(16), nullable=False),
)
COURSE_TABLES = [status_table, edition_table]


def resolve_db_url(root: Path, db_url: str) -> str:
    """``db_url`` with a relative SQLite path made absolute against the course folder."""
    prefix = "sqlite:///"
    if db_url.startswith(prefix) and not db_url.startswith(prefix + "/") and ":memory:" not in db_url:
        return prefix + str((root / db_url[len(prefix):]).resolve())
    return db_url


def is_sqlite(db_url: str) -> bool:
    """True for an SQLite gradebook."""
    return db_url.startswith("sqlite")


def _patient(db_url: str) -> str:
    """An SQLite URL that waits up to a minute for a lock (another program writing) instead of failing."""
    if is_sqlite(db_url) and "timeout=" not in db_url:
        return db_url + ("&" if "?" in db_url else "?") + "timeout=60"
    return db_url


def open_gradebook(db_url: str, course_id: str) -> Any:
    """nbgrader's Gradebook on ``db_url``."""
    from nbgrader.api import Gradebook

    return Gradebook(_patient(db_url), course_id)


def _retrying(action, attempts: int = 12):
    """Run ``action`` and retry it on transient database conflicts (lock, serialization, duplicate insert)."""
    from nbgrader.api import InvalidEntry  # nbgrader's wrapper of IntegrityError (two writers adding one row)

    for attempt in range(attempts):
        try:
            return action()
        except (OperationalError, IntegrityError, DBAPIError, InvalidEntry):
            if attempt == attempts - 1:
                raise
            time.sleep(min(0.05 * 2 ** attempt, 2.0))
    return None


def prepare(db_url: str, course_id: str) -> None:
    """Create the status table and the course rows, so that readers (feedback) never need to write."""
    from nbgrader.api import Gradebook

    def setup() -> None:
        with Gradebook(_patient(db_url)) as default, Gradebook(_patient(db_url), course_id) as gradebook:
            _metadata.create_all(gradebook.engine, tables=COURSE_TABLES)
            del default

    _retrying(setup)


def module_spec(db_url: str, course_id: str, module: str, release_dir: Path | None = None,
                edition_dirs: Sequence[Path] = ()) -> ModuleSpec:
    """The notebooks, cell ids and autograded points of ``module`` as the gradebook has them.

    With ``release_dir`` it also holds the checksums of the released locked cells; with
    ``edition_dirs`` (the other editions' releases, e.g. exercises-id/) those of the same
    cells there, so that a submission of the Indonesian edition is not taken for an edited one.
    """
    from nbgrader.api import MissingEntry

    with open_gradebook(db_url, course_id) as gradebook:
        try:
            assignment = gradebook.find_assignment(module)
        except MissingEntry:
            raise CourseError(f"{module} is not in the gradebook {db_url}: run `course exercises {module}` "
                              "(nbgrader generate_assignment) with this gradebook first") from None
        notebooks, code_cells, auto_max = {}, {}, 0.0
        for notebook in assignment.notebooks:
            notebooks[notebook.name] = sorted(cell.name for cell in notebook.source_cells)
            code = [cell for cell in notebook.grade_cells if cell.cell_type == "code"]
            code_cells[notebook.name] = sorted(cell.name for cell in code)
            auto_max += float(sum(cell.max_score for cell in code))
        if not notebooks:
            raise CourseError(f"{module} has no notebooks in the gradebook")
    released, cells, kernelspecs = release_info(release_dir, module, list(notebooks)) if release_dir else ({}, {}, {})
    translated: dict[str, dict[str, list[str]]] = {}
    for folder in edition_dirs:
        for notebook, checksums in release_info(folder, module, list(notebooks))[0].items():
            for cell, checksum in checksums.items():
                translated.setdefault(notebook, {}).setdefault(cell, []).append(checksum)
    return ModuleSpec(module, notebooks, auto_max, code_cells, released, cells, kernelspecs, translated)


def students(db_url: str, course_id: str) -> list[str]:
    """Trainee ids in the gradebook."""
    with open_gradebook(db_url, course_id) as gradebook:
        return sorted(student.id for student in gradebook.students)


def copy_definitions(source_url: str, target_url: str, course_id: str, modules: list[str] | None = None) -> None:
    """Copy the definition of ``modules`` (default: all): notebooks, cells, checksums, into a gradebook without them.

    Builds nbgrader's own model objects and commits once (nbgrader's update_or_create_*
    methods commit per cell, which takes seconds for a module).
    """
    from nbgrader.api import Assignment, Gradebook, GradeCell, Notebook, SolutionCell, SourceCell, TaskCell

    with open_gradebook(source_url, course_id) as source:
        version = source.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    _create_schema(target_url, version)
    with open_gradebook(source_url, course_id) as source, Gradebook(_patient(target_url), course_id) as target:
        names = modules if modules is not None else [assignment.name for assignment in source.assignments]
        for module in names:
            assignment = source.find_assignment(module)
            copied = Assignment(name=module, duedate=assignment.duedate, course_id=course_id)
            target.db.add(copied)
            for notebook in assignment.notebooks:
                into = Notebook(name=notebook.name, assignment=copied, kernelspec=notebook.kernelspec)
                target.db.add(into)
                target.db.add_all(
                    [GradeCell(name=cell.name, max_score=cell.max_score, cell_type=cell.cell_type, notebook=into)
                     for cell in notebook.grade_cells]
                    + [SolutionCell(name=cell.name, notebook=into) for cell in notebook.solution_cells]
                    + [TaskCell(name=cell.name, max_score=cell.max_score, cell_type=cell.cell_type, notebook=into)
                       for cell in notebook.task_cells]
                    + [SourceCell(name=cell.name, cell_type=cell.cell_type, locked=cell.locked, source=cell.source,
                                  checksum=cell.checksum, notebook=into) for cell in notebook.source_cells])
        target.db.commit()


def _create_schema(db_url: str, version: str) -> None:
    """nbgrader's tables and schema version in an empty database, as nbgrader makes them.

    nbgrader asks its ``alembic`` tool for the version of every new gradebook (a second or
    so each); the source gradebook already knows it.
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect

    engine = create_engine(_patient(db_url))
    try:
        if inspect(engine).get_table_names():
            return
        Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    finally:
        engine.dispose()


def write_template(db_url: str, course_id: str, module: str, path: Path) -> None:
    """A fresh SQLite gradebook at ``path`` holding only ``module``'s definition, copied from ``db_url``."""
    copy_definitions(db_url, f"sqlite:///{path}", course_id, [module])


def template_bytes(db_url: str, course_id: str, module: str) -> bytes:
    """The module's grading template (an SQLite gradebook with its definition only) as bytes, to send to workers."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="course-template-") as folder:
        path = Path(folder) / "template.db"
        write_template(db_url, course_id, module, path)
        return path.read_bytes()


def manual_grades(db_url: str, course_id: str, module: str) -> dict[str, dict[str, Any]]:
    """What people gave by hand for ``module``, per trainee: scores, extra credit, comments (for feedback)."""
    found: dict[str, dict[str, Any]] = {}
    with open_gradebook(db_url, course_id) as gradebook:
        try:
            assignment = gradebook.find_assignment(module)
        except Exception:  # noqa: BLE001 - nbgrader's MissingEntry: nothing graded yet
            return found
        for submission in assignment.submissions:
            grades, comments = {}, {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None or grade.extra_credit is not None:
                        grades[f"{notebook.name}/{grade.name}"] = [grade.manual_score, grade.extra_credit]
                for comment in notebook.comments:
                    if comment.manual_comment:
                        comments[f"{notebook.name}/{comment.name}"] = comment.manual_comment
            if grades or comments:
                found[submission.student_id] = {"grades": grades, "comments": comments}
    return found


def apply_manual(db_path: Path, course_id: str, module: str, student: str, manual: dict[str, Any]) -> None:
    """Put the hand-given grades and comments into a worker's private gradebook before feedback is made."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{db_path}", course_id) as gradebook:
        for key, (score, extra) in manual.get("grades", {}).items():
            notebook, name = key.split("/", 1)
            try:
                grade = gradebook.find_grade(name, notebook, module, student)
            except MissingEntry:
                continue
            grade.manual_score, grade.extra_credit = score, extra
        for key, text in manual.get("comments", {}).items():
            notebook, name = key.split("/", 1)
            try:
                comment = gradebook.find_comment(name, notebook, module, student)
            except MissingEntry:
                continue
            comment.manual_comment = text
        gradebook.db.commit()


def extensions(db_url: str, course_id: str, modules: list[str]) -> dict[tuple[str, str], float]:
    """Extensions (in seconds) the gradebook grants, keyed by (module, student)."""
    with open_gradebook(db_url, course_id) as gradebook:
        return {(assignment.name, submission.student_id): submission.extension.total_seconds()
                for assignment in gradebook.assignments if assignment.name in modules
                for submission in assignment.submissions if submission.extension}


def read_outcome(db_path: Path, course_id: str, module: str, student: str) -> dict[str, NotebookOutcome]:
    """What nbgrader recorded for the submission in a worker's private gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db_path}", course_id) as gradebook:
        submission = gradebook.find_submission(module, student)
        found = {}
        for notebook in submission.notebooks:
            found[notebook.name] = NotebookOutcome(
                grades={grade.name: CellGrade(grade.auto_score, bool(grade.needs_manual_grade))
                        for grade in notebook.grades},
                comments={comment.name: comment.auto_comment for comment in notebook.comments},
                late_penalty=notebook.late_submission_penalty)
        return found


class Recorder:
    """The only writer of the course's gradebook during a run: one submission per transaction."""

    def __init__(self, db_url: str, course_id: str) -> None:
        self.db_url, self.course_id = db_url, course_id
        self.gradebook = open_gradebook(db_url, course_id)
        _retrying(lambda: _metadata.create_all(self.gradebook.engine, tables=COURSE_TABLES))

    def close(self) -> None:
        """Close the database connection."""
        self.gradebook.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, result: SubmissionResult) -> None:
        """Write ``result`` (scores, comments, timestamp, status) as one transaction, retrying conflicts."""

        def attempt() -> None:
            try:
                self._write(result)
            except Exception:
                self.gradebook.db.rollback()
                raise

        _retrying(attempt)

    def _write(self, result: SubmissionResult) -> None:
        with warnings.catch_warnings():  # nbgrader's add_submission trips harmless SQLAlchemy autoflush warnings
            warnings.filterwarnings("ignore", message="Object of type", category=SAWarning)
            self._write_quietly(result)

    def _write_quietly(self, result: SubmissionResult) -> None:
        from nbgrader.api import MissingEntry
        from nbgrader.utils import parse_utc

        gradebook = self.gradebook
        try:
            gradebook.find_student(result.student)
        except MissingEntry:
            gradebook.add_student(result.student)
        try:
            submission = gradebook.find_submission(result.module, result.student)
        except MissingEntry:
            submission = gradebook.add_submission(result.module, result.student)
        try:
            submission.timestamp = parse_utc(result.timestamp) if result.timestamp else None
        except Exception:  # noqa: BLE001 - the worker checked it; never lose a submission over a date
            submission.timestamp = None
        for notebook in submission.notebooks:
            found = result.notebooks.get(notebook.name)
            notebook.late_submission_penalty = found.late_penalty if found else None
            for grade in notebook.grades:
                cell = found.grades.get(grade.name) if found else None
                if cell is not None:
                    grade.auto_score = cell.auto_score
                    # nbgrader's own rule (SaveAutoGrades): a manual grade or no auto score needs a person
                    grade.needs_manual_grade = grade.manual_score is not None or cell.auto_score is None
                else:
                    # nothing was graded: zero, as nbgrader does for a missing notebook; a failure needs a person
                    grade.auto_score = 0.0
                    grade.needs_manual_grade = result.status == Status.FAILED
            for comment in notebook.comments:
                comment.auto_comment = found.comments.get(comment.name) if found else None
        session = gradebook.db
        session.execute(delete(status_table).where(status_table.c.assignment == result.module,
                                                   status_table.c.student == result.student))
        session.execute(insert(status_table).values(
            assignment=result.module, student=result.student, status=str(result.status), detail=result.detail[:4000],
            auto_score=float(result.auto_score), auto_max=float(result.auto_max), fingerprint=result.fingerprint))
        session.execute(delete(edition_table).where(edition_table.c.assignment == result.module,
                                                    edition_table.c.student == result.student))
        if result.edition:
            session.execute(insert(edition_table).values(assignment=result.module, student=result.student,
                                                         edition=result.edition))
        session.commit()


    def remove(self, module: str, student: str) -> bool:
        """Delete ``student``'s submission of ``module`` and its status (its folder is gone); True if there was one."""
        from nbgrader.api import MissingEntry

        def attempt() -> bool:
            try:
                try:
                    self.gradebook.find_submission(module, student)
                except MissingEntry:
                    return False
                for table in COURSE_TABLES:
                    self.gradebook.db.execute(delete(table).where(table.c.assignment == module,
                                                                  table.c.student == student))
                self.gradebook.remove_submission(module, student)  # commits the status row's deletion with it
                return True
            except Exception:
                self.gradebook.db.rollback()
                raise

        return bool(_retrying(attempt))


def submitted_pairs(db_url: str, course_id: str, modules: list[str]) -> set[tuple[str, str]]:
    """(module, trainee) of every submission the gradebook holds for ``modules``."""
    with open_gradebook(db_url, course_id) as gradebook:
        return {(assignment.name, submission.student_id) for assignment in gradebook.assignments
                if assignment.name in modules for submission in assignment.submissions}


def statuses(db_url: str, course_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The recorded status rows, keyed by (module, student)."""
    with open_gradebook(db_url, course_id) as gradebook:
        _metadata.create_all(gradebook.engine, tables=[status_table])
        rows = gradebook.db.execute(select(status_table)).mappings().all()
        return {(row["assignment"], row["student"]): dict(row) for row in rows}


def editions(db_url: str, course_id: str) -> dict[tuple[str, str], str]:
    """The recorded edition (en, id) of each submission graded by ``course grade``, keyed by (module, student)."""
    with open_gradebook(db_url, course_id) as gradebook:
        return editions_in(gradebook)


def editions_in(gradebook: Any) -> dict[tuple[str, str], str]:
    """:func:`editions` read through an open nbgrader Gradebook (as an nbgrader export plugin is given)."""
    _metadata.create_all(gradebook.engine, tables=[edition_table])
    rows = gradebook.db.execute(select(edition_table)).all()
    return {(row.assignment, row.student): row.edition for row in rows}


def consistency_problems(db_url: str, course_id: str) -> list[str]:
    """Ways the gradebook breaks "every trainee has exactly one current score per module" (empty: none)."""
    from nbgrader.api import Grade, SubmittedAssignment
    from sqlalchemy import func

    problems = []
    recorded = statuses(db_url, course_id)
    with open_gradebook(db_url, course_id) as gradebook:
        session = gradebook.db
        pairs = session.execute(select(SubmittedAssignment.assignment_id, SubmittedAssignment.student_id,
                                       func.count()).group_by(SubmittedAssignment.assignment_id,
                                                              SubmittedAssignment.student_id)).all()
        problems += [f"{student} has {count} submissions of one module" for _, student, count in pairs if count != 1]
        for assignment in gradebook.assignments:
            expected = sum(len(nb.grade_cells) + len(nb.task_cells) for nb in assignment.notebooks)
            for submission in assignment.submissions:
                where = f"{assignment.name}/{submission.student_id}"
                grades = [grade for nb in submission.notebooks for grade in nb.grades]
                if len(grades) != expected:
                    problems.append(f"{where}: {len(grades)} grade rows, expected {expected}")
                for grade in grades:
                    if grade.cell_type == "code" and grade.auto_score is None and grade.manual_score is None:
                        problems.append(f"{where}: {grade.name} has no score")
                if (assignment.name, submission.student_id) not in recorded:
                    problems.append(f"{where}: no grading status recorded")
        duplicates = session.execute(select(Grade.cell_id, Grade.notebook_id, func.count())
                                     .group_by(Grade.cell_id, Grade.notebook_id).having(func.count() > 1)).all()
        problems += [f"duplicate grade rows for cell {cell}" for cell, _, _ in duplicates]
    return problems
