"""The grading engine on dask.distributed: an embedded local cluster, or an existing one at an address.

- Default: a :class:`distributed.LocalCluster` on this machine, process workers with one
  thread each (``--jobs N`` of them), so one machine needs nothing more.
- ``course grade --scheduler ADDRESS`` (or ``DASK_SCHEDULER_ADDRESS``): the same work on
  an existing Dask cluster (Dask Gateway, dask-kubernetes, ``dask scheduler`` +
  ``dask worker``), whose workers run the course image. An unreachable scheduler is a
  :class:`~course.nbgrader_api.CourseError` raised before anything is written.

Each worker is set up once by :class:`GradingPlugin` (sandbox checked on that machine,
its own kernel account as root, a scratch folder). Tasks are
:class:`~course.grading.tasks.GradeTask` values; results come back as
:class:`~course.grading.outcome.SubmissionResult` values; the engine hands each to a
callback in the client and never touches the gradebook or the course's folders itself.

Faults: a worker lost mid-task makes the scheduler run the task again on another worker
(up to the scheduler's ``allowed-failures``), then the task is recorded as failed with
the reason. A task running past its deadline is stopped from outside: the client cancels
it and restarts the worker that runs it (its nanny starts a fresh one), and records it as
timed out. At most a few tasks per worker are in flight, so the client's memory holds a
window of notebooks, not the cohort.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from course.grading.outcome import Status, SubmissionResult
from course.grading.tasks import GradeTask, ModuleFiles, WorkerSettings
from course.grading.worker import PLUGIN_NAME, WorkerState, grade_submission
from course.nbgrader_api import CourseError

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
STARTED_TOPIC = "course-grading-started"
IN_FLIGHT_PER_WORKER = 2


class GradingPlugin:
    """A Dask worker plugin: set up the worker for grading once, tear it down when the worker closes."""

    name = PLUGIN_NAME

    def __init__(self, settings: WorkerSettings) -> None:
        self.settings = settings
        self.state: WorkerState | None = None

    def setup(self, worker: Any) -> None:
        """Check the sandbox on this worker's machine and claim a kernel account (raises when it cannot)."""
        self.state = WorkerState.create(self.settings)

    def teardown(self, worker: Any) -> None:
        """Give the account back and remove the scratch folder."""
        if self.state is not None:
            self.state.close()
            self.state = None


def _as_worker_plugin(settings: WorkerSettings) -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class _Plugin(GradingPlugin, WorkerPlugin):
        pass

    return _Plugin(settings)


def run_task(task: GradeTask, files: ModuleFiles, settings: WorkerSettings) -> SubmissionResult:
    """The function a worker runs: announce the start (for the client's deadline), then grade."""
    try:
        from distributed import get_worker

        worker = get_worker()
        worker.log_event(STARTED_TOPIC, {"module": task.module, "student": task.student,
                                         "worker": worker.address})
    except (ImportError, ValueError):
        pass
    return grade_submission(task, files, settings)


@dataclass
class _Running:
    task: GradeTask
    started: float | None = None
    worker: str | None = None


@dataclass
class Engine:
    """A Dask client (and, by default, the local cluster it runs) for one grading run."""

    settings: WorkerSettings
    jobs: int = 1
    scheduler: str | None = None
    deadline: float = 1800.0
    connect_timeout: float = 10.0
    client: Any = None
    cluster: Any = None
    _running: dict[Any, _Running] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> Engine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def workers(self) -> int:
        """Worker threads in the cluster now."""
        info = self.client.scheduler_info(n_workers=-1) if self.client else {"workers": {}}
        return max(1, sum(worker.get("nthreads", 1) for worker in info.get("workers", {}).values()))

    def start(self) -> None:
        """Connect to the scheduler (or start the local cluster) and set every worker up for grading."""
        import dask
        from distributed import Client, LocalCluster

        address = self.scheduler or os.environ.get(SCHEDULER_ENV) or None
        if address:
            try:
                self.client = Client(address, timeout=self.connect_timeout, set_as_default=True)
            except (OSError, TimeoutError) as error:
                raise CourseError(f"cannot reach the Dask scheduler at {address} ({type(error).__name__}: "
                                  f"{error}); nothing was graded or written. Check --scheduler or "
                                  f"{SCHEDULER_ENV}, or leave both unset to grade on this machine") from None
        else:
            with dask.config.set({"distributed.scheduler.allowed-failures": 2,
                                  "distributed.scheduler.worker-saturation": 1.0,
                                  "distributed.worker.daemon": False}):
                self.cluster = LocalCluster(n_workers=max(1, self.jobs), threads_per_worker=1, processes=True,
                                            dashboard_address=None, worker_dashboard_address=None,
                                            silence_logs=logging.ERROR,
                                            host="127.0.0.1", memory_limit=0)
                self.client = Client(self.cluster, set_as_default=True)
        for attempt in range(3):  # a worker that just restarted may drop the first registration
            try:
                self.client.register_plugin(_as_worker_plugin(self.settings), name=PLUGIN_NAME)
                self.client.subscribe_topic(STARTED_TOPIC, self._on_started)
                break
            except Exception as error:  # noqa: BLE001 - reported below with the workers' reason
                if attempt == 2 or "SandboxError" in type(error).__name__ or "sandbox" in str(error):
                    self.close()
                    raise CourseError(f"the grading workers cannot be set up: {error}") from None
                time.sleep(2)

    def close(self) -> None:
        """Close the client and the local cluster (an existing cluster keeps running)."""
        if self.client is not None:  # an existing cluster's workers stay set up; the next run replaces that
            with suppress(Exception):
                self.client.close()
            self.client = None
        if self.cluster is not None:
            with suppress(Exception):
                self.cluster.close()
            self.cluster = None

    def _on_started(self, event: Any) -> None:
        _, message = event
        with self._lock:
            for running in self._running.values():
                task = running.task
                if (task.module, task.student) == (message.get("module"), message.get("student")):
                    running.started, running.worker = time.monotonic(), message.get("worker")

    def run(self, tasks: Iterable[GradeTask], files: dict[str, ModuleFiles],
            on_result: Callable[[SubmissionResult], None]) -> None:
        """Grade ``tasks`` and hand each result to ``on_result`` (in this thread) as it comes."""
        from distributed import wait

        scattered = {module: self.client.scatter(value, broadcast=True, hash=False)
                     for module, value in files.items()}
        pending: Iterator[GradeTask] = iter(tasks)
        exhausted = False
        while True:
            window = self.workers * IN_FLIGHT_PER_WORKER
            while not exhausted and len(self._running) < window:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                future = self.client.submit(run_task, task, scattered[task.module], self.settings, pure=False,
                                            key=f"grade-{task.module}-{abs(hash(task.student)):x}-{time.time_ns()}")
                with self._lock:
                    self._running[future] = _Running(task)
            if not self._running:
                return
            try:
                done, _ = wait(list(self._running), timeout=1.0, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none finished within the second: look at the deadlines
                done = set()
            for future in done:
                with self._lock:
                    running = self._running.pop(future)
                on_result(self._result(future, running.task))
            self._enforce_deadlines(on_result)

    def _result(self, future: Any, task: GradeTask) -> SubmissionResult:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as error:
            detail = f"the grading worker was lost on every try ({error})"
        except Exception as error:  # noqa: BLE001 - recorded, not raised: every submission ends recorded
            if not self.client or self.client.status not in ("running", "connecting"):
                raise CourseError(f"lost the Dask scheduler mid-run ({error}); what finished is recorded, "
                                  "run the command again for the rest") from None
            detail = f"grading failed on the worker: {type(error).__name__}: {error}"
        return SubmissionResult(task.module, task.student, Status.FAILED, detail, auto_max=task.spec.auto_max,
                                timestamp=task.timestamp, fingerprint=task.fingerprint)

    def _enforce_deadlines(self, on_result: Callable[[SubmissionResult], None]) -> None:
        now = time.monotonic()
        with self._lock:
            late = [(future, running) for future, running in self._running.items()
                    if running.started is not None and now - running.started > self.deadline]
            for future, _ in late:
                self._running.pop(future)
        for future, running in late:
            with suppress(Exception):
                self.client.cancel(future, force=True)
            if running.worker:
                with suppress(Exception):
                    self.client.restart_workers([running.worker], raise_for_error=False)
            task = running.task
            on_result(SubmissionResult(
                task.module, task.student, Status.TIMED_OUT,
                f"the whole submission took over {self.deadline:g} s and was stopped (its worker was restarted)",
                auto_max=task.spec.auto_max, timestamp=task.timestamp, fingerprint=task.fingerprint))
