"""Warm kernels: forks of a worker's warm kernel server see the same world as kernels started cold.

Real IPython kernels started by the course's SandboxKernelManager (as nbgrader's Execute starts
them), once through the warm server and once the cold way, each asked what it sees.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from grading_fixtures import open_folder

from course.grading import sandbox
from tests.support import aio

ROOT_GRADER = sandbox.is_root()

# what a kernel sees of its world; "preloaded" tells a fork of the warm server from a cold kernel
PROBE = """
import json, os, resource, sys
FDS = set()  # what the kernel's open files are (kinds: socket, pipe, anon_inode, or a path)
for fd in os.listdir("/proc/self/fd"):
    try:
        FDS.add(os.readlink(f"/proc/self/fd/{fd}").split(":")[0].replace(os.environ["HOME"], "HOME"))
    except OSError:  # the listing's own
        pass
FDS = {name for name in FDS if not name.endswith("-journal")}  # IPython's history, while it writes
print(json.dumps({
    "uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(),
    "limits": {name: resource.getrlimit(getattr(resource, name))
               for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_CORE")},
    "home": os.environ["HOME"], "cwd": os.getcwd(), "files": sorted(os.listdir(".")),
    "env": {key: value.replace(os.environ["HOME"], "HOME") for key, value in os.environ.items()},
    "pids": len([p for p in os.listdir("/proc") if p.isdigit()]), "ppid": os.getppid(),
    "tmp": sorted(os.listdir("/tmp")), "lock": sorted(os.listdir("/run/lock")),
    "shm": sorted(os.listdir("/dev/shm")),
    "fds": sorted(FDS),
    "threads": len(os.listdir("/proc/self/task")), "marker": os.path.exists(MARKER),
    "sys_path": [entry.replace(os.environ["HOME"], "HOME") for entry in sys.path],
    "backend": __import__("matplotlib").rcParams["backend"], "preloaded": "pandas" in sys.modules,
}))
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
"""


@pytest.fixture(scope="module")
def warm_box():
    """A sandbox as a worker prepares it here, with its warm kernel server running."""
    if not ROOT_GRADER:
        pytest.skip("warm kernels need root (namespaces and kernel accounts)")
    work = open_folder("course-warm-test-")
    account, lock = sandbox.claim_account()
    try:
        prepared = sandbox.prepare(sandbox.Limits(timeout=30, memory_mb=3072, cpu_seconds=60, processes=32),
                                   sandbox.ACCOUNT_PREFIX, str(work), account=account)
        if not prepared.namespace:
            pytest.skip("this machine allows no mount and PID namespaces: kernels start cold")
        scratch = work / "scratch"
        scratch.mkdir(mode=0o700)
        prepared.seed = sandbox.warm_caches(scratch)
        server = sandbox.start_warm_server(prepared, scratch)
        assert server is not None
        yield prepared, server, work
        server.close()
    finally:
        sandbox.kill_account_processes(account)
        lock.close()
        shutil.rmtree(work, ignore_errors=True)


async def _run(box: sandbox.Sandbox, work: Path, code: str, then=None) -> tuple[list[str], int | None]:
    """Start a kernel as nbgrader would (SandboxKernelManager), run ``code``; its stdout lines, its exit code."""
    manager = sandbox.SandboxKernelManager(sandbox=box.to_dict(), home_root={"path": str(work)})
    # without MPLBACKEND (the tests set Agg), as on most graders: ipykernel then picks its inline backend
    await manager.start_kernel(env={key: value for key, value in os.environ.items() if key != "MPLBACKEND"})
    client = manager.client()
    client.start_channels()
    lines: list[str] = []
    try:
        await client.wait_for_ready(timeout=120)

        def keep(message):
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                lines.extend(message["content"]["text"].splitlines())
            elif message["msg_type"] == "display_data" and "image/png" in message["content"]["data"]:
                lines.append("<a plot>")
            elif message["msg_type"] == "error":
                lines.append(f"<error {message['content']['ename']}: {message['content']['evalue']}>")

        await client.execute_interactive(code, timeout=120, output_hook=keep)
        if then is not None:
            await then(manager, client)
    finally:
        client.stop_channels()
        if await manager.is_alive():
            await manager.shutdown_kernel(now=True)
    process = getattr(manager.provisioner, "process", None)
    return lines, (process.wait(timeout=10) if process is not None else None)


def run_kernel(box: sandbox.Sandbox, work: Path, code: str, then=None) -> tuple[list[str], int | None]:
    return aio.run(_run(box, work, code, then))


def cold(box: sandbox.Sandbox) -> sandbox.Sandbox:
    return sandbox.Sandbox.from_dict({**box.to_dict(), "warm": None})


def test_a_warm_kernel_sees_the_same_world_as_a_cold_one(warm_box):
    prepared, _, work = warm_box
    marker = Path("/tmp") / f"course-warm-marker-{os.getpid()}"
    marker.write_text("the grader's")
    code = f"MARKER = {str(marker)!r}\n" + PROBE
    try:
        warm_lines, _ = run_kernel(prepared, work, code)
        cold_lines, _ = run_kernel(cold(prepared), work, code)
    finally:
        marker.unlink()
    assert warm_lines[-1] == cold_lines[-1] == "<a plot>", "a plot is shown inline in both"
    warm, cold_seen = json.loads(warm_lines[-2]), json.loads(cold_lines[-2])
    assert warm.pop("preloaded") is True and cold_seen.pop("preloaded") is False
    warm_home, cold_home = warm.pop("home"), cold_seen.pop("home")
    assert warm_home != cold_home, "each kernel has a home of its own"
    for seen, home in ((warm, warm_home), (cold_seen, cold_home)):
        assert seen.pop("cwd") == home
    private_tmp = "/tmp" in prepared.private_temp
    if not private_tmp:  # the course's Python is under /tmp (a checkout there): both kernels see the real /tmp,
        print("the sandbox keeps /tmp here (the course's Python is under it): /tmp's listing is not compared")
        for seen in (warm, cold_seen):  # whose files other processes change between the two kernels
            seen.pop("tmp"), seen.pop("marker")
    assert warm == cold_seen
    # and that world is the sandbox's: the kernel account, its limits, nothing of the grader or other kernels
    assert warm["uid"] == prepared.account.uid and warm["groups"] == []
    assert warm["limits"]["RLIMIT_AS"] == [3072 << 20] * 2 and warm["limits"]["RLIMIT_CPU"] == [60, 60]
    assert warm["limits"]["RLIMIT_NPROC"] == [32, 32] and warm["limits"]["RLIMIT_CORE"] == [0, 0]
    assert warm["lock"] == [] and warm["shm"] == []
    if private_tmp:
        assert warm["marker"] is False, "the grader's /tmp is not the kernel's"
    assert warm["pids"] <= 2 and warm["ppid"] == 1, "only its init and itself"
    assert warm["threads"] == cold_seen["threads"]
    assert not {"SOME_TOKEN", "COURSE_TEST_POSTGRES_URL"} & set(warm["env"])
    assert warm["backend"] == "module://matplotlib_inline.backend_inline"


def test_the_warm_server_starts_the_kernels_and_an_unreachable_one_means_a_cold_start(warm_box):
    prepared, server, work = warm_box
    pid = server.process.pid
    children_before = _children(pid)
    lines, _ = run_kernel(prepared, work, "import sys; print('pandas' in sys.modules, 'numpy' in sys.modules)")
    assert lines == ["True True"], "the kernel was a fork of the warm server (its libraries were loaded)"
    for _ in range(50):  # the kernel's init, an orphan of the server's once it ended, is reaped within a second
        if _children(pid) == children_before:
            break
        time.sleep(0.1)
    assert _children(pid) == children_before, "nothing of the kernel is left with the server"
    # a server that is gone (here: another socket path) means a cold start, said in the kernel's log
    gone = sandbox.Sandbox.from_dict({**prepared.to_dict(), "warm": str(work / "no-such.sock")})
    lines, _ = run_kernel(gone, work, "import sys; print('pandas' in sys.modules)")
    assert lines == ["False"]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except (OSError, ValueError):
                continue
    return found


def test_a_warm_kernel_that_dies_is_seen_dying_as_a_cold_one(warm_box):
    prepared, _, work = warm_box
    code = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    statuses = []
    for box in (prepared, cold(prepared)):
        manager = sandbox.SandboxKernelManager(sandbox=box.to_dict(), home_root={"path": str(work)})

        async def die(manager=manager):
            await manager.start_kernel(env=dict(os.environ))
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=120)
            client.execute(code)
            process = manager.provisioner.process
            for _ in range(200):
                if process.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            client.stop_channels()
            return process.poll()

        statuses.append(aio.run(die()))
    assert statuses == [-signal.SIGKILL, -signal.SIGKILL], "what _how_it_died reads: killed by SIGKILL"
    assert sandbox.count_tasks(prepared.account.uid) == 0


def test_killing_the_process_jupyter_started_ends_the_warm_kernel(warm_box):
    prepared, _, work = warm_box

    async def kill_launcher(manager, client):
        assert sandbox.count_tasks(prepared.account.uid) >= 1
        manager.provisioner.process.send_signal(signal.SIGKILL)  # as nbgrader's immediate shutdown does
        for _ in range(100):
            if sandbox.count_tasks(prepared.account.uid) == 0:
                break
            await asyncio.sleep(0.1)

    started = time.monotonic()
    run_kernel(prepared, work, "import time; print('up')", then=kill_launcher)
    assert sandbox.count_tasks(prepared.account.uid) == 0, "the kernel outlived the process that started it"
    assert time.monotonic() - started < 60


if __name__ == "__main__":  # pragma: no cover - a manual look: python tests/grading/test_warm_kernel.py
    sys.exit(pytest.main([__file__, "-x", "-q"]))
