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

With ``warm`` in the spec (the path of a worker's warm kernel server's socket) and an
``ipykernel_launcher`` command, steps 2-4 are done by a fork of that server instead
(``--warm-server``, below): a process of the worker, started once as root, that has
imported the heavy libraries (ipykernel, numpy, pandas, matplotlib, the course package)
but never runs student code. For each kernel it forks; the fork enters new namespaces
exactly as above (the same functions), and its kernel process, after the same
environment, limits and dropped privileges, starts the IPython kernel in-process instead
of ``execve``. This process then only relays: it passes its standard streams (or the
log) and the connection file to the server, forwards an interrupt, and exits as the
kernel did; its end (even by SIGKILL) ends the kernel's namespace. When the server
cannot be reached, the kernel starts the cold way above (said on stderr).

``--kill-all`` instead drops to ``uid`` and sends SIGKILL to every process of that account
(``kill(-1)``): the clean-up after each graded submission.
"""

import contextlib
import ctypes
import json
import os
import resource
import select
import shutil
import signal
import socket
import struct
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
PR_SET_CHILD_SUBREAPER = 36
KERNEL_MODULE = "ipykernel_launcher"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset

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


def _environment(spec, source=None):
    env = {key: value for key, value in (os.environ if source is None else source).items()
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


def _become_kernel(spec, argv, log, env=None, start=None):
    """In the (grand)child: the private working folder, output to the log, limits, no privileges, then
    ``execve`` (or, from a warm server, ``start(argv, env)`` in this process)."""
    home, uid, gid = spec["home"], spec.get("uid"), spec.get("gid")
    os.chdir(home)  # the kernel's working folder: its private home, nothing of the course or the submission
    if log is not None:
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    env = _environment(spec) if env is None else env
    _limits(spec)
    if uid is not None:
        _drop(uid, gid)
    if start is not None:
        start(argv, env)
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
    _exit_as(int(data) if data.strip() else 0)


def _exit_as(status):
    """End this process the way the kernel ended (wait status ``status``): the same signal or exit code."""
    if os.WIFSIGNALED(status):
        if os.WTERMSIG(status) not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _is_kernel(argv):
    """True for the command of an IPython kernel (``python -m ipykernel_launcher ... -f FILE``), which a
    warm server can start; any other command (such as the sandbox's own probe) starts cold."""
    return len(argv) >= 4 and argv[1:3] == ["-m", KERNEL_MODULE] and "-f" in argv[3:-1] and \
        os.path.realpath(argv[0]) == os.path.realpath(sys.executable)


def _receive(sock):
    """One message from the warm server (``pid N``, ``status S``, ``error TEXT``), or ``None`` at its end."""
    while True:
        try:
            data = sock.recv(4096)
        except InterruptedError:
            continue
        return data.decode("utf-8", "replace") if data else None


def _warm_outer(spec, argv, connection, log):
    """The process jupyter_client started, when a warm server starts the kernel: relay, then exit as it did.

    Returns (having sent nothing) only when the server cannot be reached.
    """
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET | socket.SOCK_CLOEXEC)
    try:
        sock.connect(spec["warm"])
    except OSError as error:
        sock.close()
        sys.stderr.write(f"course sandbox: the worker's warm kernel server is not reachable ({error}); "
                         "starting the kernel cold\n")
        sys.stderr.flush()
        return
    request = json.dumps({"spec": spec, "argv": argv, "env": _environment(spec),
                          "connection": None if connection is None else connection.decode("utf-8")})
    streams = [0, 1 if log is None else log, 2 if log is None else log]
    init = [0]

    def stop(signum, frame):
        if init[0]:
            os.kill(init[0], signal.SIGKILL)  # PID 1 of the kernel's namespace: everything in it ends
        os._exit(128 + signum)

    def interrupt(signum, frame):
        if init[0]:
            os.kill(init[0], signal.SIGINT)  # its init passes it on to the kernel

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    signal.signal(signal.SIGINT, interrupt)
    socket.send_fds(sock, [request.encode("utf-8")], streams)
    if log is not None:
        os.close(log)
    while (message := _receive(sock)) is not None:
        kind, _, value = message.partition(" ")
        if kind == "pid":
            init[0] = int(value)
        elif kind == "status":
            _exit_as(int(value))
        elif kind == "error":
            _fail(value)
    if not init[0]:
        _fail("the warm kernel server ended before starting the kernel")
    _exit_as(0)  # its init ended without a report, as in the cold way


def _warm_init(kernel, sock):
    """PID 1 of a warm kernel's namespace: reap orphans, end with the kernel or with the relaying process."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    while True:
        ready = select.select([sock, wake_read], [], [])[0]
        if sock in ready and not sock.recv(64):
            os._exit(0)  # the relaying process is gone (killed): the namespace ends with this process
        if wake_read in ready:
            os.read(wake_read, 512)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                os._exit(0)
            if pid == 0:
                break
            if pid == kernel:
                with contextlib.suppress(OSError):
                    sock.send(f"status {status}".encode())
                os._exit(0)


def _fresh_libraries(env):
    """In a warm kernel: forget what the preloaded libraries worked out from the server's environment."""
    tempfile.tempdir = None  # TMPDIR is the kernel's own
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        cached = getattr(matplotlib, "_logged_cached", None)
        for name, fmt in (("get_configdir", "CONFIGDIR=%s"), ("get_cachedir", "CACHEDIR=%s")):
            wrapped = getattr(getattr(matplotlib, name, None), "__wrapped__", None)
            if cached is not None and wrapped is not None:
                setattr(matplotlib, name, cached(fmt)(wrapped))  # MPLCONFIGDIR is the kernel's own
        # what `import matplotlib` reads in a cold kernel, where ipykernel has set MPLBACKEND before
        matplotlib.rcParams["backend"] = env.get("MPLBACKEND") or INLINE_BACKEND
    random = sys.modules.get("numpy.random")
    if random is not None:
        random.seed()  # numpy's global generator was seeded in the server: every kernel its own


def _start_in_process(argv, env):
    """Start the IPython kernel ``argv`` (``python -m ipykernel_launcher ...``) in this process; never return."""
    import atexit
    import importlib.util

    os.environ.clear()
    os.environ.update(env)
    _fresh_libraries(env)
    found = importlib.util.find_spec(KERNEL_MODULE)
    sys.argv = [(found.origin if found and found.origin else KERNEL_MODULE), *argv[3:]]
    code = 1
    try:
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except BaseException:  # noqa: BLE001 - as an uncaught error would end a cold kernel
        import traceback

        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _warm_kernel(request, streams, sock, libc):
    """In a fork of the warm server: the same namespaces and world as a cold kernel, then the kernel."""
    spec, argv, env = request["spec"], list(request["argv"]), request["env"]
    connection = None if request["connection"] is None else request["connection"].encode("utf-8")
    seed = _read_seed(spec)
    _enter_namespaces(libc)
    init = os.fork()
    if init:
        sock.send(f"pid {init}".encode())
        os._exit(0)
    os.setsid()  # a session of its own, as jupyter_client gives a cold kernel
    _isolate(libc, spec, connection, argv, seed)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_IGN)
    kernel = [0]

    def interrupt(signum, frame):
        if kernel[0]:
            os.kill(kernel[0], signal.SIGINT)

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # wakes _warm_init's select
    kernel[0] = os.fork()
    if kernel[0] == 0:
        # as a cold kernel: these ignored (inherited from its init through execve), the rest as Python sets them
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(signum, signal.SIG_IGN)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for target, fd in enumerate(streams):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # nothing of the server or the init: no socket, no pipe
        _become_kernel(spec, argv, None, env, _start_in_process)
    for fd in streams:
        os.close(fd)
    _warm_init(kernel[0], sock)


def _peer_uid(sock):
    return struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))[1]


def _tasks():
    return len(os.listdir("/proc/self/task"))


def serve(settings):
    """The warm kernel server (``--warm-server SETTINGS_JSON``): preload, then fork one kernel per request.

    Started once per worker, as root, by :func:`course.grading.sandbox.start_warm_server` with
    the kernels' environment and the listening socket ``settings["fd"]``; it ends when its
    standard input closes (the worker let go of it). It runs no student code: a kernel is a
    fork that drops to the kernel account after entering its own namespaces.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        del sys.path[0]  # a kernel's import path, not this folder's
    import importlib

    for name in settings.get("preload", []):
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - a kernel imports it (or fails to) as a cold one would
            sys.stderr.write(f"course warm server: {name} not preloaded: {type(error).__name__}: {error}\n")
    sys.stderr.flush()
    if _tasks() != 1:
        _fail("the preloaded libraries started threads; a fork would copy them half-way: not serving")
    libc = _libc()
    _check(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)")
    listener = socket.socket(fileno=settings["fd"])
    while True:
        ready = select.select([listener.fileno(), 0], [], [], 1.0)[0]
        while True:  # the namespaces' inits end up here when their first process exits
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if 0 in ready and not os.read(0, 64):
            os._exit(0)
        if listener.fileno() in ready:
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                _serve_one(conn, listener, libc)


def _serve_one(conn, listener, libc):
    if _peer_uid(conn) != os.geteuid():
        return
    try:
        message, streams, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        request = json.loads(message)
    except (OSError, ValueError):
        return
    if len(streams) != 3:
        for fd in streams:
            os.close(fd)
        return
    child = os.fork()
    if child == 0:
        try:
            listener.close()
            os.close(0)
            _warm_kernel(request, streams, conn, libc)
        except BaseException as error:  # noqa: BLE001 - the relaying process says why, as a cold start would
            try:
                conn.send(f"error {type(error).__name__}: {error}".encode("utf-8", "replace"))
            finally:
                os._exit(126)
    for fd in streams:
        os.close(fd)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child, 0)  # it ends once its child, the namespace's init, is started


def _enter_namespaces(libc):
    """Private mount and PID namespaces for the next child (which becomes PID 1 of the new one)."""
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID), "unshare(CLONE_NEWNS | CLONE_NEWPID)")
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)


def _isolate(libc, spec, connection, argv, seed):
    """In PID 1 of the kernel's namespaces: the kernel's world, cold or warm alike.

    A fresh /proc (only this kernel's processes), empty private temporary folders, closed
    folders opened up with only the needed entries, a tmpfs home of the kernel account with
    the connection file (``argv`` is changed to point at it) and the seeded caches.
    """
    home, uid, gid = spec["home"], spec.get("uid"), spec.get("gid")
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
        if spec.get("warm") and _is_kernel(argv):
            _warm_outer(spec, argv, connection, log)  # returns only when the server cannot be reached
        libc = _libc()
        _enter_namespaces(libc)
        read_end, write_end = os.pipe()
        child = os.fork()
        if child:
            os.close(write_end)
            _outer(child, read_end)
        os.close(read_end)
        _check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
        _isolate(libc, spec, connection, argv, seed)
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
    """Entry point: ``SPEC_JSON -- ARGV...``, ``--kill-all UID GID`` or ``--warm-server SETTINGS_JSON``."""
    if args[:1] == ["--kill-all"]:
        kill_all(int(args[1]), int(args[2]))
        return
    if args[:1] == ["--warm-server"]:
        serve(json.loads(args[1]))
        return
    if len(args) < 3 or args[1] != "--":
        _fail("usage: launch.py SPEC_JSON -- KERNEL_ARGV...")
    try:
        launch(json.loads(args[0]), args[2:])
    except Exception as error:  # noqa: BLE001 - the kernel never started: say why on the kernel's stderr
        _fail(f"{type(error).__name__}: {error}")


if __name__ == "__main__":
    main(sys.argv[1:])
