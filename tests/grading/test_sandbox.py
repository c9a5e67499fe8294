"""The kernel sandbox on its own: limits, environment, account, clean-up (no nbgrader, a few plain processes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from grading_fixtures import open_folder

from course.grading import sandbox

ROOT_GRADER = sandbox.is_root()
PROBE = ("import json, os, resource; print(json.dumps({'uid': os.getuid(), 'groups': os.getgroups(), "
         "'as': resource.getrlimit(resource.RLIMIT_AS)[0], 'cpu': resource.getrlimit(resource.RLIMIT_CPU)[0], "
         "'nproc': resource.getrlimit(resource.RLIMIT_NPROC)[0], 'home': os.environ['HOME'], "
         "'env': sorted(os.environ), 'root_listing': sorted(os.listdir('/root')) "
         "if os.access('/root', os.R_OK) else None}))")


@pytest.fixture(scope="module")
def box():
    """A sandbox as `course grade` prepares it here, with small limits."""
    work = open_folder("course-sandbox-test-")
    limits = sandbox.Limits(timeout=5, memory_mb=512, cpu_seconds=2, processes=32)
    prepared = sandbox.prepare(limits, sandbox.ACCOUNT_PREFIX, str(work))
    yield prepared, work
    sandbox.kill_account_processes(prepared.account)
    shutil.rmtree(work, ignore_errors=True)


def run_in(box, code: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter inside the sandbox, with a home in the module's work folder."""
    prepared, work = box
    home = tempfile.mkdtemp(prefix="home-", dir=work)
    os.chmod(home, 0o755)
    command = sandbox.launch_command(prepared.spec(home), [sys.executable, "-c", code])
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=work,
                          env={**os.environ, **env}, check=False)


def test_a_kernel_gets_the_limits_a_private_home_and_no_secrets(box):
    result = run_in(box, PROBE, COURSE_TEST_POSTGRES_URL="postgresql://secret", SOME_TOKEN="secret")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["as"] == 512 << 20 and seen["cpu"] == 2
    assert seen["home"] != os.environ["HOME"]
    assert "COURSE_TEST_POSTGRES_URL" not in seen["env"] and "SOME_TOKEN" not in seen["env"]
    if ROOT_GRADER:
        assert seen["uid"] != 0 and seen["groups"] == []
        assert seen["nproc"] == 32
        exposed = dict(box[0].open_up).get("/root", [])
        assert seen["root_listing"] is None or set(seen["root_listing"]) <= set(exposed), \
            "of a closed folder, only what the kernel needs is visible"


def test_memory_beyond_the_limit_fails_inside_the_kernel(box):
    result = run_in(box, "x = bytearray(1 << 30)")
    assert result.returncode != 0 and "MemoryError" in result.stderr


def test_cpu_time_beyond_the_limit_ends_the_process(box):
    started = time.monotonic()
    result = run_in(box, "while True: pass", timeout=60)
    assert result.returncode < 0, "killed by a signal (SIGXCPU or SIGKILL)"
    assert time.monotonic() - started < 30


@pytest.mark.skipif(not ROOT_GRADER, reason="kernels get their own account (and a process limit of their own) "
                                            "only when the grader is root")
def test_a_fork_loop_stops_at_the_process_limit_and_leaves_nothing(box):
    prepared, _ = box
    code = ("import os\ncount = 0\ntry:\n    while True:\n        if os.fork() == 0:\n"
            "            os.close(1); os.close(2); import time; time.sleep(600); os._exit(0)\n        count += 1\n"
            "except OSError as error:\n    print(type(error).__name__, count, flush=True)\n")
    result = run_in(box, code)
    assert result.stdout.startswith("BlockingIOError"), result.stderr
    assert int(result.stdout.split()[1]) < 32
    if prepared.namespace:  # the kernel's PID namespace ended with it, and its children with it
        assert sandbox.count_tasks(prepared.account.uid) == 0, "the sleeping children outlived the kernel"
    else:
        assert sandbox.count_tasks(prepared.account.uid) > 0, "the sleeping children are still there"
    sandbox.kill_account_processes(prepared.account)
    assert sandbox.count_tasks(prepared.account.uid) == 0


@pytest.mark.skipif(not ROOT_GRADER, reason="only root can make accounts and mount namespaces")
def test_closed_folders_are_found_and_opened_up(box):
    prepared, work = box
    closed = open_folder("course-sandbox-closed-")
    inner = closed / "inside"
    inner.mkdir()
    (inner / "answer.txt").write_text("42")
    (closed / "private.txt").write_text("secret")
    closed.chmod(0o700)
    found = sandbox.closed_folders([str(inner)], prepared.account)
    assert found == [(str(closed), ["inside"])]
    if prepared.namespace:
        opened = sandbox.Sandbox(prepared.limits, prepared.account, True, prepared.open_up + found)
        home = tempfile.mkdtemp(prefix="home-", dir=work)
        os.chmod(home, 0o755)
        command = sandbox.launch_command(
            opened.spec(home),
            [sys.executable, "-c", (f"import os; print(open({str(inner / 'answer.txt')!r}).read(), "
                                    f"sorted(os.listdir({str(closed)!r})))")])
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=work, check=False)
        assert result.stdout.split() == ["42", "['inside']"], result.stderr
    shutil.rmtree(closed, ignore_errors=True)


def test_lock_files_live_in_a_private_folder_and_are_never_opened_through_a_link(tmp_path):
    open_to_all = tmp_path / "shared"
    open_to_all.mkdir()
    open_to_all.chmod(0o777)
    with pytest.raises(sandbox.SandboxError, match="no other account may enter"):
        sandbox.private_dir(open_to_all)
    private = sandbox.private_dir(tmp_path / "private")
    assert private.stat().st_mode & 0o777 == 0o700
    victim = tmp_path / "gradebook.db"
    victim.write_bytes(b"scores")
    (private / "planted.lock").symlink_to(victim)
    with pytest.raises(OSError):
        sandbox.open_private(private / "planted.lock")
    assert victim.read_bytes() == b"scores", "a link was followed and its target truncated"


@pytest.mark.skipif(not ROOT_GRADER, reason="only root can plant where the grader's root-owned locks would be")
def test_claiming_an_account_ignores_what_a_kernel_planted_in_run_lock(tmp_path):
    victim = tmp_path / "gradebook.db"
    victim.write_bytes(b"scores")
    planted = Path(f"/run/lock/{sandbox.ACCOUNT_PREFIX}-0.lock")
    if os.path.lexists(planted) or not os.access("/run/lock", os.W_OK):
        pytest.skip(f"{planted} exists already or /run/lock is not writable")
    planted.symlink_to(victim)
    try:
        account, lock = sandbox.claim_account(sandbox.ACCOUNT_PREFIX)
        lock.close()
    finally:
        planted.unlink()
    assert account.name.startswith(sandbox.ACCOUNT_PREFIX) and victim.read_bytes() == b"scores"


def test_a_kernel_works_in_an_empty_private_folder(box):
    result = run_in(box, "import json, os; print(json.dumps({'cwd': os.getcwd(), 'home': os.environ['HOME'], "
                         "'files': sorted(os.listdir('.'))}))")
    seen = json.loads(result.stdout)
    assert seen["cwd"] == seen["home"]
    assert not set(seen["files"]) - {"tmp", ".ipython", ".matplotlib", ".jupyter", "connection.json"}


@pytest.mark.skipif(not ROOT_GRADER, reason="private namespaces need root")
def test_a_kernel_sees_only_its_own_processes_and_empty_temporary_folders(box):
    if not box[0].namespace:
        pytest.skip("this machine allows no mount and PID namespaces")
    if "/tmp" not in box[0].private_temp:
        # the Python that runs kernels lives under /tmp here (a checkout in /tmp): /tmp must stay visible
        pytest.skip("the course's Python is under /tmp, so the sandbox keeps /tmp; /run/lock is checked below")
    marker = Path("/tmp") / f"course-sandbox-marker-{os.getpid()}"
    left_behind = Path("/tmp") / f"course-sandbox-left-behind-{os.getpid()}"  # this run's own name
    marker.write_text("the grader's")
    try:
        result = run_in(box, "import json, os; print(json.dumps({'pids': [p for p in os.listdir('/proc') "
                             "if p.isdigit()], 'tmp': os.listdir('/tmp'), 'lock': os.listdir('/run/lock'), "
                             f"'home': os.environ['HOME']}})); open({str(left_behind)!r}, 'w').write('x')")
    finally:
        marker.unlink()
    seen = json.loads(result.stdout)
    assert len(seen["pids"]) <= 3, seen["pids"]  # init, the kernel (and nothing of the machine)
    on_the_way_home = {Path(seen["home"]).relative_to("/tmp").parts[0]} if seen["home"].startswith("/tmp/") else set()
    assert set(seen["tmp"]) == on_the_way_home and seen["lock"] == [], "only the path to its own home"
    assert not left_behind.exists()


def test_a_kernel_gets_its_own_empty_run_lock_and_process_list_wherever_the_course_lives(box):
    if not box[0].namespace:
        pytest.skip("this machine allows no mount and PID namespaces")
    result = run_in(box, "import json, os; print(json.dumps({'pids': [p for p in os.listdir('/proc') "
                         "if p.isdigit()], 'lock': os.listdir('/run/lock')}))")
    seen = json.loads(result.stdout)
    assert len(seen["pids"]) <= 3, seen["pids"]
    assert seen["lock"] == [], "/run/lock is the kernel's own"
