"""What a grading worker does with one task: grade the submission in a private course, make its feedback.

A worker (a Dask worker process, one thread) is set up once (:class:`WorkerState`: the
sandbox checked on this machine, a kernel account of its own when it runs as root, a
private scratch folder, the course's nbgrader config parsed once per run). Then, per task
(:func:`grade_submission`), everything comes in as data and goes out as data:

1. :func:`classify_submission`: repair each notebook (:mod:`course.grading.repair`), or say
   why it is missing or unreadable;
2. :func:`build_private_course`: a course folder only root (or, without root, this account)
   can enter: the course's nbgrader_config.py, the repaired notebooks under a neutral
   trainee id, the module's template gradebook, the hand-given grades;
3. :func:`run_nbgrader`: nbgrader's own ``autograde`` and ``generate_feedback`` (with the
   course's config, so configured preprocessors apply) through :mod:`course.nbgrader_api`;
   kernels start in the sandbox with an empty private working folder.

The result carries the scores, the status, the autograded notebooks and the feedback
pages. The worker never opens the course's gradebook or folders.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import tempfile
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.grading import execute, repair
from course.grading.outcome import Status, SubmissionResult, worst
from course.grading.sandbox import Limits, Sandbox, SandboxError, claim_account, kill_account_processes, open_private
from course.grading.tasks import GradeTask, ModuleFiles, WorkerSettings

PRIVATE_ID = "trainee"  # the trainee id inside a private course: never a path or a glob pattern
# Code in a trainee's own cells that can subvert the tests at run time (the grader restores test
# sources, not the interpreter): worth a look by a person. Noted, never scored.
RISKY = re.compile(r"\b(get_ipython|input_transformers\w*|settrace|setprofile|builtins|__builtins__|__eq__|"
                   r"ctypes|atexit|sys\.modules)\b|\bchecks\.\w+\s*=[^=]")


SCRATCH_ENV = "COURSE_GRADE_SCRATCH"
SCRATCH_PREFIX = "course-grade-worker-"
OWNER_FILE = "owner.pid"    # for people (which process made the folder); never used to judge liveness
LOCK_FILE = "owner.lock"    # held (flock) by the worker for its whole life: a free lock means an abandoned folder


def scratch_root() -> str:
    """Where workers keep their scratch folders: ``COURSE_GRADE_SCRATCH`` when set; else memory (/dev/shm)
    when it has room (nbgrader commits to its private gradebook after every cell, and a disk makes each
    commit wait); else the usual temporary folder."""
    chosen = os.environ.get(SCRATCH_ENV)
    if chosen:
        return chosen
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 << 30:
            return str(shm)
    except OSError:
        pass
    return tempfile.gettempdir()


def claim_scratch(root: str) -> tuple[Path, Any]:
    """A new scratch folder under ``root`` and the open, locked ``owner.lock`` that marks it in use.

    Keep the returned file open while the folder is in use; the lock goes with the process,
    however it ends (SIGKILL included). The owner's pid is written only once the lock is held,
    so :func:`remove_stale_scratch` never takes a folder being set up for an abandoned one.
    """
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=root))
    try:
        lock = open_private(folder / LOCK_FILE)
        fcntl.flock(lock, fcntl.LOCK_EX)  # blocks only while a remover looks at it (it lets go: no owner.pid)
        (folder / OWNER_FILE).write_text(str(os.getpid()))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, lock


def _abandoned(folder: Path) -> bool:
    """True when ``folder`` is a scratch folder of this account whose worker is gone (its lock is free)."""
    try:
        if folder.is_symlink() or folder.stat().st_uid != os.geteuid():
            return False
        fd = os.open(folder / LOCK_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # no lock file: being set up, or made by another version of the grader; not ours to judge
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: a live worker, in whatever PID namespace or container it runs
            return False
        return (folder / OWNER_FILE).is_file()  # written once its worker held the lock: that worker is gone
    finally:
        os.close(fd)


def remove_stale_scratch(root: str) -> list[str]:
    """Remove the scratch folders of workers that died without tearing down (killed, restarted).

    A worker holds an flock on ``owner.lock`` in its folder for its whole life; a folder of this
    account whose lock can be taken without waiting is abandoned and removed (it holds grading
    templates and working copies). Process ids are not consulted: a live worker in another PID
    namespace (a container, a session under ``unshare``) looks dead from here, and a dead one's id
    may be reused. Returns what was removed.
    """
    removed = []
    for folder in Path(root).glob(SCRATCH_PREFIX + "*"):
        if _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(str(folder))
    return removed


@dataclass
class WorkerState:
    """One worker's set-up, made once: sandbox, kernel account (and its lock), scratch folder, parsed configs."""

    sandbox: Sandbox
    scratch: Path
    lock: Any = None
    scratch_lock: Any = None
    configs: dict[str, Any] = field(default_factory=dict)
    graders: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    warm: Any = None  # the worker's warm kernel server (sandbox.WarmServer), where kernels get namespaces

    @property
    def job_dir(self) -> Path:
        """The one private course folder this worker grades in (emptied before each submission)."""
        return self.scratch / "job"

    def fresh_job_dir(self) -> Path:
        """The job folder, empty."""
        shutil.rmtree(self.job_dir, ignore_errors=True)
        self.job_dir.mkdir(mode=0o700)
        if not (self.sandbox.namespace or self.sandbox.account is None):
            os.chmod(self.job_dir, 0o711)  # kernels' homes are inside: passable, not listable
        return self.job_dir

    @classmethod
    def create(cls, settings: WorkerSettings) -> WorkerState:
        """Check the sandbox on this machine and claim a kernel account; raise SandboxError when it cannot run."""
        import course
        from course.grading import sandbox as sandboxing

        package = Path(course.__file__).resolve().parent
        # in a course checkout, kernels see of it only the package, datasets/ and an inner venv
        checkout = str(package.parent) if (package.parent / "nbgrader_config.py").is_file() else None
        root = scratch_root()
        remove_stale_scratch(root)
        scratch, scratch_lock = claim_scratch(root)
        lock = None
        try:
            hidden = [root for root in (checkout, settings.course_root) if root]
            account, lock = None, None
            if sandboxing.is_root() and settings.kernel_user:  # this worker's own account, first: the check
                account, lock = claim_account(settings.kernel_user)  # below runs a kernel under it
                kill_account_processes(account)  # whatever a lost worker with this account left
            box = sandboxing.prepare(Limits(**settings.limits), settings.kernel_user, str(scratch), hidden, account)
            box.seed = sandboxing.warm_caches(scratch)
            warm = sandboxing.start_warm_server(box, scratch)  # kernels start as its forks (box.warm)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            scratch_lock.close()
            if lock is not None:
                lock.close()
            raise
        os.chmod(scratch, 0o700 if box.namespace or box.account is None else 0o711)
        return cls(box, scratch, lock, scratch_lock, warm=warm)

    def close(self) -> None:
        """Stop the warm kernel server, kill what the account left, remove the scratch folder (then let go
        of it), give the account back."""
        if self.warm is not None:
            self.warm.close()
            self.warm = None
        kill_account_processes(self.sandbox.account)
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.scratch_lock is not None:
            self.scratch_lock.close()
            self.scratch_lock = None
        if self.lock is not None:
            self.lock.close()
            self.lock = None

    def base_config(self, config_text: str) -> Any:
        """The course's nbgrader config from its text, parsed once per worker."""
        import copy

        from course.nbgrader_api import config_from_text

        if config_text not in self.configs:
            self.configs[config_text] = config_from_text(config_text, self.scratch)
        return copy.deepcopy(self.configs[config_text])


_LOCAL: dict[WorkerSettings, WorkerState] = {}


def state_for(settings: WorkerSettings) -> WorkerState:
    """This worker's state: the Dask worker plugin's, or (outside Dask, e.g. a test) one per process."""
    try:
        from distributed import get_worker

        from course.grading.engine import GradingPlugin  # here: the engine imports this module

        plugin = get_worker().plugins.get(PLUGIN_NAME)
        if isinstance(plugin, GradingPlugin) and plugin.state is not None:
            return plugin.state
    except (ImportError, ValueError):
        pass
    if settings not in _LOCAL:
        _LOCAL[settings] = WorkerState.create(settings)
    return _LOCAL[settings]


PLUGIN_NAME = "course-grading"


@dataclass
class Classified:
    """The submission's notebooks after repair: what can be graded, and what was noticed."""

    gradable: dict[str, str] = field(default_factory=dict)   # name -> notebook text
    editions: dict[str, str] = field(default_factory=dict)   # name -> its edition (en, id, unknown)
    statuses: list[Status] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def classify_submission(task: GradeTask) -> Classified:
    """Repair every notebook of the task against the release; note what is missing or unreadable."""
    found = Classified(details=list(task.notes))
    for status, why in task.problems.values():
        found.statuses.append(status)
        found.details.append(why)
    for name, data in task.notebooks.items():
        fixed = repair.repair(data, task.spec.release_cells.get(name, {}), task.spec.kernelspecs.get(name),
                              task.max_notebook_mb)
        if fixed.text is None:
            found.statuses.append(Status.UNREADABLE)
            found.details.append(fixed.unreadable)
            continue
        found.gradable[name] = fixed.text
        found.editions[name] = fixed.edition
        found.details += fixed.notes + fixed.tampered
        if fixed.tampered:
            found.statuses.append(Status.TAMPERED)
    return found


def build_private_course(task: GradeTask, files: ModuleFiles, classified: Classified, job_dir: Path) -> Path:
    """The private course folder for one submission; returns its private gradebook's path."""
    course = job_dir / "course"
    (course / "source" / task.module).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(files.config_text, encoding="utf-8")
    submitted = course / "submitted" / PRIVATE_ID / task.module
    submitted.mkdir(parents=True)
    for name, text in classified.gradable.items():
        (submitted / f"{name}.ipynb").write_text(text, encoding="utf-8")
    if task.timestamp:
        (submitted / "timestamp.txt").write_text(task.timestamp, encoding="utf-8")
    db_path = job_dir / "gradebook.db"
    db_path.write_bytes(files.template)
    os.chmod(db_path, 0o600)
    if task.extension_seconds:
        _grant_extension(db_path, task)
    return db_path


def _nbgrader_config(state: WorkerState, task: GradeTask, files: ModuleFiles, job_dir: Path, db_path: Path) -> Any:
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import DeduplicateIds, Execute, LimitOutput, OverwriteCells

    config = state.base_config(files.config_text)
    folders = config.CourseDirectory
    folders.root = str(job_dir / "course")
    folders.source_directory = "source"
    folders.submitted_directory = "submitted"
    folders.autograded_directory = "autograded"
    folders.feedback_directory = "feedback"
    folders.db_url = f"sqlite:///{db_path}"
    folders.course_id = task.course_id
    config.Execute.timeout = task.timeout
    traits = Autograde.class_traits()
    sanitize = config.Autograde.get("sanitize_preprocessors") or traits["sanitize_preprocessors"].default()
    grade = config.Autograde.get("autograde_preprocessors") or traits["autograde_preprocessors"].default()
    swapped = [{OverwriteCells: execute.RecordingOverwriteCells,
                DeduplicateIds: execute.RecordingDeduplicateIds}.get(cls, cls) for cls in sanitize]
    config.Autograde.sanitize_preprocessors = swapped
    graded = []
    for cls in grade:
        graded.append(execute.GuardedExecute if cls is Execute else cls)
        if cls is LimitOutput:
            graded.append(execute.TrimOutputs)
    if execute.TrimOutputs not in graded:
        graded.insert(1, execute.TrimOutputs)
    config.Autograde.autograde_preprocessors = graded
    journal = str(job_dir / "journal.jsonl")
    for name in ("GuardedExecute", "RecordingOverwriteCells", "RecordingDeduplicateIds"):
        config[name].journal_path = journal
    config.RecordingOverwriteCells.released = task.spec.released
    config.RecordingOverwriteCells.translated = task.spec.translated
    config.HideAnswers.editions = files.editions  # feedback in the trainee's language (course.grading.feedback)
    config.SandboxKernelManager.sandbox = state.sandbox.to_dict()
    config.SandboxKernelManager.home_root = {"path": str(job_dir)}
    return config


def _journal_status(path: Path, timeout: int) -> tuple[list[Status], list[str]]:
    statuses, details = [], []
    for event in execute.read_journal(str(path)):
        where = event.get("grade_id") or f"cell {event.get('cell_index', '?')}"
        if event["kind"] == execute.TIMED_OUT:
            statuses.append(Status.TIMED_OUT)
            details.append(f"{where} timed out after {timeout} s")
        elif event["kind"] == execute.KERNEL_DIED:
            statuses.append(Status.KERNEL_DIED)
            details.append(f"kernel died in {where} ({event.get('how')})")
        elif event["kind"] == execute.NOT_RUN:
            details.append("later cells not run: the kernel failed too often")
        elif event["kind"] == execute.TAMPERED:
            statuses.append(Status.TAMPERED)
            details.append(f"{event['grade_id']} {event['what']}, restored" if event["what"] != "duplicated"
                           else f"{event['grade_id']} appeared twice, the last copy was graded")
    return statuses, list(dict.fromkeys(details))


def run_nbgrader(state: WorkerState, task: GradeTask, files: ModuleFiles, classified: Classified,
                 job_dir: Path, result: SubmissionResult) -> None:
    """Autograde, read back the grades, make feedback; fill ``result``."""
    from course.grading.gradebook import apply_manual, read_outcome
    from course.nbgrader_api import Grader

    db_path = build_private_course(task, files, classified, job_dir)
    key = (files.config_text, task.module, task.timeout)
    if key not in state.graders:  # nbgrader set up once per worker, course config and module
        state.graders[key] = Grader(_nbgrader_config(state, task, files, job_dir, db_path))
    grader = state.graders[key]
    ok, log = grader.autograde(task.module, PRIVATE_ID)
    journal_statuses, journal_details = _journal_status(job_dir / "journal.jsonl", task.timeout)
    details = classified.details + _review_notes(classified.gradable)
    if not ok:
        print(f"== nbgrader failed on {task.module}/{task.student}:\n{log}", flush=True)
        result.status = Status.FAILED
        result.detail = "; ".join(details + journal_details + ["nbgrader could not grade it: " + _last_error(log)])
        return
    result.notebooks = read_outcome(db_path, task.course_id, task.module, PRIVATE_ID)
    result.auto_score = _auto_score(result, task)
    result.status = worst(classified.statuses + journal_statuses)
    result.detail = "; ".join(dict.fromkeys(details + journal_details))
    course = job_dir / "course"
    autograded = course / "autograded" / PRIVATE_ID / task.module
    result.autograded = {path.name: path.read_bytes() for path in sorted(autograded.glob("*.ipynb"))}
    if task.feedback:
        if task.manual:
            apply_manual(db_path, task.course_id, task.module, PRIVATE_ID, task.manual)
        ok, log = grader.generate_feedback(task.module, PRIVATE_ID)
        pages = course / "feedback" / PRIVATE_ID / task.module
        result.feedback = {path.name: path.read_bytes() for path in sorted(pages.glob("*.html"))}
        if not ok:
            result.feedback_error = _last_error(log)


def grade_submission(task: GradeTask, files: ModuleFiles, settings: WorkerSettings) -> SubmissionResult:
    """Grade one submission and make its feedback; always return a result, never raise."""
    started = time.monotonic()
    result = SubmissionResult(task.module, task.student, Status.FAILED, auto_max=task.spec.auto_max,
                              timestamp=task.timestamp, fingerprint=task.fingerprint)
    state = None
    job_dir = None
    try:
        state = state_for(settings)
        classified = classify_submission(task)
        if not classified.gradable:
            result.status = worst(classified.statuses) if classified.statuses else Status.MISSING
            result.detail = "; ".join(classified.details)
            return result
        result.edition = edition_of(classified.editions.values())
        job_dir = state.fresh_job_dir()
        run_nbgrader(state, task, files, classified, job_dir, result)
        return result
    except SandboxError as error:
        result.detail = f"the sandbox cannot run on this worker: {error}"
        return result
    except Exception as error:  # noqa: BLE001 - every submission must end in a recorded state
        result.status = Status.FAILED
        result.detail = f"grading failed: {type(error).__name__}: {error}"
        traceback.print_exc()
        return result
    finally:
        if state is not None:
            kill_account_processes(state.sandbox.account)
        if job_dir is not None:
            shutil.rmtree(job_dir, ignore_errors=True)
        result.seconds = round(time.monotonic() - started, 2)


def edition_of(editions: Iterable[str]) -> str:
    """The edition of a submission from its notebooks' (:func:`course.grading.repair.notebook_edition`, read
    when they were classified): one edition, or different ones joined by "+" (e.g. "en+id")."""
    return "+".join(sorted(set(editions)))


def _review_notes(gradable: dict[str, str]) -> list[str]:
    """'review: ...' when the trainee's own cells use what can fake or disable tests at run time."""
    import json

    found: set[str] = set()
    for text in gradable.values():
        for cell in json.loads(text).get("cells", []):
            if cell.get("cell_type") != "code" or (cell.get("metadata", {}).get("nbgrader") or {}).get("locked"):
                continue
            source = "".join(cell.get("source", ""))
            found.update(match.group(0).split("=")[0].strip() for match in RISKY.finditer(source))
    return [f"review: the trainee's code uses {', '.join(sorted(found))}"] if found else []


def _last_error(text: str) -> str:
    """The last exception line of nbgrader's log (``SomeError: message``), else its last line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line)]
    return (raised[-1] if raised else (lines[-1] if lines else "no message"))[:500]


def _auto_score(result: SubmissionResult, task: GradeTask) -> float:
    total = 0.0
    for name, found in result.notebooks.items():
        for cell_id, grade in found.grades.items():
            if cell_id in task.spec.code_cells.get(name, ()) and grade.auto_score is not None:
                total += grade.auto_score
    return total


def _grant_extension(db_path: Path, task: GradeTask) -> None:
    import datetime

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db_path}", task.course_id) as gradebook:
        gradebook.update_or_create_student(PRIVATE_ID)
        gradebook.update_or_create_submission(task.module, PRIVATE_ID)
        submission = gradebook.find_submission(task.module, PRIVATE_ID)
        submission.extension = datetime.timedelta(seconds=task.extension_seconds or 0)
        gradebook.db.commit()
