"""`course export`: the gradebook as one CSV an LMS can import, as an nbgrader export plugin.

Each format is an nbgrader ``ExportPlugin`` (nbgrader/plugins/export.py), so nbgrader's own
command gives the same file as ``course export``, byte for byte, when run in the course folder::

    course export --format moodle -o moodle.csv
    nbgrader export --exporter course.grading.export.MoodleCsvExport --to moodle.csv

``course export`` is a thin wrapper: it opens the gradebook (``--db-url``, ``COURSE_DB_URL`` or the
course's ``db_url``) and hands it to the same plugin. Both take the modules to export
(``--assignment`` for nbgrader) and nbgrader's ``--student``; a name the gradebook does not
know is refused. In every format a score is nbgrader's (manual grades where given, else
autograded) minus any late penalty; it is **empty where the trainee submitted nothing**, so an
LMS import leaves that grade unset instead of writing a zero. Text that a spreadsheet would run
as a formula (``=2+3``, ``@SUM(...)``) starts with an apostrophe (OWASP "CSV injection").

``wide`` (:class:`WideCsvExport`, the default): ``trainee_id, first_name, last_name, email,
lms_user_id, edition``, then for each module ``<module> score``, ``<module> max`` and
``<module> edition``, then ``total score`` and ``total max``. ``<module> edition`` is the
language of the notebook the trainee submitted (``en``, ``id``; empty where nothing was
submitted or the submission was not graded by ``course grade``, which records it); ``edition``
is the trainee's editions over all modules (``en``, ``id``, or ``en+id``). ``total score``
counts missing work as zero.

``moodle`` (:class:`MoodleCsvExport`), for Moodle's "Import grades from CSV" (Grade import,
https://docs.moodle.org/en/Grade_import; the same steps in its pages for Moodle 2.0 to 4.5): the import
maps one column to a user field (``userid``, ``useridnumber``, ``useremail`` or ``username``:
"Map from" / "Map to"; the docs' tip is "Email address" to ``useremail`` or "ID number" to
``useridnumber``) and each other column to a grade item or a new one. Columns:
``First name, Last name, Email address, ID number, Username``, then one column per module named
after it. ``ID number`` holds nbgrader's ``lms_user_id``, ``Username`` the trainee id (the hub
login). No total column: Moodle computes its own course total.

``canvas`` (:class:`CanvasCsvExport`), for Canvas's Gradebook "Import" (Instructure guide "How do
I import grades in the Gradebook?",
https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807,
and Canvas's importer, app/models/gradebook_importer.rb, which wants ``Student``, ``ID``, then
``SIS User ID``, ``SIS Login ID`` and ``Section``, then assignment columns, and reads a row whose
first cell is ``Points Possible`` as the assignments' points): ``Student, ID, SIS User ID, SIS
Login ID, Section``, then one column per module; the second row is ``Points Possible`` with each
module's maximum. ``Student`` is "Last, First" (Canvas's sortable name; the trainee id where the
roster has no name), ``ID`` nbgrader's ``lms_user_id`` (the Canvas user id, which Canvas matches
first), ``SIS Login ID`` the trainee id, ``SIS User ID`` and ``Section`` empty. A module column
matches a Canvas assignment of the same name, or makes a new one. No total column: Canvas's importer
drops trailing "Current/Final Score" columns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbgrader.plugins.export import ExportPlugin

from course.grading import gradebook
from course.nbgrader_api import CourseError

DEFAULT_OUTPUT = "grades.csv"


@dataclass(frozen=True)
class TraineeRow:
    """One trainee's line of the export."""

    trainee_id: str
    first_name: str
    last_name: str
    email: str
    lms_user_id: str
    scores: dict[str, float | None]
    maxima: dict[str, float]
    editions: dict[str, str] = field(default_factory=dict)

    @property
    def edition(self) -> str:
        """The editions of the trainee's submissions over all modules: "en", "id", "en+id" or "" (none known)."""
        return "+".join(sorted({part for value in self.editions.values() if value for part in value.split("+")}))

    @property
    def total(self) -> float:
        """Points over all modules, missing work counted as zero."""
        return sum(score or 0.0 for score in self.scores.values())

    @property
    def total_max(self) -> float:
        """The most points all modules can give."""
        return sum(self.maxima.values())


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """``value`` safe for a spreadsheet: text starting like a formula gets a leading apostrophe (OWASP)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _number(value: float | None) -> str:
    return "" if value is None else f"{round(value, 2):g}"


def _unknown(kind: str, asked: list[str] | None, known: set[str]) -> None:
    missing = sorted(set(asked or []) - known)
    if missing:
        raise CourseError(f"{kind} {', '.join(missing)} not in the gradebook; it has: "
                          f"{', '.join(sorted(known)) or 'none'}")


def collect(db_url: str, course_id: str, modules: list[str] | None = None) -> tuple[list[str], list[TraineeRow]]:
    """The modules exported (default: every module in the gradebook) and one row per trainee."""
    with gradebook.open_gradebook(db_url, course_id) as book:
        maxima, rows = collect_from(book, modules)
    return list(maxima), rows


def collect_from(book: Any, modules: list[str] | None = None,
                 students: list[str] | None = None) -> tuple[dict[str, float], list[TraineeRow]]:
    """From an open nbgrader Gradebook: each module exported (default: all) with its points, and one row per
    trainee (default: all)."""
    _unknown("module(s)", modules, {a.name for a in book.assignments})
    _unknown("trainee(s)", students, {s.id for s in book.students})
    recorded = gradebook.editions_in(book)
    assignments = sorted((a for a in book.assignments if not modules or a.name in modules), key=lambda a: a.name)
    maxima = {a.name: float(a.max_score) for a in assignments}
    scores: dict[str, dict[str, float]] = {}
    for assignment in assignments:
        for submission in assignment.submissions:
            penalty = submission.late_submission_penalty or 0.0
            scores.setdefault(submission.student_id, {})[assignment.name] = max(float(submission.score) - penalty, 0.0)
    rows = []
    for student in sorted(book.students, key=lambda s: s.id):
        if students and student.id not in students:
            continue
        found = scores.get(student.id, {})
        rows.append(TraineeRow(student.id, student.first_name or "", student.last_name or "", student.email or "",
                               student.lms_user_id or "", {name: found.get(name) for name in maxima}, maxima,
                               {name: recorded.get((name, student.id), "") if name in found else ""
                                for name in maxima}))
    return maxima, rows


class CourseExport(ExportPlugin):
    """The part every format shares: read the gradebook once, write one CSV to ``to`` (default grades.csv)."""

    written = 0  # trainees in the last file written

    def export(self, gradebook: Any) -> None:
        output = Path(self.to or DEFAULT_OUTPUT)
        maxima, rows = collect_from(gradebook, [str(a) for a in self.assignment] or None,
                                    [str(s) for s in self.student] or None)
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(output, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(self.table(maxima, rows))
        self.written = len(rows)
        self.log.info("Wrote %s: %d trainee(s), %d module(s)", output, len(rows), len(maxima))

    def table(self, maxima: dict[str, float], rows: list[TraineeRow]) -> list[list[str]]:
        """The file's rows, header first, for the modules ``maxima`` names (with their points)."""
        raise NotImplementedError


class WideCsvExport(CourseExport):
    """Every field the gradebook knows, one row per trainee (the module docstring lists the columns)."""

    def table(self, maxima: dict[str, float], rows: list[TraineeRow]) -> list[list[str]]:
        names = list(maxima)
        header = (["trainee_id", "first_name", "last_name", "email", "lms_user_id", "edition"]
                  + [text_cell(f"{name} {part}") for name in names for part in ("score", "max", "edition")]
                  + ["total score", "total max"])
        return [header] + [
            [text_cell(row.trainee_id), text_cell(row.first_name), text_cell(row.last_name), text_cell(row.email),
             text_cell(row.lms_user_id), row.edition]
            + [cell for name in names for cell in (_number(row.scores[name]), _number(row.maxima[name]),
                                                   text_cell(row.editions[name]))]
            + [_number(row.total), _number(row.total_max)]
            for row in rows]


MOODLE_USER_COLUMNS = ["First name", "Last name", "Email address", "ID number", "Username"]


class MoodleCsvExport(CourseExport):
    """For Moodle's "Import grades from CSV": user columns to map from, then one column per module."""

    def table(self, maxima: dict[str, float], rows: list[TraineeRow]) -> list[list[str]]:
        names = list(maxima)
        return [MOODLE_USER_COLUMNS + [text_cell(name) for name in names]] + [
            [text_cell(row.first_name), text_cell(row.last_name), text_cell(row.email), text_cell(row.lms_user_id),
             text_cell(row.trainee_id)] + [_number(row.scores[name]) for name in names]
            for row in rows]


CANVAS_USER_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "Points Possible"


def sortable_name(row: TraineeRow) -> str:
    """Canvas's "Last, First" (one of the two where the other is missing; the trainee id where both are)."""
    return ", ".join(part for part in (row.last_name, row.first_name) if part) or row.trainee_id


class CanvasCsvExport(CourseExport):
    """For Canvas's Gradebook import: Canvas's five user columns, a Points Possible row, one column per module."""

    def table(self, maxima: dict[str, float], rows: list[TraineeRow]) -> list[list[str]]:
        names = list(maxima)
        return [CANVAS_USER_COLUMNS + [text_cell(name) for name in names],
                [CANVAS_POINTS_ROW, "", "", "", ""] + [_number(maxima[name]) for name in names]] + [
            [text_cell(sortable_name(row)), text_cell(row.lms_user_id), "", text_cell(row.trainee_id), ""]
            + [_number(row.scores[name]) for name in names]
            for row in rows]


FORMATS: dict[str, type[CourseExport]] = {"wide": WideCsvExport, "moodle": MoodleCsvExport,
                                          "canvas": CanvasCsvExport}


def write_csv(db_url: str, course_id: str, output: Path, modules: list[str] | None = None,
              fmt: str = "wide") -> int:
    """Write the LMS export in format ``fmt`` to ``output`` with the format's plugin; return the trainees written."""
    if fmt not in FORMATS:
        raise CourseError(f"--format {fmt!r} is not a format of course export; use one of {', '.join(FORMATS)}")
    plugin = FORMATS[fmt](to=str(output), assignment=list(modules or []))
    with gradebook.open_gradebook(db_url, course_id) as book:
        plugin.export(book)
    return plugin.written
