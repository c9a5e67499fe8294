"""What a grading worker process does: autograde one submission, or generate one trainee's feedback.

Workers are spawned processes (a fresh interpreter each, nothing inherited from the
parent but the arguments), one job at a time. For autograding, a worker builds a private
course folder for the submission: the module's source (for nbgrader to copy from), the
trainee's files, and a private SQLite gradebook from the module's template. It runs
nbgrader's own ``autograde`` there through :class:`nbgrader.apps.NbGraderAPI`, with the
course's sandboxed :class:`~course.grading.execute.GuardedExecute`, and returns what
nbgrader recorded plus a status. The parent copies it into the course's gradebook.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.grading import execute, outcome
from course.grading.outcome import SubmissionResult
from course.grading.sandbox import Sandbox, become_subreaper, claim_account, kill_account_processes
from course.grading.submissions import ModuleSpec, classify, fingerprint

_STATE: dict[str, Any] = {}
MAX_OTHER_FILE_MB = 20
# Code in a trainee's own cells that can subvert the tests at run time (the grader restores test
# sources, not the interpreter): worth a look by a person. Noted, never scored.
RISKY = re.compile(r"\b(get_ipython|input_transformers\w*|settrace|setprofile|builtins|__builtins__|__eq__|"
                   r"ctypes|atexit|sys\.modules)\b|\bchecks\.\w+\s*=[^=]")


@dataclass(frozen=True)
class Job:
    """One submission to autograde."""

    root: str
    module: str
    student: str
    folder: str
    spec: ModuleSpec
    template: str
    course_id: str
    timeout: int
    extension_seconds: float | None = None
    max_notebook_mb: int = 100
    submission_timeout: int = 1800


class _Deadline(Exception):
    pass


def init(sandbox: dict[str, Any], run_dir: str, account_prefix: str | None) -> None:
    """Set up this worker process: claim a kernel account of its own, send its output to a log."""
    state = Sandbox.from_dict(sandbox)
    become_subreaper()
    if state.account is not None and account_prefix:
        account, lock = claim_account(account_prefix)
        state.account = account
        _STATE["lock"] = lock  # held for the life of the process
    _STATE.update(sandbox=state, run_dir=run_dir, configs={}, feedback={})
    kill_account_processes(state.account)  # whatever a crashed worker with this account left
    log = os.open(os.path.join(run_dir, f"worker-{os.getpid()}.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


def _swap(classes: list[Any], replacements: dict[Any, Any]) -> list[Any]:
    return [replacements.get(cls, cls) for cls in classes]


def _config(job: Job, course_dir: Path, db_path: Path) -> Any:
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells

    from course.nbgrader_api import load_config

    base = _STATE["configs"].get(job.root)
    if base is None:
        base = _STATE["configs"][job.root] = load_config(Path(job.root))
    config = copy.deepcopy(base)
    folders = config.CourseDirectory
    source = Path(folders.get("source_directory", "source"))
    folders.source_directory = str(source if source.is_absolute() else Path(job.root) / source)
    folders.submitted_directory = "submitted"
    folders.autograded_directory = "autograded"
    folders.root = str(course_dir)
    folders.db_url = f"sqlite:///{db_path}"
    config.Execute.timeout = job.timeout
    traits = Autograde.class_traits()
    sanitize = config.Autograde.get("sanitize_preprocessors") or traits["sanitize_preprocessors"].default()
    grade = config.Autograde.get("autograde_preprocessors") or traits["autograde_preprocessors"].default()
    config.Autograde.sanitize_preprocessors = _swap(list(sanitize), {
        OverwriteCells: execute.RecordingOverwriteCells, DeduplicateIds: execute.RecordingDeduplicateIds})
    config.Autograde.autograde_preprocessors = _swap(list(grade), {Execute: execute.GuardedExecute})
    config.SandboxKernelManager.sandbox = _STATE["sandbox"].to_dict()
    config.SandboxKernelManager.home_root = {"path": str(db_path.parent)}
    return config


def _copy_submission(job: Job, gradable: dict[str, Path], target: Path) -> None:
    """The trainee's files into the private course: the gradable notebooks under their names, other plain files."""
    target.mkdir(parents=True)
    folder = Path(job.folder)
    for name, path in gradable.items():
        shutil.copyfile(path, target / f"{name}.ipynb")
    taken = {path.resolve() for path in gradable.values()}
    for path in folder.iterdir():
        if path.is_symlink() or not path.is_file() or path.suffix == ".ipynb" or path.resolve() in taken:
            continue
        if path.stat().st_size <= MAX_OTHER_FILE_MB << 20:
            shutil.copyfile(path, target / path.name)


def _timestamp(folder: Path) -> str | None:
    path = folder / "timestamp.txt"
    if path.is_file() and not path.is_symlink() and path.stat().st_size < 1000:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        return text or None
    return None


def _journal_status(job: Job) -> tuple[list[str], list[str]]:
    statuses, details = [], []
    for event in execute.JOURNAL:
        where = event.get("grade_id") or f"cell {event.get('cell_index', '?')}"
        if event["kind"] == execute.TIMED_OUT:
            statuses.append(outcome.TIMED_OUT)
            details.append(f"{where} timed out after {job.timeout} s")
        elif event["kind"] == execute.KERNEL_DIED:
            statuses.append(outcome.KERNEL_DIED)
            details.append(f"kernel died in {where} ({event.get('how')})")
        elif event["kind"] == execute.NOT_RUN:
            details.append("later cells not run: the kernel failed too often")
        elif event["kind"] == "tampered":
            statuses.append(outcome.TAMPERED)
            details.append(f"{event['grade_id']} {event['what']}, restored" if event["what"] != "duplicated"
                           else f"{event['grade_id']} appeared twice, the last copy was graded")
    return statuses, list(dict.fromkeys(details))


def autograde(job: Job) -> SubmissionResult:
    """Autograde one submission in a private course folder; always return a result, never raise."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    started = time.monotonic()
    execute.JOURNAL.clear()
    execute.RELEASED.clear()
    execute.RELEASED.update(job.spec.released)
    sandbox: Sandbox = _STATE["sandbox"]
    folder = Path(job.folder)
    result = SubmissionResult(job.module, job.student, outcome.FAILED, auto_max=job.spec.auto_max)
    job_dir = Path(tempfile.mkdtemp(prefix=f"{job.module}-", dir=_STATE["run_dir"]))
    os.chmod(job_dir, 0o711)
    try:
        result.timestamp = _timestamp(folder)
        result.fingerprint = fingerprint(folder)
        files = classify(folder, job.spec, job.max_notebook_mb)
        statuses = [outcome.UNREADABLE if f.state == "unreadable" else outcome.MISSING
                    for f in files.values() if f.state in ("unreadable", "missing")]
        details = [f.detail for f in files.values() if f.state != "ok" and f.detail]
        gradable = {name: f.path for name, f in files.items() if f.state in ("ok", "renamed") and f.path}
        if not gradable:
            result.status, result.detail = outcome.worst(statuses), "; ".join(details)
            return result
        course_dir = job_dir / "course"
        course_dir.mkdir()
        if sandbox.account is not None:  # this kernel's account may read it (group), no other account may
            os.chown(course_dir, 0, sandbox.account.gid)
            os.chmod(course_dir, 0o750)
        _copy_submission(job, gradable, course_dir / "submitted" / job.student / job.module)
        if result.timestamp:
            (course_dir / "submitted" / job.student / job.module / "timestamp.txt").write_text(result.timestamp)
        db_path = job_dir / "gradebook.db"
        shutil.copyfile(job.template, db_path)
        os.chmod(db_path, 0o600)  # the module's solutions and hidden tests: not for the kernel
        if job.extension_seconds:
            _grant_extension(db_path, job)
        config = _config(job, course_dir, db_path)
        grader = NbGraderAPI(CourseDirectory(config=config), config=config)
        previous = signal.signal(signal.SIGALRM, _on_deadline)
        signal.alarm(job.submission_timeout)
        try:
            run = grader.autograde(job.module, job.student, force=True, create=True)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        journal_statuses, journal_details = _journal_status(job)
        details += _review_notes(gradable)
        if not run.get("success"):
            text = (run.get("error") or "") + (run.get("log") or "")
            print(f"== nbgrader failed on {job.module}/{job.student}:\n{text}", flush=True)
            if "_Deadline" in text:
                result.status = outcome.TIMED_OUT
                result.detail = f"the whole submission took over {job.submission_timeout} s and was stopped"
            else:
                result.detail = "nbgrader could not grade it: " + _last_error(text)
            result.detail = "; ".join(details + journal_details + [result.detail])
            return result
        from course.grading.gradebook import read_outcome

        result.notebooks = read_outcome(db_path, job.course_id, job.module, job.student)
        result.auto_score = _auto_score(result, job.spec)
        result.status = outcome.worst(statuses + journal_statuses)
        result.detail = "; ".join(details + journal_details)
        autograded = course_dir / "autograded" / job.student / job.module
        result.autograded_dir = str(autograded) if autograded.is_dir() else None
        return result
    except Exception as error:  # noqa: BLE001 - every submission must end in a recorded state
        result.status = outcome.FAILED
        result.detail = f"grading failed: {type(error).__name__}: {error}"
        traceback.print_exc()
        return result
    finally:
        kill_account_processes(sandbox.account)
        result.seconds = round(time.monotonic() - started, 2)
        sys.stdout.flush()


def _review_notes(gradable: dict[str, Path]) -> list[str]:
    """'review: ...' when the trainee's own cells use what can fake or disable tests at run time."""
    import json

    found: set[str] = set()
    for path in gradable.values():
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") != "code" or (cell.get("metadata", {}).get("nbgrader") or {}).get("locked"):
                continue
            source = "".join(cell.get("source", ""))
            found.update(match.group(0).split("=")[0].strip() for match in RISKY.finditer(source))
    return [f"review: the trainee's code uses {', '.join(sorted(found))}"] if found else []


def _on_deadline(signum: int, frame: Any) -> None:
    raise _Deadline("the submission ran past its time limit")


def _last_error(text: str) -> str:
    """The last exception line of nbgrader's log (``SomeError: message``), else its last line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    raised = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line)]
    return (raised[-1] if raised else (lines[-1] if lines else "no message"))[:500]


def _auto_score(result: SubmissionResult, spec: ModuleSpec) -> float:
    total = 0.0
    for name, found in result.notebooks.items():
        for cell_id, grade in found.grades.items():
            if cell_id in spec.code_cells.get(name, ()) and grade.auto_score is not None:
                total += grade.auto_score
    return total


def _grant_extension(db_path: Path, job: Job) -> None:
    import datetime

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db_path}", job.course_id) as gradebook:
        gradebook.update_or_create_student(job.student)
        gradebook.update_or_create_submission(job.module, job.student)
        submission = gradebook.find_submission(job.module, job.student)
        submission.extension = datetime.timedelta(seconds=job.extension_seconds or 0)
        gradebook.db.commit()


def feedback(root: str, db_url: str, module: str, student: str) -> str | None:
    """nbgrader's generate_feedback for one trainee; None on success, else the error."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from course.nbgrader_api import load_config

    try:
        grader = _STATE.get("feedback", {}).get((root, db_url))
        if grader is None:
            config = load_config(Path(root), db_url=db_url)
            grader = NbGraderAPI(CourseDirectory(config=config), config=config)
            _STATE.setdefault("feedback", {})[root, db_url] = grader
        run = grader.generate_feedback(module, student, force=True)
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    finally:
        sys.stdout.flush()
    return None if run.get("success") else _last_error((run.get("error") or "") + (run.get("log") or ""))
