"""The grading engine on a real multi-process Dask cluster on 127.0.0.1, and its faults.

A ``dask scheduler`` and two ``dask worker`` processes (each with its nanny) are started
by the test; ``course grade --scheduler`` sends the work there. Where the ``dask`` command
is missing the cluster tests skip with the reason (in CI that is a failure). Checked:

- part of the hostile corpus gets the same scores and statuses on the cluster as the
  embedded default gives (the corpus test checks the default against the same table);
- a worker killed with SIGKILL mid-run loses no score and leaves no stale one;
- an unreachable scheduler is a clear error and nothing is written;
- a submission past its deadline is stopped from outside and recorded as timed out.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from grading_fixtures import COURSE_ID, course_copy
from hostile_corpus import M00, M01, Kind, build, code, edited, insert_after, kinds
from test_hostile_corpus import seed_earlier_full_score

from course.grading import gradebook
from course.grading.runner import GradeOptions, grade
from course.nbgrader_api import CourseError

ON_CLUSTER = ["full", "untouched", "full-m01", "os-exit", "deleted-test", "renamed-id", "invalid-json",
              "loop-after-answer", "peek-hidden", "foreign-kernel", "not-submitted"]
SELECTED = [kind for kind in kinds(include_attack=False) if kind.student in ON_CLUSTER]
OPTIONS = {"timeout": 10, "memory_mb": 1024, "cpu_seconds": 120, "progress": False}
DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """A scheduler and two single-threaded workers (with nannies) on 127.0.0.1; yields (address, worker pids)."""
    if DASK is None:
        pytest.skip("the `dask` command (dask[distributed]) is not installed")
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], **quiet)]
    for _ in range(2):
        processes.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                           "--host", "127.0.0.1", "--no-dashboard", "--memory-limit", "0"],
                                          **quiet))
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with Client(address, timeout=5, set_as_default=False) as client:
                    if len(client.scheduler_info(n_workers=-1)["workers"]) == 2:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the test cluster did not come up within 180 s")
            time.sleep(1)
        yield address, processes
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def results_table(run) -> dict[tuple[str, str], tuple[str, float]]:
    return {(r.module, r.student): (str(r.status), r.auto_score) for r in run.results}


@pytest.mark.external("dask")
def test_the_corpus_gets_the_same_scores_on_a_cluster(cluster, released_course):
    address, _ = cluster
    course, db_url, clean = course_copy(released_course, "sqlite")
    try:
        build(course, SELECTED, db_url)
        run = grade(course, [M00, M01], [kind.student for kind in SELECTED],
                    GradeOptions(db_url=db_url, scheduler=address, **OPTIONS))
        got = results_table(run)
        for kind in SELECTED:
            assert got[kind.module, kind.student] == (kind.status, kind.score or 0.0), kind.why
        assert run.workers == 2
        assert gradebook.consistency_problems(db_url, COURSE_ID) == []
        assert (course / "feedback" / "full" / M00 / f"{M00}.html").is_file(), "results came back as data"
    finally:
        clean()


def worker_children(nanny_pid: int) -> list[int]:
    import psutil

    return [child.pid for child in psutil.Process(nanny_pid).children() if "python" in child.name().lower()]


@pytest.mark.external("dask")
def test_a_worker_killed_mid_run_loses_no_score_and_leaves_no_stale_one(cluster, released_course):
    pytest.importorskip("psutil")
    address, processes = cluster
    course, db_url, clean = course_copy(released_course, "sqlite")
    cohort = [Kind(f"full-{n}", M00, 6, "graded", edited(M00, lambda nb: None), "solution") for n in range(4)]
    cohort += [Kind(f"slow-{n}", M00, 6, "graded",
                    edited(M00, insert_after("m00-q4-hs-test", code("import time\ntime.sleep(3)"))),
                    "solution and a slow cell") for n in range(2)]
    try:
        build(course, cohort, db_url)
        for kind in cohort:  # an earlier grading's rows, with another fingerprint: all must be replaced
            seed_earlier_full_score(db_url, M00, kind.student)
        outcome: dict = {}
        thread = threading.Thread(target=lambda: outcome.update(run=grade(
            course, [M00], [kind.student for kind in cohort],
            GradeOptions(db_url=db_url, scheduler=address, **OPTIONS))))
        thread.start()
        victim = None
        deadline = time.monotonic() + 240
        while victim is None and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.5)
            running = [pid for pid in worker_children(processes[1].pid)
                       if any("kernel" in " ".join(child.cmdline()) for child in _descendants(pid))]
            victim = running[0] if running else None
        assert victim is not None, "no worker of the first nanny started a kernel"
        os.kill(victim, signal.SIGKILL)
        thread.join(timeout=600)
        run = outcome["run"]
        assert results_table(run) == {(M00, kind.student): ("graded", 6.0) for kind in cohort}, \
            "the lost worker's task was graded again"
        statuses = gradebook.statuses(db_url, COURSE_ID)
        found = {student: (row["auto_score"], bool(row["fingerprint"])) for (_, student), row in statuses.items()}
        assert found == {kind.student: (6.0, True) for kind in cohort}, \
            "every row is this run's (the seeded ones have no fingerprint)"
        assert gradebook.consistency_problems(db_url, COURSE_ID) == []
    finally:
        clean()


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_an_unreachable_scheduler_is_a_clear_error_and_writes_nothing(released_course, monkeypatch):
    course, db_url, clean = course_copy(released_course, "sqlite")
    try:
        build(course, [kind for kind in SELECTED if kind.student == "full"], db_url)
        before = (course / "gradebook.db").read_bytes()
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", f"tcp://127.0.0.1:{free_port()}")
        with pytest.raises(CourseError, match=r"cannot reach the Dask scheduler .* nothing was graded or written"):
            grade(course, [M00], ["full"], GradeOptions(db_url=db_url, **OPTIONS))
        assert (course / "gradebook.db").read_bytes() == before, "the gradebook was not even opened for writing"
        assert not (course / "autograded").exists() and not (course / "feedback").exists()
    finally:
        clean()


def test_a_submission_past_its_deadline_is_stopped_from_outside(released_course):
    course, db_url, clean = course_copy(released_course, "sqlite")
    sleeper = Kind("sleeper", M00, 0, "timeout",
                   edited(M00, insert_after("m00-setup", code("import time\ntime.sleep(800)"))),
                   "a cell within the cell timeout, past the whole submission's deadline")
    full = next(kind for kind in SELECTED if kind.student == "full")
    try:
        build(course, [sleeper, full], db_url)
        started = time.monotonic()
        run = grade(course, [M00], ["sleeper", "full"],
                    GradeOptions(db_url=db_url, jobs=2, submission_timeout=90, **{**OPTIONS, "timeout": 900}))
        assert results_table(run) == {(M00, "sleeper"): ("timeout", 0.0), (M00, "full"): ("graded", 6.0)}
        assert "was stopped" in next(r.detail for r in run.results if r.student == "sleeper")
        assert time.monotonic() - started < 600, "stopped at its deadline, not at the end of its cell"
        row = gradebook.statuses(db_url, COURSE_ID)[M00, "sleeper"]
        assert (row["status"], row["auto_score"]) == ("timeout", 0.0)
    finally:
        clean()
