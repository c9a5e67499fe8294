"""The Indonesian edition is graded exactly as the English one, with real nbgrader, module by module.

- Autograding: the Indonesian solution earns every autograded point and the untouched Indonesian
  release earns none, both against the instructors' English gradebook (a mixed cohort) and against a
  gradebook made from the Indonesian source; the scores are the same in both.
- Validate on the Indonesian release: tests/trainee/test_validate.py, for both editions.
(nbval runs every Indonesian solution top to bottom: solutions-id is in pytest's testpaths.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.build import generate
from course.nbgrader_api import api, load_config

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").exists())  # every module


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """{(gradebook source, module, student): {grade id: (cell type, auto score, max score)}}."""
    from nbgrader.api import Gradebook

    results = {}
    for made_from in ("solutions", "solutions-id"):
        course = tmp_path_factory.mktemp(f"roundtrip-{made_from}")
        shutil.copy2(ROOT / "nbgrader_config.py", course)
        db_url = f"sqlite:///{course / 'gradebook.db'}"
        for module in MODULES:
            shutil.copytree(ROOT / made_from / module, course / "solutions" / module)
        generate(course, MODULES, db_url=db_url)
        grader = api(course, load_config(course, db_url=db_url))
        for module in MODULES:
            notebook = f"{module}.ipynb"
            for student, source in (("full-id", "solutions-id"), ("untouched-id", "exercises-id")):
                target = course / "submitted" / student / module
                target.mkdir(parents=True)
                shutil.copy2(ROOT / source / module / notebook, target / notebook)
                outcome = grader.autograde(module, student)
                assert outcome["success"], outcome.get("error", "") + outcome.get("log", "")
        with Gradebook(db_url) as gradebook:
            for module in MODULES:
                for student in ("full-id", "untouched-id"):
                    submission = gradebook.find_submission_notebook(module, module, student)
                    results[made_from, module, student] = {
                        grade.name: (grade.cell_type, grade.auto_score, grade.max_score) for grade in submission.grades}
    return results


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("made_from", ["solutions", "solutions-id"])
def test_indonesian_solution_earns_every_autograded_point(graded, module, made_from):
    code = {name: row for name, row in graded[made_from, module, "full-id"].items() if row[0] == "code"}
    assert len(code) >= 4
    for name, (_, auto, maximum) in code.items():
        assert auto == maximum > 0, f"{module} {name}: the Indonesian solution scored {auto} of {maximum}"


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("made_from", ["solutions", "solutions-id"])
def test_untouched_indonesian_release_scores_zero(graded, module, made_from):
    code = {name: row for name, row in graded[made_from, module, "untouched-id"].items() if row[0] == "code"}
    assert code
    assert all(auto == 0 for _, auto, _ in code.values()), code


@pytest.mark.parametrize("module", MODULES)
def test_same_grade_ids_and_scores_whichever_gradebook(graded, module):
    for student in ("full-id", "untouched-id"):
        assert graded["solutions", module, student] == graded["solutions-id", module, student]
