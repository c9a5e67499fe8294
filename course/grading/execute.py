"""nbgrader preprocessors, subclassed only to observe and to survive fatal cells.

- :class:`GuardedExecute` is nbgrader's ``Execute`` with one change: a cell that times out
  or kills its kernel does not end the notebook. The kernel is killed, a fresh one
  replays the notebook from the top with that cell turned into an error, and grading
  goes on, so every other cell earns what it earns. nbgrader itself would drop the
  submission (and leave an earlier score standing).
- :class:`RecordingOverwriteCells` and :class:`RecordingDeduplicateIds` are nbgrader's
  sanitizers, unchanged, that also note what they restored.

What happened is written to :data:`JOURNAL` of this (worker) process, which the worker
reads after each submission: student code runs in the kernel, another process, so it
cannot write here.
"""

from __future__ import annotations

from typing import Any

from nbclient.client import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells
from traitlets import Bool, Integer

from course.grading.sandbox import SandboxKernelManager

JOURNAL: list[dict[str, Any]] = []
RELEASED: dict[str, dict[str, str]] = {}  # set per submission: notebook -> locked cell -> released checksum

TIMED_OUT = "timeout"
KERNEL_DIED = "kernel_died"
NOT_RUN = "not_run"

_ERROR_TEXT = {
    TIMED_OUT: ("CellTimeoutError", ("the cell ran longer than {timeout} s and was stopped; "
                                     "the notebook was graded without it")),
    KERNEL_DIED: ("KernelDied", ("the kernel died while running this cell ({how}); "
                                 "the notebook was graded without it")),
    NOT_RUN: ("NotRun", "not run: earlier cells stopped the kernel too many times"),
}


def record(kind: str, **details: Any) -> None:
    """Add an event to this process's journal."""
    JOURNAL.append({"kind": kind, **details})


class _Fatal(Exception):
    def __init__(self, index: int, reason: str, how: str = "") -> None:
        super().__init__(reason)
        self.index, self.reason, self.how = index, reason, how


class _CellTimedOut(Exception):
    pass


class GuardedExecute(Execute):
    """nbgrader's Execute in a sandboxed kernel; a fatal cell is replaced by an error, not the end."""

    max_restarts = Integer(3, help="fresh kernels to try before the remaining cells are left unrun").tag(config=True)
    raise_on_iopub_timeout = Bool(False, help="a slow flood of output does not fail the notebook").tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = SandboxKernelManager
        kwargs.setdefault("shutdown_kernel", "immediate")  # all output is in: no need to wait for a clean exit
        super().__init__(**kwargs)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> tuple[NotebookNode, Any]:
        """Run every code cell; on a fatal cell, replay on a fresh kernel without it."""
        notebook = (resources or {}).get("nbgrader", {}).get("notebook", "")
        disabled: dict[int, tuple[str, str]] = {}
        restarts = 0
        while True:
            NotebookClient.__init__(self, nb, km)
            self.reset_execution_trackers()
            self._check_assign_resources(resources)
            try:
                self._run_all(resources, disabled)
            except _Fatal as fatal:
                self._clear_account()
                restarts += 1
                disabled[fatal.index] = (fatal.reason, fatal.how)
                cell = nb.cells[fatal.index]
                record(fatal.reason, notebook=notebook, cell_index=fatal.index,
                       grade_id=cell.metadata.get("nbgrader", {}).get("grade_id"), how=fatal.how)
                if restarts > self.max_restarts:
                    for index in range(fatal.index + 1, len(nb.cells)):
                        if nb.cells[index].cell_type == "code" and index not in disabled:
                            disabled[index] = (NOT_RUN, "")
                    record(NOT_RUN, notebook=notebook, after_cell=fatal.index)
                continue
            break
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _run_all(self, resources: Any, disabled: dict[int, tuple[str, str]]) -> None:
        self._start_kernel()
        with self.setup_kernel():
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(self.nb.cells):
                if index in disabled:
                    self._disable(cell, *disabled[index])
                    continue
                try:
                    self.preprocess_cell(cell, resources, index)
                except DeadKernelError:
                    how = self._how_it_died()
                    self.shutdown_kernel = "immediate"
                    raise _Fatal(index, KERNEL_DIED, how) from None
                except (_CellTimedOut, CellTimeoutError):
                    self.shutdown_kernel = "immediate"
                    raise _Fatal(index, TIMED_OUT) from None

    def _start_kernel(self, attempts: int = 3) -> None:
        """Start the kernel, trying again when it dies at once (two kernels picked the same free port)."""
        for attempt in range(attempts):
            if self.km is None:
                self.km = self.create_kernel_manager()
            try:
                self.start_new_kernel()
                self.start_new_kernel_client()
                return
            except Exception as error:  # retried, then raised as it came
                self.log.warning("Kernel did not start (%s), attempt %s of %s", error, attempt + 1, attempts)
                if self.km is not None:
                    try:
                        self._cleanup_kernel()
                    except Exception as cleanup:  # noqa: BLE001 - the start error matters, not this one
                        self.log.debug("clean-up after a failed start: %s", cleanup)
                self.km, self.kc = None, None
                if attempt == attempts - 1:
                    raise

    def _clear_account(self) -> None:
        """Kill what the dead or stopped kernel left behind (a fork loop's children) before a fresh kernel."""
        from course.grading.sandbox import Sandbox, kill_account_processes

        settings = self.config.get("SandboxKernelManager", {}).get("sandbox")
        if settings:
            kill_account_processes(Sandbox.from_dict(settings).account)

    def _disable(self, cell: NotebookNode, reason: str, how: str) -> None:
        ename, text = _ERROR_TEXT[reason]
        evalue = text.format(timeout=self.timeout, how=how or "no reason given")
        cell.outputs = [NotebookNode(output_type="error", ename=ename, evalue=evalue,
                                     traceback=[f"{ename}: {evalue}"])]
        cell.execution_count = None

    def _how_it_died(self) -> str:
        try:
            process = self.km.provisioner.process  # type: ignore[union-attr]
            code = process.wait(timeout=2) if process is not None else None
        except Exception:  # noqa: BLE001 - only for a friendlier message
            return "no exit status"
        if code is None:
            return "no exit status"
        if code < 0:
            import signal

            name = signal.Signals(-code).name
            hint = {"SIGXCPU": "CPU time limit", "SIGKILL": "killed, e.g. at a limit",
                    "SIGSEGV": "crashed", "SIGABRT": "aborted, e.g. out of memory"}.get(name, "signal")
            return f"{name}: {hint}"
        return f"exit status {code}"

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> None:
        self.log.error("Cell timed out after %s s: the kernel will be replaced", timeout)
        raise _CellTimedOut(timeout)


class RecordingOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells; notes each locked/test cell it restored or re-added."""

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        released = RELEASED.get(self.notebook_id, {}).get(name)
        # a test cell as released differs from the source only by its hidden tests: not an edit
        if not (attr == "checksum" and released is not None and new == released):
            record("tampered", notebook=self.notebook_id, grade_id=name,
                   what="edited" if attr == "checksum" else f"{attr} changed")
        super().report_change(name, attr, old, new)

    def missing_cell_transform(self, source_cell: Any, max_score: Any, is_solution: bool = False,
                               is_task: bool = False) -> NotebookNode:
        record("tampered", notebook=self.notebook_id, grade_id=source_cell.name, what="deleted")
        return super().missing_cell_transform(source_cell, max_score, is_solution=is_solution, is_task=is_task)


class RecordingDeduplicateIds(DeduplicateIds):
    """nbgrader's DeduplicateIds; notes each grade id that appeared more than once.

    nbgrader 0.9 leaves a duplicate with an empty ``nbgrader`` entry, on which its own
    OverwriteCells (``add_missing_cells``, as this course sets) fails with
    ``KeyError: 'grade_id'``; such an entry is removed, which nbgrader reads the same way.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int) -> tuple[NotebookNode, Any]:
        if utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell):
            grade_id = cell.metadata.nbgrader.get("grade_id")
            if grade_id in self.grade_ids:
                record("tampered", notebook=resources.get("nbgrader", {}).get("notebook", ""),
                       grade_id=grade_id, what="duplicated")
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources
