"""Worker scratch folders: a live worker's folder is never removed, an abandoned one is.

Each grading worker keeps its working copies in a scratch folder (``course-grade-worker-*``
in /dev/shm or the temporary folder) and holds an flock on ``owner.lock`` there for its whole
life. A starting worker removes the folders whose lock is free. Process ids are not
consulted: a worker in another PID namespace (a container, a session under ``unshare``)
looks dead from here, and a dead worker's id may belong to another process by now; either
way another grading session on the same machine lost its gradebook mid-autograde.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import sandbox
from course.grading.worker import LOCK_FILE, OWNER_FILE, SCRATCH_PREFIX, claim_scratch, remove_stale_scratch

ROOT = Path(__file__).resolve().parents[2]
HOLDER = ("import sys\nfrom course.grading.worker import claim_scratch\n"
          "folder, lock = claim_scratch(sys.argv[1])\nprint(folder, flush=True)\nsys.stdin.read()\n")


def checkout_env() -> dict[str, str]:
    """The environment of a helper process: this checkout's ``course`` package first."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def hold_scratch(root: Path) -> tuple[subprocess.Popen, Path]:
    """Another process that claims a scratch folder under ``root`` as a worker does, and holds it until stopped."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=checkout_env())
    line = holder.stdout.readline().strip()
    assert line, f"the holder did not claim a folder (exit status {holder.poll()})"
    return holder, Path(line)


def stop(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    holder.wait(timeout=30)


def dead_pid() -> int:
    """The id of a process that has ended (no process has it now)."""
    for _ in range(10):
        ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                               text=True, check=True)
        pid = int(ended.stdout)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
    raise AssertionError("no ended process id stayed free")


def test_a_live_workers_folder_survives_whatever_its_pid_file_says(tmp_path):
    holder, live = hold_scratch(tmp_path)
    try:
        # what a worker in another PID namespace wrote, as seen from here: an id no process has here
        (live / OWNER_FILE).write_text(str(dead_pid()))
        gone_holder, abandoned = hold_scratch(tmp_path)
        stop(gone_holder)
        (abandoned / OWNER_FILE).write_text(str(os.getpid()))  # its id reused by a live process: still abandoned
        assert remove_stale_scratch(str(tmp_path)) == [str(abandoned)]
        assert not abandoned.exists()
        assert (live / LOCK_FILE).is_file(), "a live worker's folder was removed"
    finally:
        stop(holder)
    assert remove_stale_scratch(str(tmp_path)) == [str(live)], "once its worker is gone, it is abandoned"


def test_a_folder_being_set_up_or_not_a_workers_is_left_alone(tmp_path):
    setting_up = tmp_path / f"{SCRATCH_PREFIX}new"  # made, its lock not yet held: no owner.pid yet
    setting_up.mkdir()
    (setting_up / LOCK_FILE).touch()
    older = tmp_path / f"{SCRATCH_PREFIX}older"  # another version of the grader: no lock to judge by
    older.mkdir()
    (older / OWNER_FILE).write_text(str(dead_pid()))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    holder, target = hold_scratch(elsewhere)
    stop(holder)  # an abandoned folder elsewhere, reached only through a link named like a scratch folder
    link = tmp_path / f"{SCRATCH_PREFIX}link"
    link.symlink_to(target)
    assert remove_stale_scratch(str(tmp_path)) == []
    assert setting_up.is_dir() and older.is_dir() and target.is_dir() and link.is_symlink()


def test_claim_scratch_waits_for_a_remover_that_holds_its_lock_and_is_never_taken_for_abandoned(tmp_path):
    folder, lock = claim_scratch(str(tmp_path))
    try:
        assert (folder / OWNER_FILE).read_text() == str(os.getpid())
        assert remove_stale_scratch(str(tmp_path)) == [], "the lock is held by this process"
        assert folder.is_dir()
    finally:
        lock.close()
    assert remove_stale_scratch(str(tmp_path)) == [str(folder)]


@pytest.mark.skipif(not sandbox.is_root() or not shutil.which("unshare"),
                    reason="a PID namespace needs root and util-linux's unshare")
def test_a_remover_in_another_pid_namespace_leaves_a_live_workers_folder(tmp_path):
    holder, live = hold_scratch(tmp_path)
    try:
        gone_holder, abandoned = hold_scratch(tmp_path)
        stop(gone_holder)
        inside = subprocess.run(
            ["unshare", "--pid", "--fork", "--mount-proc", sys.executable, "-c",
             "import json, os, sys\nfrom course.grading.worker import remove_stale_scratch\n"
             "print(json.dumps([os.getpid(), remove_stale_scratch(sys.argv[1])]))", str(tmp_path)],
            capture_output=True, text=True, env=checkout_env(), timeout=120, check=False)
        assert inside.returncode == 0, inside.stderr
        pid, removed = json.loads(inside.stdout)
        assert pid == 1, "the remover ran in a PID namespace of its own"
        assert removed == [str(abandoned)]
        assert (live / LOCK_FILE).is_file(), "a live worker's folder was removed from another PID namespace"
    finally:
        stop(holder)
