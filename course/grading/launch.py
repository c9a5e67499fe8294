r"""Kernel launch wrapper: apply the sandbox, then become the kernel (standard library only).

Run as ``python -I launch.py SPEC_JSON -- KERNEL_ARGV...`` by
:class:`course.grading.sandbox.SandboxKernelManager`; it is a file, not an import, so that
it starts in a few milliseconds and trusts nothing on ``sys.path``. In order it:

1. keeps only an allow-list of environment variables (no database URLs or tokens reach
   student code) and points HOME, TMPDIR and the Jupyter/IPython/matplotlib folders at a
   private home;
2. when it runs as root with a ``uid`` and namespaces work: enters a private mount and PID
   namespace. Inside, a small init (PID 1) mounts a fresh /proc (the kernel sees no other
   process: not the grader's command line, not another kernel), mounts empty tmpfs folders
   over /tmp, /var/tmp, /dev/shm and /run/lock (private temporary space, gone with the
   kernel), makes folders closed to other users (such as /root holding the interpreter)
   passable with only the needed entries bound back, mounts a small tmpfs as the home and
   copies the kernel's connection file into it; then it starts the kernel and reaps
   orphans. The process jupyter_client started waits and exits as the kernel did;
3. the kernel's working folder is its empty private home (never the folder of the notebook:
   no hidden tests, no other file a trainee put beside it, nothing shadowing ``course``); its
   output goes to a log of its own that only root can read; it drops to the unprivileged
   ``uid``/``gid`` with no supplementary groups;
4. sets hard resource limits (address space, CPU seconds, processes, file size, no core
   dumps) that the kernel cannot raise again, and ``execve``\s the kernel.

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
CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG = 1
MS_NOEXEC = 8
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
    env.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    if spec.get("namespace") and spec.get("uid") is not None:
        # the kernel's parent is the namespace's init (PID 1), which ipykernel's parent poller reads as
        # "the parent has exited"; the kernel ends with the namespace instead
        env.pop("JPY_PARENT_PID", None)
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


def _cover(libc, folder, names, options):
    """A fresh tmpfs over ``folder`` (``options``: mount data), with only ``names`` of the old one bound back."""
    stage = tempfile.mkdtemp(prefix="course-sandbox-stage-")  # in the private /tmp once that is mounted
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
    _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for name, target, is_dir in staged:
        place = os.path.join(folder, name)
        if is_dir:
            os.mkdir(place)
        else:
            open(place, "w").close()
        _mount(libc, target, place, None, MS_BIND | MS_REC)
        _check(libc.umount2(target.encode(), MNT_DETACH), f"umount {target}")
    shutil.rmtree(stage, ignore_errors=True)


def _open_log(path):
    """The kernel's own log: a new file only root can read (opened before privileges are dropped)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    return os.open(path, flags, 0o600)


def _read_seed(spec):
    """The warm cache files to put into the home, read now: the mounts below may hide where they are."""
    found = {}
    for name, source in (spec.get("seed") or {}).items():
        if ".." in name.split("/") or name.startswith("/"):
            continue
        try:
            with open(source, "rb") as handle:
                found[name] = handle.read(16 << 20)
        except OSError:
            continue
    return found


def _prepare_home(home, uid, gid, connection, argv, seed=None):
    for sub in ("tmp", ".ipython", ".matplotlib", ".jupyter"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
        if uid is not None:
            os.chown(os.path.join(home, sub), uid, gid)
    for name, data in (seed or {}).items():
        place = os.path.join(home, name)
        with open(os.open(place, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600), "wb") as handle:
            handle.write(data)
        if uid is not None:
            os.chown(place, uid, gid)
    if connection is not None:
        private = os.path.join(home, "connection.json")
        with open(os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600), "wb") as handle:
            handle.write(connection)
        if uid is not None:
            os.chown(private, uid, gid)
        argv[argv.index("-f") + 1] = private


def _become_kernel(spec, argv, log):
    """In the (grand)child: the private working folder, output to the log, limits, no privileges, exec."""
    home, uid, gid = spec["home"], spec.get("uid"), spec.get("gid")
    os.chdir(home)  # the kernel's working folder: its private home, nothing of the course or the submission
    if log is not None:
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    env = _environment(spec)
    _limits(spec)
    if uid is not None:
        _drop(uid, gid)
    os.execve(argv[0], argv, env)


def _init(kernel, report):
    """PID 1 of the kernel's PID namespace: reap orphans, end with the kernel, report its wait status."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_IGN)  # the process group gets them: they are for the kernel
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == kernel:
            os.write(report, str(status).encode())
            os._exit(0)


def _outer(child, report):
    """The process jupyter_client started: wait for the namespace to end and exit as the kernel did."""
    def stop(signum, frame):
        os.kill(child, signal.SIGKILL)
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    while True:
        try:
            os.waitpid(child, 0)
            break
        except ChildProcessError:
            break
        except InterruptedError:
            continue
    data = b""
    while chunk := os.read(report, 64):
        data += chunk
    status = int(data) if data.strip() else 0
    if os.WIFSIGNALED(status):
        if os.WTERMSIG(status) not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def launch(spec, argv):
    """Apply ``spec`` and become (or, in a PID namespace, start and wait for) the kernel ``argv``."""
    home = spec["home"]
    uid, gid = spec.get("uid"), spec.get("gid")
    argv = list(argv)
    connection = None
    if "-f" in argv[:-1]:  # read it now: the mounts below may hide the folder it is in
        with open(argv[argv.index("-f") + 1], "rb") as handle:
            connection = handle.read()
    log = _open_log(spec["log"]) if spec.get("log") else None
    seed = _read_seed(spec)
    if uid is not None and os.geteuid() != 0:
        _fail("a kernel account was given but the grader is not root")
    if uid is not None and spec.get("namespace"):
        libc = _libc()
        _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID), "unshare(CLONE_NEWNS | CLONE_NEWPID)")
        _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
        read_end, write_end = os.pipe()
        child = os.fork()
        if child:
            os.close(write_end)
            _outer(child, read_end)
        os.close(read_end)
        _check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
        # PID 1 of a new PID namespace: a /proc that shows only this kernel's processes
        _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        size = int(spec.get("home_bytes", 256 << 20))
        for folder in spec.get("private_temp", []):  # /tmp, /var/tmp, /dev/shm, /run/lock: its own, empty
            _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={size}")
        for folder, names in spec.get("open_up", []):
            _cover(libc, folder, names, "mode=0755,size=1m")
        os.makedirs(home, exist_ok=True)
        _mount(libc, "tmpfs", home, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=0700,uid={uid},gid={gid},size={size}")
        os.chown(home, uid, gid)
        os.chmod(home, 0o700)
        _prepare_home(home, uid, gid, connection, argv, seed)
        kernel = os.fork()
        if kernel == 0:
            os.close(write_end)
            _become_kernel(spec, argv, log)
        if log is not None:
            os.close(log)
        _init(kernel, write_end)
    if uid is not None:
        os.chown(home, uid, gid)
        os.chmod(home, 0o700)
    _prepare_home(home, uid, gid, connection, argv, seed)
    _become_kernel(spec, argv, log)


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
