"""Kernel launch wrapper: apply the sandbox, then become the kernel (standard library only).

Run as ``python -I launch.py SPEC_JSON -- KERNEL_ARGV...`` by
:class:`course.grading.sandbox.SandboxKernelManager`; it is a file, not an import, so that
it starts in a few milliseconds and trusts nothing on ``sys.path``. In order it:

1. keeps only an allow-list of environment variables (no database URLs or tokens reach
   student code) and points HOME, TMPDIR and the Jupyter/IPython/matplotlib folders at a
   private home;
2. when it runs as root with a ``uid``: enters a private mount namespace, mounts a small
   tmpfs as that home, and makes folders closed to other users (such as /root holding
   the interpreter) passable by mounting a tmpfs over them with only the needed entries
   bound back, so the rest stays hidden; copies the kernel's connection file into the
   home; then drops to the unprivileged ``uid``/``gid`` with no supplementary groups;
3. sets hard resource limits (address space, CPU seconds, processes, file size, no core
   dumps) that the kernel cannot raise again;
4. replaces itself with the kernel (``execve``), so the kernel keeps the process id that
   jupyter_client watches and signals.

``--kill-all`` instead drops to ``uid`` and sends SIGKILL to every process of that account
(``kill(-1)``): the clean-up after each graded submission.
"""

import ctypes
import json
import os
import resource
import shutil
import signal
import sys
import tempfile

CLONE_NEWNS = 0x00020000
MS_BIND = 4096
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_NOSUID = 2
MS_NODEV = 4
MNT_DETACH = 2

ENV_KEEP = ("PATH", "LANG", "LANGUAGE", "TZ", "PYTHONPATH", "PYTHONHASHSEED", "MPLBACKEND",
            "COURSE_LANG", "COURSE_DATA_DIR", "JPY_PARENT_PID", "JPY_SESSION_NAME")
ENV_KEEP_PREFIXES = ("LC_",)
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _fail(message):
    sys.stderr.write(f"course sandbox: {message}\n")
    sys.stderr.flush()
    os._exit(126)


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(libc, source, target, fstype, flags, data=None):
    _check(libc.mount(source.encode() if source else None, target.encode(),
                      fstype.encode() if fstype else None, flags, data.encode() if data else None),
           f"mount {target}")


def _open_up(libc, closed):
    """Make each folder in ``closed`` (topmost first) passable, exposing only the listed entries.

    ``closed`` maps a folder to the names inside it that the kernel needs. The real entries
    are bound to a staging folder, a tmpfs (mode 0755) covers the closed folder, and the
    entries are bound back into it: everything else in the folder stays out of sight.
    """
    for folder, names in closed:
        stage = tempfile.mkdtemp(prefix="course-sandbox-stage-")
        staged = []
        for index, name in enumerate(names):
            real = os.path.join(folder, name)
            if not os.path.lexists(real):
                continue
            target = os.path.join(stage, str(index))
            if os.path.isdir(real):
                os.mkdir(target)
            else:
                open(target, "w").close()
            _mount(libc, real, target, None, MS_BIND | MS_REC)
            staged.append((name, target, os.path.isdir(real)))
        _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
        for name, target, is_dir in staged:
            place = os.path.join(folder, name)
            if is_dir:
                os.mkdir(place)
            else:
                open(place, "w").close()
            _mount(libc, target, place, None, MS_BIND | MS_REC)
            _check(libc.umount2(target.encode(), MNT_DETACH), f"umount {target}")
        shutil.rmtree(stage, ignore_errors=True)


def _environment(spec):
    env = {key: value for key, value in os.environ.items()
           if key in ENV_KEEP or key.startswith(ENV_KEEP_PREFIXES)}
    home = spec["home"]
    env.update({"HOME": home, "TMPDIR": os.path.join(home, "tmp"), "USER": spec.get("user", "grader"),
                "LOGNAME": spec.get("user", "grader"), "IPYTHONDIR": os.path.join(home, ".ipython"),
                "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
                "JUPYTER_CONFIG_DIR": os.path.join(home, ".jupyter"),
                "JUPYTER_DATA_DIR": os.path.join(home, ".local", "share", "jupyter"),
                "JUPYTER_RUNTIME_DIR": os.path.join(home, ".local", "share", "jupyter", "runtime"),
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1"})
    env.update({name: "1" for name in THREAD_VARIABLES})
    return env


def _limits(spec):
    for name, value in (("RLIMIT_AS", spec.get("memory_bytes")), ("RLIMIT_CPU", spec.get("cpu_seconds")),
                        ("RLIMIT_NPROC", spec.get("processes")), ("RLIMIT_FSIZE", spec.get("file_bytes")),
                        ("RLIMIT_CORE", 0)):
        if value is not None:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))


def _drop(uid, gid):
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid:
        _fail("could not drop privileges")


def kill_all(uid, gid):
    """SIGKILL every process of ``uid`` (run as that account, so nothing else can be hit)."""
    _drop(uid, gid)
    for _ in range(5):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            return
        except PermissionError:
            return


def launch(spec, argv):
    """Apply ``spec`` and exec ``argv`` (the kernel command)."""
    home = spec["home"]
    uid, gid = spec.get("uid"), spec.get("gid")
    argv = list(argv)
    connection = None
    if "-f" in argv[:-1]:  # read it now: the mounts below may hide the folder it is in
        with open(argv[argv.index("-f") + 1], "rb") as handle:
            connection = handle.read()
    if uid is not None:
        if os.geteuid() != 0:
            _fail("a kernel account was given but the grader is not root")
        if spec.get("namespace"):
            libc = _libc()
            _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
            _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
            _mount(libc, "tmpfs", home, "tmpfs", MS_NOSUID | MS_NODEV,
                   f"mode=0700,uid={uid},gid={gid},size={int(spec.get('home_bytes', 256 << 20))}")
            _open_up(libc, [(folder, names) for folder, names in spec.get("open_up", [])])
        os.chown(home, uid, gid)
        os.chmod(home, 0o700)
    for sub in ("tmp", ".ipython", ".matplotlib", ".jupyter"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
        if uid is not None:
            os.chown(os.path.join(home, sub), uid, gid)
    if connection is not None:
        private = os.path.join(home, "connection.json")
        with open(os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(connection)
        if uid is not None:
            os.chown(private, uid, gid)
        argv[argv.index("-f") + 1] = private
    if spec.get("log"):  # the kernel's own stdout/stderr (start-up noise, crash messages)
        log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    env = _environment(spec)
    _limits(spec)
    if uid is not None:
        _drop(uid, gid)
    os.execve(argv[0], argv, env)


def main(args):
    """Entry point: ``SPEC_JSON -- ARGV...`` or ``--kill-all UID GID``."""
    if args[:1] == ["--kill-all"]:
        kill_all(int(args[1]), int(args[2]))
        return
    if len(args) < 3 or args[1] != "--":
        _fail("usage: launch.py SPEC_JSON -- KERNEL_ARGV...")
    try:
        launch(json.loads(args[0]), args[2:])
    except Exception as error:  # noqa: BLE001 - the kernel never started: say why on the kernel's stderr
        _fail(f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    main(sys.argv[1:])
