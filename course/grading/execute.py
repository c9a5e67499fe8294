"""nbgrader preprocessors, subclassed only to observe and to survive fatal cells.

- :class:`GuardedExecute` is nbgrader's ``Execute`` with one change: a cell that times out
  or kills its kernel does not end the notebook. The kernel is killed, a fresh one
  replays the notebook from the top with that cell turned into an error, and grading
  goes on, so every other cell earns what it earns. nbgrader itself would drop the
  submission (and leave an earlier score standing). Its kernels speak the notebook's
  language (``COURSE_LANG`` from the notebook's edition), so the checks' messages in an
  Indonesian submission's feedback are Indonesian whatever the grader's own language.
- :class:`RecordingOverwriteCells` and :class:`RecordingDeduplicateIds` are nbgrader's
  sanitizers, unchanged, that also note what they restored.

- :class:`TrimOutputs` bounds what the executed notebook keeps (30 MB of printed images
  would otherwise go into the autograded notebook and the feedback page).

What happened is appended to a journal file (``journal_path``, one JSON object a line) in
the worker's private course folder, which the worker reads after each submission: student
code runs in the kernel, another process that cannot reach that folder.
"""

from __future__ import annotations

import json
import os
from typing import Any

from jupyter_client.client import KernelClient
from jupyter_client.manager import KernelManager
from nbclient.client import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds, Execute, NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Dict, Integer, Unicode
from traitlets.config import Configurable

from course.grading.outcome import Status
from course.grading.sandbox import SandboxKernelManager
from course.i18n import LANGUAGE_ENV, SESSION_ENV, notebook_language

TIMED_OUT = Status.TIMED_OUT.value
KERNEL_DIED = Status.KERNEL_DIED.value
TAMPERED = Status.TAMPERED.value
NOT_RUN = "not_run"


class Journaled(Configurable):
    """A preprocessor that notes events in the submission's journal file."""

    journal_path = Unicode("", help="the journal file of the submission being graded").tag(config=True)

    def note(self, kind: str, **details: Any) -> None:
        """Append one event to the journal."""
        if self.journal_path:
            with open(self.journal_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"kind": kind, **details}) + "\n")


def read_journal(path: str) -> list[dict[str, Any]]:
    """The events a submission's preprocessors noted."""
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        return []

_ERROR_TEXT = {
    TIMED_OUT: ("CellTimeoutError", ("the cell ran longer than {timeout} s and was stopped; "
                                     "the notebook was graded without it")),
    KERNEL_DIED: ("KernelDied", ("the kernel died while running this cell ({how}); "
                                 "the notebook was graded without it")),
    NOT_RUN: ("NotRun", "not run: earlier cells stopped the kernel too many times"),
}


class _Fatal(Exception):
    def __init__(self, index: int, reason: str, how: str = "") -> None:
        super().__init__(reason)
        self.index, self.reason, self.how = index, reason, how


class _CellTimedOut(Exception):
    pass


class GuardedExecute(Execute, Journaled):
    """nbgrader's Execute in a sandboxed kernel; a fatal cell is replaced by an error, not the end."""

    max_restarts = Integer(3, help="fresh kernels to try before the remaining cells are left unrun").tag(config=True)
    raise_on_iopub_timeout = Bool(False, help="a slow flood of output does not fail the notebook").tag(config=True)
    # nbclient's NotebookClient (Execute's base, which mypy cannot see: nbgrader has no types) sets these
    km: KernelManager | None
    kc: KernelClient | None

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
                self.note(fatal.reason, notebook=notebook, cell_index=fatal.index,
                       grade_id=cell.metadata.get("nbgrader", {}).get("grade_id"), how=fatal.how)
                if restarts > self.max_restarts:
                    for index in range(fatal.index + 1, len(nb.cells)):
                        if nb.cells[index].cell_type == "code" and index not in disabled:
                            disabled[index] = (NOT_RUN, "")
                    self.note(NOT_RUN, notebook=notebook, after_cell=fatal.index)
                continue
            break
        self.set_widgets_metadata()
        return self.nb, self.resources

    def _run_all(self, resources: Any, disabled: dict[int, tuple[str, str]]) -> None:
        client = self._start_kernel()
        with self.setup_kernel():
            info = self.wait_for_reply(client.kernel_info())
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

    def _start_kernel(self, attempts: int = 3) -> KernelClient:
        """Start the kernel and return its client; try again when it dies at once (two kernels, one port)."""
        for attempt in range(attempts):
            if self.km is None:
                self.km = self.create_kernel_manager()
            try:
                self.start_new_kernel(env=self.kernel_env())
                return self.start_new_kernel_client()
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
        raise ValueError(f"attempts: {attempts!r} is not accepted: expected a whole number of at least 1")

    def kernel_env(self) -> dict[str, str]:
        """The kernel's environment: the grader's, with the language of the notebook being graded.

        The launcher keeps ``COURSE_LANG`` from it (course/grading/launch.py), so the checks of an
        Indonesian notebook answer in Indonesian even when the grader runs in English; the grader's
        own environment is not changed. A grader started from a notebook passes on no notebook path
        (``JPY_SESSION_NAME``, which course.i18n would read before ``COURSE_LANG``).
        """
        env = {name: value for name, value in os.environ.items() if name != SESSION_ENV}
        return {**env, LANGUAGE_ENV: notebook_language(self.nb.metadata)}

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
        provisioner = self.km.provisioner if self.km is not None else None
        process = getattr(provisioner, "process", None)  # the local provisioner's Popen; others have none
        try:
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


class RecordingOverwriteCells(OverwriteCells, Journaled):
    """nbgrader's OverwriteCells; notes each locked/test cell it restored or re-added."""

    released = Dict(help="notebook -> locked cell -> checksum as released").tag(config=True)
    translated = Dict(help="notebook -> locked cell -> its checksums in the other editions' releases").tag(config=True)

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        released = self.released.get(self.notebook_id, {}).get(name)
        translated = self.translated.get(self.notebook_id, {}).get(name, [])
        # a test cell as released differs from the source only by its hidden tests, and a cell of the
        # Indonesian release only by its language: not an edit (nbgrader restores the source either way)
        if not (attr == "checksum" and ((released is not None and new == released) or new in translated)):
            self.note(TAMPERED, notebook=self.notebook_id, grade_id=name,
                   what="edited" if attr == "checksum" else f"{attr} changed")
        super().report_change(name, attr, old, new)

    def missing_cell_transform(self, source_cell: Any, max_score: Any, is_solution: bool = False,
                               is_task: bool = False) -> NotebookNode:
        self.note(TAMPERED, notebook=self.notebook_id, grade_id=source_cell.name, what="deleted")
        return super().missing_cell_transform(source_cell, max_score, is_solution=is_solution, is_task=is_task)


class RecordingDeduplicateIds(DeduplicateIds, Journaled):
    """nbgrader's DeduplicateIds; notes each grade id that appeared more than once.

    nbgrader 0.9 leaves a duplicate with an empty ``nbgrader`` entry, on which its own
    OverwriteCells (``add_missing_cells``, as this course sets) fails with
    ``KeyError: 'grade_id'``; such an entry is removed, which nbgrader reads the same way.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int) -> tuple[NotebookNode, Any]:
        if utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell):
            grade_id = cell.metadata.nbgrader.get("grade_id")
            if grade_id in self.grade_ids:
                self.note(TAMPERED, notebook=resources.get("nbgrader", {}).get("notebook", ""),
                       grade_id=grade_id, what="duplicated")
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources


class TrimOutputs(NbGraderPreprocessor):
    """Bound the outputs an executed notebook keeps: each output, and all of a cell's outputs together.

    An output over the limit is replaced by a short note (an error output keeps its name and
    message, so that grading sees the same failure). Runs after Execute, so both the
    autograded notebook and the feedback made from it stay small.
    """

    max_output_bytes = Integer(1 << 20, help="largest single output kept").tag(config=True)
    max_cell_bytes = Integer(2 << 20, help="largest total of one cell's outputs kept").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int) -> tuple[NotebookNode, Any]:
        if cell.cell_type != "code" or not cell.get("outputs"):
            return cell, resources
        kept, total = [], 0
        for output in cell.outputs:
            size = len(json.dumps(output, default=str))
            if size > self.max_output_bytes or total + size > self.max_cell_bytes:
                if output.get("output_type") == "error":
                    output = NotebookNode(output_type="error", ename=str(output.get("ename", ""))[:200],
                                          evalue=str(output.get("evalue", ""))[:2000],
                                          traceback=[str(output.get("ename", ""))[:200]])
                else:
                    note = f"[output of {size / 2**20:.1f} MB removed: over the grader's limit]\n"
                    output = NotebookNode(output_type="stream", name="stdout", text=note)
                size = len(json.dumps(output, default=str))
            kept.append(output)
            total += size
        cell.outputs = kept
        return cell, resources
