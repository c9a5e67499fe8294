"""Real nbgrader, every module: the solution scores full marks, the untouched release scores zero.

Each module is released with nbgrader into a throw-away course, two trainees submit (one
hands in the instructors' solution, one the release as it came), nbgrader autogrades both
and the gradebook is read back cell by cell.
"""

import shutil
from pathlib import Path

import pytest

from course.build import generate
from course.nbgrader_api import api, load_config, modules

ROOT = Path(__file__).resolve().parent.parent
MODULES = modules(ROOT)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """Autograde 'full' (solution) and 'untouched' (release) for every module; return the gradebook rows."""
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("roundtrip")
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    generate(course, db_url=db_url)
    grader = api(course, load_config(course, db_url=db_url))
    results, logs = {}, {}
    for module in MODULES:
        notebook = f"{module}.ipynb"
        for student, source in (("full", course / "solutions"), ("untouched", course / "exercises")):
            target = course / "submitted" / student / module
            target.mkdir(parents=True)
            shutil.copy2(source / module / notebook, target / notebook)
            outcome = grader.autograde(module, student)
            logs[module, student] = outcome
    with Gradebook(db_url) as gradebook:
        for module in MODULES:
            for student in ("full", "untouched"):
                submission = gradebook.find_submission_notebook(module, module, student)
                results[module, student] = {
                    grade.name: (grade.cell_type, grade.auto_score, grade.max_score, grade.needs_manual_grade)
                    for grade in submission.grades}
    return {"results": results, "logs": logs}


@pytest.mark.parametrize("module", MODULES)
def test_neither_submission_crashes_the_grader(graded, module):
    for student in ("full", "untouched"):
        outcome = graded["logs"][module, student]
        assert outcome["success"], outcome.get("error", "") + outcome.get("log", "")


@pytest.mark.parametrize("module", MODULES)
def test_solution_earns_every_autograded_point(graded, module):
    grades = graded["results"][module, "full"]
    code = {name: row for name, row in grades.items() if row[0] == "code"}
    assert len(code) >= (4 if module.startswith("m00") else 5), f"{module} has too few autograded questions"
    for name, (_, auto, maximum, _) in code.items():
        assert auto == maximum > 0, f"{module} {name}: solution scored {auto} of {maximum}"


@pytest.mark.parametrize("module", MODULES)
def test_untouched_release_scores_zero(graded, module):
    grades = graded["results"][module, "untouched"]
    assert grades
    for name, (cell_type, auto, maximum, _) in grades.items():
        if cell_type == "code":
            assert auto == 0, f"{module} {name}: the untouched release scored {auto}"


@pytest.mark.parametrize("module", MODULES)
def test_written_answers_wait_for_a_person(graded, module):
    """Every module has at least one manually graded written task; autograding leaves it to the grader."""
    written = {name: row for name, row in graded["results"][module, "full"].items() if row[0] == "markdown"}
    assert written, f"{module} has no manually graded answer"
    for name, (_, auto, maximum, needs_manual) in written.items():
        assert maximum > 0 and needs_manual and auto is None, f"{module} {name}"
