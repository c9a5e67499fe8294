"""The hostile corpus, graded on SQLite and on PostgreSQL: each kind's score and status, and a sound gradebook.

Before grading, three trainees get an earlier full score in the gradebook (as if an
earlier submission had been graded): their new, failing submissions must replace it; a
fourth ("gone") has an earlier score and no folder any more: it must disappear. As root,
the grader's old lock names in /run/lock are planted first, as a kernel could: a symbolic
link to the gradebook and a folder; grading must neither follow nor trip over them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest
from grading_fixtures import BACKENDS, COURSE_ID, course_copy
from hostile_corpus import LITTER_TOKEN, M00, M01, build, kinds

from course.grading import gradebook, outcome, sandbox
from course.grading.outcome import CellGrade, NotebookOutcome, SubmissionResult
from course.grading.runner import GradeOptions, grade

ROOT_GRADER = sandbox.is_root()
KINDS = kinds(include_attack=ROOT_GRADER)
STALE = {"os-exit": M00, "invalid-json": M00, "loop-in-function": M01}
GONE = "gone"
TEMP_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
ISOLATED = {"fork-loop"}


def seed_earlier_full_score(db_url: str, module: str, student: str) -> float:
    """Record full marks for ``student`` as an earlier grading would have; return that score."""
    spec = gradebook.module_spec(db_url, COURSE_ID, module)
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        notebook = book.find_notebook(module, module)
        grades = {cell.name: CellGrade(cell.max_score, False) for cell in notebook.grade_cells}
        grades.update({cell.name: CellGrade(None, True) for cell in notebook.task_cells})
    earlier = SubmissionResult(module, student, outcome.Status.GRADED, auto_score=spec.auto_max, auto_max=spec.auto_max,
                               notebooks={module: NotebookOutcome(grades=grades)})
    with gradebook.Recorder(db_url, COURSE_ID) as recorder:
        recorder.record(earlier)
    return spec.auto_max


def plant_lock_names(target: Path) -> list[Path]:
    """What a kernel could leave in /run/lock on a grader that trusted it: a link to ``target``, a folder."""
    planted = []
    if ROOT_GRADER and os.access("/run/lock", os.W_OK):
        link = Path(f"/run/lock/{sandbox.ACCOUNT_PREFIX}-0.lock")
        folder = Path(f"/run/lock/{sandbox.ACCOUNT_PREFIX}-1.lock")
        for path in (link, folder):
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir():
                shutil.rmtree(path)
        link.symlink_to(target)
        folder.mkdir()
        planted = [link, folder]
    return planted


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_run(request, released_course):
    """Every kind submitted into one course and graded once with two workers."""
    course, db_url, clean = course_copy(released_course, request.param)
    build(course, KINDS, db_url)
    earlier = {student: seed_earlier_full_score(db_url, module, student) for student, module in STALE.items()}
    earlier[GONE] = seed_earlier_full_score(db_url, M00, GONE)
    (course / "autograded" / GONE / M00).mkdir(parents=True)
    victim = course / "submitted" / "full" / M00 / f"{M00}.ipynb"
    victim_bytes, gradebook_file = victim.read_bytes(), course / "gradebook.db"
    planted = plant_lock_names(gradebook_file)
    # 10-second cells: m01's set-up cell (matplotlib, widgets) needs several seconds on a busy machine
    options = GradeOptions(jobs=2, timeout=10, memory_mb=1024, cpu_seconds=120, processes=64, db_url=db_url,
                           progress=False)
    cohort = [kind.student for kind in KINDS if kind.student not in ISOLATED] + [GONE]
    try:
        run = grade(course, [M00, M01], students=cohort, options=options)
        # a fork loop takes a core's worth of processes for up to a cell's timeout: graded alone, so that the
        # 5-second timeouts of this test never starve an innocent neighbour (see docs/grading.md)
        alone = grade(course, [M00], students=sorted(ISOLATED), options=options)
    finally:
        for path in planted:
            if path.is_symlink():
                path.unlink()
            elif path.is_dir():
                path.rmdir()
    results = {(r.module, r.student): r for r in run.results + alone.results}
    yield {"course": course, "db_url": db_url, "runs": [run, alone], "earlier": earlier, "victim": victim,
           "victim_bytes": victim_bytes, "gradebook_file": gradebook_file, "results": results,
           "planted": planted}
    clean()


def printed(course: Path, student: str, module: str = M00) -> str:
    """What the kernel printed while grading ``student``'s notebook (from the autograded notebook)."""
    notebook = json.loads((course / "autograded" / student / module / f"{module}.ipynb").read_text())
    return "".join("".join(output.get("text", "")) for cell in notebook["cells"] for output in cell.get("outputs", []))


@pytest.mark.parametrize("kind", KINDS, ids=[kind.student for kind in KINDS])
def test_each_kind_is_recorded_with_its_expected_score_and_status(corpus_run, kind):
    result = corpus_run["results"][kind.module, kind.student]
    assert result.status == kind.status, f"{kind.why}: got {result.label} ({result.detail})"
    db_url = corpus_run["db_url"]
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        from nbgrader.api import MissingEntry

        if kind.score is None:
            with pytest.raises(MissingEntry):
                book.find_submission(kind.module, kind.student)
            return
        submission = book.find_submission(kind.module, kind.student)
        assert submission.code_score == kind.score, f"{kind.why}: gradebook has {submission.code_score}"
    assert result.auto_score == kind.score
    row = gradebook.statuses(db_url, COURSE_ID)[kind.module, kind.student]
    assert (row["status"], row["auto_score"]) == (kind.status, kind.score)


def test_the_gradebook_is_consistent_afterwards(corpus_run):
    db_url = corpus_run["db_url"]
    assert gradebook.consistency_problems(db_url, COURSE_ID) == []
    submitted = {(kind.module, kind.student) for kind in KINDS if kind.score is not None}
    assert (M00, GONE) not in submitted
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        recorded = {(sub.assignment.name, sub.student_id) for a in book.assignments for sub in a.submissions}
    assert recorded == submitted, "exactly one current score per trainee and submitted module"
    assert all(run.ok for run in corpus_run["runs"])


def test_no_earlier_score_survives_a_failing_regrade(corpus_run):
    results = corpus_run["results"]
    for student, module in STALE.items():
        assert results[module, student].auto_score < corpus_run["earlier"][student], student


def test_a_trainee_whose_folder_is_gone_keeps_no_earlier_score(corpus_run):
    from nbgrader.api import MissingEntry

    from course.grading.export import collect

    db_url, course = corpus_run["db_url"], corpus_run["course"]
    assert corpus_run["results"][M00, GONE].status == "not_submitted"
    with gradebook.open_gradebook(db_url, COURSE_ID) as book, pytest.raises(MissingEntry):
        book.find_submission(M00, GONE)
    assert (M00, GONE) not in gradebook.statuses(db_url, COURSE_ID)
    _, rows = collect(db_url, COURSE_ID, [M00])
    assert next(row for row in rows if row.trainee_id == GONE).scores[M00] is None, "the export shows no score"
    assert not (course / "autograded" / GONE / M00).exists()


def test_symbolic_link_folders_are_not_graded_as_someone_elses_work(corpus_run):
    course = corpus_run["course"]
    for student in ("link-solutions", "link-classmate"):
        result = corpus_run["results"][M00, student]
        assert "symbolic link" in result.detail, result.detail
        page = (course / "feedback" / student / M00 / f"{M00}.html").read_text()
        assert "BEGIN SOLUTION" not in page and "papatonk_stock = 1_000_000" not in page
    assert (course / "solutions" / M00 / f"{M00}.ipynb").is_file()


def test_huge_outputs_are_trimmed_in_the_autograded_notebook_and_the_feedback(corpus_run):
    course = corpus_run["course"]
    notebook = course / "autograded" / "huge-images" / M00 / f"{M00}.ipynb"
    page = course / "feedback" / "huge-images" / M00 / f"{M00}.html"
    assert notebook.stat().st_size < 4 << 20, notebook.stat().st_size
    assert page.stat().st_size < 4 << 20, page.stat().st_size
    assert "removed: over the grader's limit" in notebook.read_text()


def test_repairs_and_odd_timestamps_are_noted(corpus_run):
    results = corpus_run["results"]
    assert "not a date" in results[M00, "bad-timestamp"].detail
    assert "characters, not a date" in results[M00, "long-timestamp"].detail
    assert "'ir' replaced" in results[M00, "foreign-kernel"].detail
    assert "nbformat 3" in results[M00, "nbformat3"].detail
    assert "U+FFFD" in results[M00, "surrogate"].detail
    assert "m00-q3-count-test renamed" in results[M00, "renamed-id"].detail
    assert "my-bonus" in results[M00, "invented-cell"].detail
    assert "nested" in results[M00, "deep-json"].detail


@pytest.mark.skipif(not ROOT_GRADER, reason="private temporary folders and a private /proc need root (namespaces)")
def test_a_kernel_leaves_nothing_in_shared_temporary_folders_and_sees_no_other_process(corpus_run):
    # every temporary folder is the kernel's own, but /tmp where the kernels' Python lives under it (a checkout in
    # /tmp): the sandbox must keep that one visible (test_sandbox.py); the others are checked there too
    private = sandbox.private_temp_folders(sandbox.required_paths())
    assert set(private) >= set(TEMP_FOLDERS) - {"/tmp"}, private
    course = corpus_run["course"]
    assert "LITTER ['/tmp', '/var/tmp', '/dev/shm', '/run/lock']" in printed(course, "litter"), \
        "the kernel could write its own temporary folders"
    left = [folder for folder in private if os.path.lexists(os.path.join(folder, LITTER_TOKEN))]
    for folder in set(TEMP_FOLDERS) - set(private):  # a shared /tmp (checkout under /tmp): tidy up after the test
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(folder, LITTER_TOKEN))
    assert left == [], "files a kernel wrote outlived its submission"
    line = next(text for text in printed(course, "snoop").splitlines() if text.startswith("SNOOP"))
    seen = json.loads(line.split(" ", 1)[1])
    assert seen["others"] == [], "the kernel saw other processes"
    # logs in the kernel's own temporary folders: none (a shared /tmp shows the machine's own, as any user sees)
    assert [path for path in seen["logs"] if any(path.startswith(folder + "/") for folder in private)] == []


@pytest.mark.skipif(not ROOT_GRADER, reason="the grader's lock files are at stake only when it runs as root")
def test_planted_lock_names_are_neither_followed_nor_fatal(corpus_run):
    assert corpus_run["planted"], "the test could not plant in /run/lock"
    db_url = corpus_run["db_url"]
    if db_url.startswith("sqlite"):
        assert corpus_run["gradebook_file"].stat().st_size > 0
    with gradebook.open_gradebook(db_url, COURSE_ID) as book:
        assert len(book.students) >= len(KINDS)
    assert all(run.ok for run in corpus_run["runs"])


def test_feedback_for_graded_work_and_a_note_for_unreadable_work(corpus_run):
    course = corpus_run["course"]
    for kind in KINDS:
        page = course / "feedback" / kind.student / kind.module / f"{kind.module}.html"
        if kind.student.startswith("link-"):
            continue
        if kind.score is None:
            assert not page.parent.exists(), kind.student
        elif kind.status in ("missing", "unreadable"):
            assert "could not be graded" in page.read_text(), kind.student
        else:
            assert page.is_file() and "Score" in page.read_text(), kind.student
            assert (course / "autograded" / kind.student / kind.module / f"{kind.module}.ipynb").is_file()


@pytest.mark.skipif(not ROOT_GRADER, reason="kernels get their own account only when the grader is root")
def test_student_code_could_not_touch_the_gradebook_or_other_submissions(corpus_run):
    course = corpus_run["course"]
    assert corpus_run["victim"].read_bytes() == corpus_run["victim_bytes"]
    line = next(text for text in printed(course, "attack-files").splitlines() if text.startswith("ATTACK"))
    attempts = json.loads(line.split(" ", 1)[1].split(" SECRETS ")[0])
    # refused: by file permissions, or (with a private mount namespace) the course folder is out of sight
    assert set(attempts.values()) <= {"PermissionError", "FileNotFoundError"}, attempts
    assert len(attempts) == 4
    assert line.endswith("SECRETS []"), "the grader's database settings reached student code"
    assert gradebook.consistency_problems(corpus_run["db_url"], COURSE_ID) == []


def test_code_that_can_fake_tests_is_flagged_for_review(corpus_run):
    detail = corpus_run["results"][M00, "monkey-patch"].detail
    assert "review: the trainee's code uses" in detail and "builtins" in detail and "checks.number" in detail
    assert "review" not in corpus_run["results"][M00, "full"].detail


@pytest.mark.skipif(not ROOT_GRADER, reason="kernel accounts exist only when the grader is root")
def test_no_process_of_the_kernel_accounts_is_left(corpus_run):
    import pwd

    accounts = [entry for entry in pwd.getpwall() if entry.pw_name.startswith(sandbox.ACCOUNT_PREFIX + "-")]
    assert accounts
    assert {entry.pw_name: sandbox.count_tasks(entry.pw_uid) for entry in accounts} == \
        {entry.pw_name: 0 for entry in accounts}
