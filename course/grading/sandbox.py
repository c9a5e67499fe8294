"""Limits on student code: each grading kernel runs under rlimits and, for a root grader, as its own account.

nbgrader's Execute preprocessor starts kernels through jupyter_client. The course's
:class:`SandboxKernelManager` is a jupyter_client kernel manager whose launch command is
prefixed with ``launch.py`` (beside this file), which applies the limits and becomes the
kernel. What each kernel gets:

- a wall-clock timeout per cell (nbgrader's ``Execute.timeout``; see ``execute.py``);
- hard limits: address space (``RLIMIT_AS``), CPU seconds (``RLIMIT_CPU``), processes and
  threads (``RLIMIT_NPROC``), size of one written file (``RLIMIT_FSIZE``), no core files;
- a private home (HOME, TMPDIR, IPython, matplotlib) and an environment reduced to an
  allow-list, so database URLs and tokens of the grader never reach student code;
- when the grader is root: an unprivileged account of its own (``course-grader-0``,
  ``course-grader-1``... one per parallel slot, created when missing), a private mount
  namespace whose home is a small tmpfs, and after each submission every process left by
  that account is killed. One account per slot keeps a fork loop's process limit from
  starving the kernel of another trainee graded at the same time;
- with namespaces, a warm kernel server per worker (:func:`start_warm_server`): it has
  imported ipykernel, numpy, pandas and matplotlib once, and each kernel is a fork of it
  that enters the same namespaces and limits as a cold one (``launch.py``), so a kernel
  no longer spends seconds of CPU importing them.

See docs/grading.md for what student code can still do.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict

from course.grading import launch
from course.grading.launch import CLONE_NEWNS, CLONE_NEWPID

LAUNCHER = str(Path(__file__).with_name("launch.py"))
ACCOUNT_PREFIX = "course-grader"


class SandboxError(RuntimeError):
    """The sandbox cannot be set up on this machine (the message says what to do)."""


@dataclass(frozen=True)
class Limits:
    """Per-kernel limits. ``None`` leaves a limit off."""

    timeout: int = 60                 # wall-clock seconds per cell
    memory_mb: int | None = 2048      # address space of the kernel process
    cpu_seconds: int | None = 600     # CPU time of one kernel process
    processes: int | None = 64        # processes and threads of the kernel's account
    file_mb: int | None = 256         # largest file the kernel may write
    home_mb: int = 256                # size of the private home (tmpfs, root only)


@dataclass(frozen=True)
class Account:
    """An unprivileged account that runs kernels."""

    name: str
    uid: int
    gid: int


@dataclass
class Sandbox:
    """What a worker needs to start sandboxed kernels: limits, account, folders to open up."""

    limits: Limits = field(default_factory=Limits)
    account: Account | None = None
    namespace: bool = False
    open_up: list[tuple[str, list[str]]] = field(default_factory=list)
    private_temp: list[str] = field(default_factory=list)
    seed: dict[str, str] = field(default_factory=dict)  # file in the home -> where the worker keeps a copy
    warm: str | None = None  # the socket of the worker's warm kernel server (start_warm_server), if any

    def spec(self, home: str) -> dict[str, Any]:
        """The JSON-able launch specification for one kernel with its home at ``home``."""
        limits = self.limits
        processes = limits.processes
        if processes is not None and self.account is None:
            processes += count_tasks(os.getuid())  # a shared account: leave room for what already runs
        spec: dict[str, Any] = {
            "home": home,
            "memory_bytes": None if limits.memory_mb is None else limits.memory_mb << 20,
            "cpu_seconds": limits.cpu_seconds,
            "processes": processes,
            "file_bytes": None if limits.file_mb is None else limits.file_mb << 20,
            "home_bytes": limits.home_mb << 20,
            "user": self.account.name if self.account else pwd_name(os.getuid()),
            "seed": self.seed,
        }
        if self.account is not None:
            spec.update(uid=self.account.uid, gid=self.account.gid, namespace=self.namespace,
                        open_up=self.open_up, private_temp=self.private_temp)
            if self.namespace and self.warm:
                spec["warm"] = self.warm
        return spec

    def to_dict(self) -> dict[str, Any]:
        """A plain-data copy to send to a worker process."""
        return {"limits": asdict(self.limits), "account": asdict(self.account) if self.account else None,
                "namespace": self.namespace, "open_up": self.open_up, "private_temp": self.private_temp,
                "seed": self.seed, "warm": self.warm}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sandbox:
        """The inverse of :meth:`to_dict`."""
        account = Account(**data["account"]) if data.get("account") else None
        return cls(Limits(**data["limits"]), account, data.get("namespace", False),
                   [(folder, list(names)) for folder, names in data.get("open_up", [])],
                   list(data.get("private_temp", [])), dict(data.get("seed", {})), data.get("warm"))


def is_root() -> bool:
    """True when the grader runs with root rights (kernels then get their own account)."""
    return os.geteuid() == 0


def pwd_name(uid: int) -> str:
    """The account name of ``uid``, or the number when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def count_tasks(uid: int) -> int:
    """Live processes and threads owned by ``uid`` (what RLIMIT_NPROC counts, less unreaped zombies)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            with open(f"/proc/{entry.name}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
            total += len(os.listdir(f"/proc/{entry.name}/task"))
        except (OSError, IndexError):
            continue
    return total


def reap_children() -> None:
    """Collect exited children of this process, so they stop counting against an account's process limit."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def private_dir(path: Path) -> Path:
    """``path`` as a folder only this account can enter: made if missing, refused if anyone else could plant in it.

    Lock files and the like live there, never in a folder every account may write
    (/run/lock, /tmp): there a kernel could leave a symbolic link named like them,
    pointing at the gradebook, and the grader would open it with its rights.
    """
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700, parents=False)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise SandboxError(f"{path} must be a folder of {pwd_name(os.geteuid())} that no other account may "
                           "enter (mode 0700, not a symbolic link); remove it and try again")
    return path


def _lock_dir() -> Path:
    if is_root():
        return private_dir(Path("/run/course-grader") if Path("/run").is_dir() else Path("/var/lib/course-grader"))
    return private_dir(Path(tempfile.gettempdir()) / f"course-grader-{os.geteuid()}")


def open_private(path: Path) -> Any:
    """Open (create) ``path`` for locking without following a link and without truncating anything."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        os.close(fd)
        raise SandboxError(f"{path} is not a plain file of this account")
    return os.fdopen(fd, "r+")


def ensure_account(name: str) -> Account:
    """The account ``name``, created as a locked system account without a home when missing (root only)."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        if not is_root():
            raise SandboxError(f"the kernel account {name} does not exist and only root can create it") from None
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        with open_private(_lock_dir() / "course-grader-accounts.lock") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                result = subprocess.run([useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent",
                                         "--shell", "/usr/sbin/nologin", "--user-group", name],
                                        capture_output=True, text=True, check=False)
                if result.returncode != 0:
                    raise SandboxError(f"could not create the kernel account {name}: "
                                       f"{result.stderr.strip()}") from None
                entry = pwd.getpwnam(name)
    if entry.pw_uid == 0:
        raise SandboxError(f"the kernel account {name} is root")
    return Account(name, entry.pw_uid, entry.pw_gid)


def claim_account(prefix: str = ACCOUNT_PREFIX) -> tuple[Account, Any]:
    """The first of ``prefix-0``, ``prefix-1``... that no other grading process holds, and its lock.

    Keep the returned lock file open while the account is in use: it makes the account
    this process's alone, even across concurrent ``course grade`` runs on one machine.
    """
    for slot in range(1024):
        lock = open_private(_lock_dir() / f"{prefix}-{slot}.lock")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        return ensure_account(f"{prefix}-{slot}"), lock
    raise SandboxError(f"no free kernel account {prefix}-N")


def _passable(path: str, account: Account) -> bool:
    info = os.stat(path)
    mode = info.st_mode
    if info.st_uid == account.uid:
        return bool(mode & stat.S_IXUSR)
    if info.st_gid == account.gid:
        return bool(mode & stat.S_IXGRP)
    return bool(mode & stat.S_IXOTH)


def required_paths(extra: list[str] | None = None) -> list[str]:
    """What a kernel must reach: this interpreter, its libraries, the course package and data, ``extra``."""
    import course

    package = Path(course.__file__).resolve().parent
    paths = {os.path.realpath(sys.executable), sys.prefix, sys.base_prefix, sys.exec_prefix, str(package),
             str(package.parent / "datasets"), os.environ.get("COURSE_DATA_DIR", "")}  # see course.data
    paths.update(entry for entry in kernel_sys_path() if entry and os.path.isdir(entry))
    paths.update(extra or [])
    return sorted(os.path.realpath(p) for p in paths if os.path.exists(p))


def warm_caches(folder: Path) -> dict[str, str]:
    """Build once, in ``folder``, the caches every fresh kernel home would build again (matplotlib's font list).

    Returns the files to copy into each kernel's home (relative path there -> the copy here):
    a kernel then starts as warm as one in an instructor's own account, and spends about a
    second less CPU.
    """
    cache = folder / "matplotlib"
    cache.mkdir(mode=0o700, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "PYTHONPATH", "LANG")}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env={**env, "MPLCONFIGDIR": str(cache),
                   "HOME": str(folder)}, capture_output=True, check=False, timeout=300)
    return {f".matplotlib/{path.name}": str(path) for path in sorted(cache.glob("fontlist-*.json"))}


def kernel_sys_path() -> list[str]:
    """The import path a kernel gets: this interpreter's own (site-packages, .pth entries, PYTHONPATH).

    Not this process's ``sys.path``, which may hold what only it needs (a Dask worker adds its
    scratch folder in /tmp, pytest its test folders).
    """
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "PYTHONPATH", "PYTHONHOME")}
    probe = subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sys.path))"],
                           capture_output=True, text=True, env=env, cwd="/", check=False, timeout=120)
    return [entry for entry in json.loads(probe.stdout or "[]") if entry] if probe.returncode == 0 else []


def course_exposure(course_root: str, paths: list[str]) -> tuple[str, list[str]]:
    """The course folder and the only entries of it a kernel may see (the package, data, an inner venv).

    Everything else there (solutions, submitted work, feedback, the gradebook and its
    settings, the git history) is hidden from student code by the same tmpfs-and-bind
    mount as a closed folder.
    """
    root = Path(os.path.realpath(course_root))
    keep = set()
    for path in paths:
        inside = Path(path)
        if inside != root and root in inside.parents:
            keep.add(inside.relative_to(root).parts[0])
    return str(root), sorted(keep)


def closed_folders(paths: list[str], account: Account) -> list[tuple[str, list[str]]]:
    """Folders on the way to ``paths`` that ``account`` cannot pass, topmost first, with the entries needed."""
    needed: dict[str, set[str]] = {}
    for path in paths:
        parts = Path(path).parts
        for depth in range(1, len(parts)):
            folder = str(Path(*parts[:depth]))
            if not _passable(folder, account):
                needed.setdefault(folder, set()).add(parts[depth])
    return sorted(((folder, sorted(names)) for folder, names in needed.items()),
                  key=lambda item: (len(Path(item[0]).parts), item[0]))


TEMP_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")


def namespace_works() -> bool:
    """True when this process may create private mount and PID namespaces (root with CAP_SYS_ADMIN)."""
    probe = subprocess.run([sys.executable, "-I", "-c",
                            ("import ctypes,sys; l=ctypes.CDLL(None, use_errno=True); "
                             f"sys.exit(0 if l.unshare({CLONE_NEWNS | CLONE_NEWPID}) == 0 else 1)")],
                           capture_output=True, check=False)
    return probe.returncode == 0


def private_temp_folders(paths: list[str]) -> list[str]:
    """The shared temporary folders a kernel gets an empty one of its own of (none holding what it needs)."""
    found = []
    for folder in TEMP_FOLDERS:
        real = os.path.realpath(folder)
        if os.path.isdir(real) and not os.path.islink(folder) and \
                not any(path == real or path.startswith(real.rstrip("/") + "/") for path in paths):
            found.append(real)
    return sorted(set(found))


def prepare(limits: Limits, kernel_user: str | None = ACCOUNT_PREFIX, work_dir: str | None = None,
            course_root: str | list[str] | None = None, account: Account | None = None) -> Sandbox:
    """Decide how kernels run here and check that a sandboxed kernel can start.

    As root, kernels run as ``kernel_user-N`` accounts (``kernel_user=None`` turns that
    off, which leaves student code with root rights: only for throw-away machines), and
    with a private mount namespace, ``course_root`` shows kernels only the course package
    and data. As any other user, kernels run as that user with the limits only.
    """
    if not is_root() or kernel_user is None:
        return Sandbox(limits)
    probe_account = account or ensure_account(f"{kernel_user}-0")
    namespace = namespace_works()
    # without a namespace the kernel's home is a folder under work_dir; with one it is made inside
    paths = required_paths([work_dir] if work_dir and not namespace else None)
    closed = closed_folders(paths, probe_account)
    if closed and not namespace:
        raise SandboxError(
            "the kernel accounts cannot reach the Python that runs kernels: "
            + ", ".join(folder for folder, _ in closed) + " is closed to other users and this machine does "
            "not allow a private mount namespace. Install the course in a virtual environment outside "
            "those folders (for example /opt/course-venv).")
    roots = [course_root] if isinstance(course_root, str) else list(course_root or [])
    if namespace and roots:
        merged = dict(closed)
        for root in roots:
            if not os.path.isdir(root) or os.path.realpath(root) == "/":
                continue
            folder, keep = course_exposure(root, paths)
            merged[folder] = sorted(set(merged.get(folder, [])) | set(keep))
        closed = sorted(merged.items(), key=lambda item: (len(Path(item[0]).parts), item[0]))
    private = private_temp_folders(paths) if namespace else []
    # a folder inside a private temporary folder is out of sight already (the kernel gets an empty one)
    closed = [(folder, names) for folder, names in closed
              if not any(folder == temp or folder.startswith(temp.rstrip("/") + "/") for temp in private)]
    sandbox = Sandbox(limits, probe_account, namespace, closed, private)
    preflight(sandbox, work_dir)
    return sandbox


def preflight(sandbox: Sandbox, work_dir: str | None = None) -> None:
    """Start the kernel's interpreter once inside the sandbox; raise SandboxError with its output if it fails."""
    home = tempfile.mkdtemp(prefix="course-sandbox-probe-", dir=work_dir)
    os.chmod(home, 0o755)
    try:
        argv = [sys.executable, "-c", "import ipykernel, course.checks; print('ok')"]
        result = subprocess.run(launch_command(sandbox.spec(home), argv), capture_output=True, text=True,
                                timeout=120, cwd=home, check=False)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if result.returncode != 0 or "ok" not in result.stdout:
        who = sandbox.account.name if sandbox.account else "the grader"
        raise SandboxError(f"a sandboxed kernel cannot start as {who} (exit status {result.returncode}):\n"
                           f"{(result.stderr or result.stdout).strip()}")


def launch_command(spec: dict[str, Any], argv: list[str]) -> list[str]:
    """The command that starts ``argv`` inside the sandbox described by ``spec``."""
    return [sys.executable, "-I", LAUNCHER, json.dumps(spec), "--", *argv]


def kill_account_processes(account: Account | None) -> None:
    """SIGKILL every process of ``account`` (what a fork loop or a detached child left behind)."""
    if account is None:
        return
    for _ in range(5):
        if count_tasks(account.uid) == 0:  # nothing left: no need to start the launcher
            return
        subprocess.run([sys.executable, "-I", LAUNCHER, "--kill-all", str(account.uid), str(account.gid)],
                       capture_output=True, timeout=30, check=False)
        reap_children()
        if count_tasks(account.uid) == 0:
            return
        time.sleep(0.1)


# What a warm kernel server imports once (see launch.serve): heavy libraries that register nothing with a
# running IPython when imported. Not course.checks, course.explain or ipywidgets, which hook into the
# kernel's shell at import, nor matplotlib_inline, which does so when its backend is first chosen.
WARM_PRELOAD = ("ipykernel.kernelapp", "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "course",
                "course.data", "course.formats", "course.i18n")
WARM_ENV = "COURSE_GRADE_WARM"  # "0": no warm kernel server (every kernel starts cold)


@dataclass
class WarmServer:
    """A running warm kernel server (``launch.py --warm-server``) of one worker."""

    process: subprocess.Popen
    path: str

    def close(self) -> None:
        """Let go of it (it ends when its standard input closes) and wait for it."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_warm_server(box: Sandbox, folder: Path, preload: tuple[str, ...] = WARM_PRELOAD) -> WarmServer | None:
    """Start the warm kernel server of a worker whose kernels get namespaces; ``None`` where they do not.

    It listens on a socket in ``folder`` (the worker's private scratch folder, closed to every other
    account) and runs with the kernels' environment (the launcher's allow-list) and its own home
    there; the seeded matplotlib cache (``box.seed``) is its matplotlib folder. ``COURSE_GRADE_WARM=0``
    turns it off. Sets ``box.warm``: the kernels of ``box`` are then started by it.
    """
    if box.account is None or not box.namespace or not is_root() or os.environ.get(WARM_ENV) == "0":
        return None
    home = folder / "warm-home"
    home.mkdir(mode=0o700, exist_ok=True)
    path = str(folder / "warm.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        listener.bind(path)
        os.chmod(path, 0o600)
        listener.listen(64)
        env = launch._environment({"home": str(home), "user": box.account.name, "uid": box.account.uid,
                                   "namespace": True})
        caches = {Path(source).parent for source in box.seed.values()}
        if len(caches) == 1:
            env["MPLCONFIGDIR"] = str(caches.pop())  # the font list is read once, here
        settings = {"fd": listener.fileno(), "preload": list(preload)}
        with open(folder / "warm-server.log", "ab") as log:
            process = subprocess.Popen([sys.executable, LAUNCHER, "--warm-server", json.dumps(settings)],
                                       pass_fds=[listener.fileno()], stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, stderr=log, cwd=str(home), env=env,
                                       start_new_session=True)
    finally:
        listener.close()  # the server holds it: once the server is gone, a kernel's connect fails at once
    box.warm = path
    return WarmServer(process, path)


class SandboxKernelManager(AsyncKernelManager):
    """A jupyter_client kernel manager whose kernels start through the sandbox launcher.

    ``sandbox`` (config) is :meth:`Sandbox.to_dict`; ``home_root`` is where per-kernel
    homes are made.
    """

    sandbox = Dict(config=True, help="Sandbox.to_dict() of the sandbox to apply")
    home_root = Dict(config=True, help="{'path': folder for per-kernel homes}")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The usual kernel command, wrapped by the launcher."""
        command = super().format_kernel_cmd(extra_arguments)
        if not self.sandbox:
            return command
        sandbox = Sandbox.from_dict(self.sandbox)
        home = tempfile.mkdtemp(prefix="kernel-home-", dir=self.home_root.get("path"))
        os.chmod(home, 0o755)
        spec = sandbox.spec(home)
        # a log per kernel, 0600 and root's when kernels have accounts: no kernel reads another's output
        spec["log"] = os.path.join(self.home_root.get("path") or tempfile.gettempdir(),
                                   f"{os.path.basename(home)}.log")
        return launch_command(spec, command)
