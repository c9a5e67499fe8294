"""`course export`: the gradebook as one CSV an LMS can import (one row per trainee).

Columns: ``trainee_id, first_name, last_name, email, lms_user_id, edition``, then for each
module ``<module> score``, ``<module> max`` and ``<module> edition``, then ``total score`` and
``total max``. ``<module> edition`` is the language of the notebook the trainee submitted
(``en``, ``id``; empty where nothing was submitted or the submission was not graded by
``course grade``, which records it); ``edition`` is the trainee's editions over all modules
(``en``, ``id``, or ``en+id`` for a trainee who submitted in both). A score is
nbgrader's (manual grades where given, else autograded) minus any late penalty; it is
empty where the trainee submitted nothing, so an LMS import leaves that grade unset
instead of writing a zero. ``total score`` counts missing work as zero. Text that a
spreadsheet would run as a formula (``=2+3``, ``@SUM(...)``) starts with an apostrophe.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from course.grading import gradebook


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


def collect(db_url: str, course_id: str, modules: list[str] | None = None) -> tuple[list[str], list[TraineeRow]]:
    """The modules exported (default: every module in the gradebook) and one row per trainee."""
    recorded = gradebook.editions(db_url, course_id)
    with gradebook.open_gradebook(db_url, course_id) as book:
        assignments = [a for a in book.assignments if modules is None or a.name in modules]
        assignments.sort(key=lambda a: a.name)
        maxima = {a.name: float(a.max_score) for a in assignments}
        scores: dict[str, dict[str, float]] = {}
        for assignment in assignments:
            for submission in assignment.submissions:
                penalty = submission.late_submission_penalty or 0.0
                scores.setdefault(submission.student_id, {})[assignment.name] = \
                    max(float(submission.score) - penalty, 0.0)
        rows = []
        for student in sorted(book.students, key=lambda s: s.id):
            found = scores.get(student.id, {})
            rows.append(TraineeRow(student.id, student.first_name or "", student.last_name or "",
                                   student.email or "", student.lms_user_id or "",
                                   {name: found.get(name) for name in maxima}, maxima,
                                   {name: recorded.get((name, student.id), "") if name in found else ""
                                    for name in maxima}))
    return list(maxima), rows


def write_csv(db_url: str, course_id: str, output: Path, modules: list[str] | None = None) -> int:
    """Write the LMS export to ``output``; return the number of trainees written."""
    names, rows = collect(db_url, course_id, modules)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["trainee_id", "first_name", "last_name", "email", "lms_user_id", "edition"]
                        + [text_cell(f"{name} {part}") for name in names for part in ("score", "max", "edition")]
                        + ["total score", "total max"])
        for row in rows:
            writer.writerow([text_cell(row.trainee_id), text_cell(row.first_name), text_cell(row.last_name),
                             text_cell(row.email), text_cell(row.lms_user_id), row.edition]
                            + [cell for name in names for cell in (_number(row.scores[name]),
                                                                  _number(row.maxima[name]),
                                                                  text_cell(row.editions[name]))]
                            + [_number(row.total), _number(row.total_max)])
    return len(rows)
