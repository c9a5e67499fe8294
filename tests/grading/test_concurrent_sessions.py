"""Two grading sessions on one machine, at the same time, over the same scratch folder: neither disturbs the other.

Two copies of a small course are graded by two `course grade` processes at once. The second
starts when the first one's workers are set up and grading, and (as root, where util-linux's
``unshare`` is present) runs in a PID namespace of its own, as a grader in a container or a
session started under ``unshare`` does: from there the first session's workers look dead.
Both must finish with every expected score. Both use a scratch root of this test's own
(``COURSE_GRADE_SCRATCH``), so that nothing here can touch another session on this machine.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from grading_fixtures import COURSE_ID, course_copy
from hostile_corpus import M00, build, kinds

from course.grading import gradebook, sandbox
from course.grading.worker import OWNER_FILE, SCRATCH_ENV, SCRATCH_PREFIX, scratch_root

ROOT = Path(__file__).resolve().parents[2]
BASE = {kind.student: kind for kind in kinds(include_attack=False)
        if kind.student in {"full", "untouched", "loop-after-answer"}}
# two never-ending cells: each session grades for at least two cell timeouts after its workers are up
COHORT = [*BASE.values(), dataclasses.replace(BASE["loop-after-answer"], student="loop-again")]
IN_NAMESPACE = sandbox.is_root() and shutil.which("unshare") is not None


def start_grading(course: Path, scratch: Path, own_pid_namespace: bool) -> subprocess.Popen:
    env = {**os.environ, SCRATCH_ENV: str(scratch),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "course", "grade", M00, "--jobs", "2", "--timeout", "8", "--memory", "1024",
               "--no-feedback"]
    if own_pid_namespace:
        command = ["unshare", "--pid", "--fork", "--mount-proc", *command]
    return subprocess.Popen(command, cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_workers(scratch: Path, count: int, first: subprocess.Popen) -> None:
    """Until ``count`` workers hold their scratch folders under ``scratch``."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        held = [folder for folder in scratch.glob(SCRATCH_PREFIX + "*") if (folder / OWNER_FILE).is_file()]
        if len(held) >= count:
            return
        if first.poll() is not None:
            out, err = first.communicate()
            raise AssertionError(f"the first session ended before its workers were seen:\n{out}\n{err}")
        time.sleep(0.2)
    raise AssertionError("the first session's workers never set up their scratch folders")


@pytest.fixture
def two_courses(released_course):
    made = [course_copy(released_course, "sqlite") for _ in range(2)]
    for course, db_url, _ in made:
        build(course, COHORT, db_url)
    scratch = Path(tempfile.mkdtemp(prefix="course-test-scratch-", dir=scratch_root()))
    scratch.chmod(0o755)  # kernel accounts pass through it to their homes, as through /dev/shm
    yield [(course, db_url) for course, db_url, _ in made], scratch
    for *_, clean in made:
        clean()
    shutil.rmtree(scratch, ignore_errors=True)


def test_two_sessions_at_once_over_one_scratch_root_both_get_every_score(two_courses):
    courses, scratch = two_courses
    (first_course, _), (second_course, _) = courses
    first = start_grading(first_course, scratch, own_pid_namespace=False)
    second = None
    try:
        wait_for_workers(scratch, 2, first)
        second = start_grading(second_course, scratch, own_pid_namespace=IN_NAMESPACE)
        outputs = [process.communicate(timeout=900) for process in (first, second)]
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    for (course, db_url), process, (out, err) in zip(courses, (first, second), outputs, strict=True):
        rows = {student: row for (module, student), row in gradebook.statuses(db_url, COURSE_ID).items()
                if module == M00}
        recorded = {student: (row["status"], row["auto_score"]) for student, row in rows.items()}
        expected = {kind.student: (kind.status, kind.score) for kind in COHORT}
        details = {student: row["detail"] for student, row in rows.items()}
        assert recorded == expected, f"{course.name}: {details}\n{out}"
        assert process.returncode == 0, f"{course.name}: exit status {process.returncode}\n{out}\n{err[-3000:]}"
    assert not list(scratch.glob(SCRATCH_PREFIX + "*")), "both sessions removed their scratch folders"
