"""Several writers on one gradebook, SQLite and PostgreSQL: no "database is locked", no lost or doubled rows.

Within one run only the parent writes; this goes further and lets four processes (as four
`course grade` runs of a team would) record 40 submissions at once, twice over, through
:class:`course.grading.gradebook.Recorder`. No kernels: the results are synthetic, the
database traffic is real.
"""

from __future__ import annotations

import multiprocessing

from grading_fixtures import COURSE_ID
from hostile_corpus import M00

from course.grading import gradebook, outcome
from course.grading.outcome import CellGrade, NotebookOutcome, SubmissionResult

STUDENTS = [f"trainee-{n:02d}" for n in range(40)]


def synthetic(db_url: str, students: list[str], round_: int) -> list[SubmissionResult]:
    """Graded m00 submissions whose scores depend on the trainee and the round."""
    spec = gradebook.module_spec(db_url, COURSE_ID, M00)
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        notebook = book.find_notebook(M00, M00)
        code = [(cell.name, cell.max_score) for cell in notebook.grade_cells if cell.cell_type == "code"]
        tasks = [cell.name for cell in notebook.task_cells]
    results = []
    for student in students:
        earned = int(student[-2:]) % (len(code) + 1)
        grades = {name: CellGrade(points if n < earned else 0.0, False) for n, (name, points) in enumerate(code)}
        grades.update({name: CellGrade(None, True) for name in tasks})
        score = sum(grade.auto_score for grade in grades.values() if grade.auto_score)
        results.append(SubmissionResult(M00, student, outcome.Status.GRADED, f"round {round_}", score, spec.auto_max,
                                        notebooks={M00: NotebookOutcome(grades=grades)}, fingerprint=f"r{round_}"))
    return results


def record_share(db_url: str, students: list[str], round_: int) -> str:
    """One writer process: record ``students``; return an error text or ''."""
    try:
        results = synthetic(db_url, students, round_)
        with gradebook.Recorder(db_url, COURSE_ID) as recorder:
            for result in results:
                recorder.record(result)
    except Exception as error:  # noqa: BLE001 - reported to the test
        return f"{type(error).__name__}: {error}"
    return ""


def test_four_concurrent_writers_lose_no_rows(backend_course):
    _, db_url = backend_course
    context = multiprocessing.get_context("spawn")
    shares = [STUDENTS[n::4] for n in range(4)]
    with context.Pool(4) as pool:
        for round_ in (1, 2):  # the second round updates every row the first one made
            errors = pool.starmap(record_share, [(db_url, share, round_) for share in shares], chunksize=1)
            assert errors == ["", "", "", ""]
    assert gradebook.consistency_problems(db_url, COURSE_ID) == []
    statuses = gradebook.statuses(db_url, COURSE_ID)
    assert sorted(student for (_, student) in statuses) == STUDENTS
    assert {row["detail"] for row in statuses.values()} == {"round 2"}
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        submissions = book.find_assignment(M00).submissions
        assert sorted(sub.student_id for sub in submissions) == STUDENTS
        cells = len(book.find_notebook(M00, M00).grade_cells) + len(book.find_notebook(M00, M00).task_cells)
        assert all(len(sub.notebooks[0].grades) == cells for sub in submissions)
        for sub in submissions:
            assert sub.code_score == statuses[M00, sub.student_id]["auto_score"]


def test_two_writers_racing_on_the_same_trainees_leave_one_row_each(backend_course):
    _, db_url = backend_course
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        errors = pool.starmap(record_share, [(db_url, STUDENTS[:10], 1), (db_url, STUDENTS[:10], 1)])
    assert errors == ["", ""]
    assert gradebook.consistency_problems(db_url, COURSE_ID) == []
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        assert sorted(sub.student_id for sub in book.find_assignment(M00).submissions) == STUDENTS[:10]
