"""Find submissions in nbgrader's submitted/ folder and read what each holds (the client side of grading).

A submission is ``submitted/STUDENT/MODULE/`` (nbgrader's layout; ``nbgrader collect``
fills it from the exchange). Nothing here follows a symbolic link: a trainee folder or a
module folder that is a link (to solutions/, to a classmate's folder) is refused, and so
is a notebook file that is one. Each notebook the module expects is one of
(:class:`FileState`):

- ``ok``: there, and read (size-bounded) into memory;
- ``renamed``: missing under its name, but exactly one other notebook in the folder
  carries the module's grade ids (``Copy of ...``, ``... (1).ipynb``): graded in its place;
- ``missing``: neither;
- ``unreadable``: too large, a link, or not a file that can be read.

Whether a notebook's content can be graded is decided by the worker (:mod:`repair`).
Only the notebooks travel to the worker: no other file a trainee put in the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

MAX_NOTEBOOK_MB = 100
MAX_TIMESTAMP_CHARS = 64
_UNSAFE_ID = re.compile(r"[/\\\x00-\x1f\x7f]")


class FileState(StrEnum):
    """What was found for one expected notebook."""

    OK = "ok"
    RENAMED = "renamed"
    MISSING = "missing"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ModuleSpec:
    """What the gradebook and the release say a module holds.

    ``notebooks``: notebook -> its cell ids; ``auto_max``: autograded points;
    ``released``: notebook -> locked cell -> checksum as released; ``release_cells``:
    notebook -> grade id -> ``{"cell_type", "nbgrader"}`` as released; ``kernelspecs``:
    notebook -> the release's kernelspec; ``translated``: notebook -> locked cell -> its checksums
    in the other editions' releases (exercises-id/): the same cell in another language, not an edit.
    """

    name: str
    notebooks: dict[str, list[str]]
    auto_max: float
    code_cells: dict[str, list[str]] = field(default_factory=dict)
    released: dict[str, dict[str, str]] = field(default_factory=dict)
    release_cells: dict[str, dict[str, dict]] = field(default_factory=dict)
    kernelspecs: dict[str, dict] = field(default_factory=dict)
    translated: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """One trainee's folder for one module (``folder`` None when nothing was submitted or it was refused)."""

    module: str
    student: str
    folder: Path | None
    refused: str = ""


@dataclass(frozen=True)
class NotebookFile:
    """What was found for one expected notebook, with its bytes when it can be graded."""

    name: str
    state: FileState
    source: str = ""
    data: bytes = b""
    detail: str = ""


def unsafe_id(student: str) -> str:
    """Why ``student`` cannot be a trainee id (it would name a path outside submitted/), or ''."""
    if not student or student in (".", "..") or student.startswith(".") or _UNSAFE_ID.search(student) \
            or len(student) > 128:
        return (f"trainee id {student!r} refused: an id must be 1-128 characters, not start with '.', and hold no "
                "'/', '\\' or control characters")
    return ""


def submitted_students(root: Path, modules: list[str]) -> set[str]:
    """Trainees with an entry for any of ``modules`` in submitted/ (links included: they are refused later)."""
    base = root / "submitted"
    if not base.is_dir():
        return set()
    return {student.name for student in base.iterdir()
            if not student.name.startswith(".") and (student.is_dir() or student.is_symlink())
            and any(os.path.lexists(student / module) for module in modules)}


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def find(root: Path, modules: list[str], students: list[str]) -> list[Submission]:
    """One Submission per module and trainee, in that order; folder None where nothing came in or it was refused."""
    found = []
    base = root / "submitted"
    for module in modules:
        for student in sorted(students):
            trainee, folder = base / student, base / student / module
            if not os.path.lexists(trainee) or not os.path.lexists(folder):
                found.append(Submission(module, student, None))
            elif not _is_real_dir(trainee):
                found.append(Submission(module, student, None, f"submitted/{student} is a symbolic link or not a "
                                                               "folder: not graded"))
            elif not _is_real_dir(folder):
                found.append(Submission(module, student, None, f"submitted/{student}/{module} is a symbolic link "
                                                               "or not a folder: not graded"))
            else:
                found.append(Submission(module, student, folder))
    return found


def _read_file(path: Path, max_mb: int) -> tuple[bytes | None, str]:
    """The bytes of a plain file (never through a link), or None and why not."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return None, ("the notebook is a symbolic link" if os.path.islink(path)
                      else f"the file cannot be read ({error.strerror})")
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, "the notebook is not a plain file"
        if info.st_size > max_mb << 20:
            return None, f"the file is {info.st_size / 2**20:.0f} MB, over the {max_mb} MB limit"
        return handle.read((max_mb << 20) + 1), ""


def _grade_ids(data: bytes) -> set[str]:
    """Grade ids in a notebook's JSON (empty when it cannot be parsed)."""
    from course.grading.repair import _depth_ok

    try:
        text = data.decode("utf-8")
        if not _depth_ok(text):
            return set()
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError, RecursionError):
        return set()
    ids = set()
    for cell in cells if isinstance(cells, list) else []:
        entry = (cell.get("metadata") or {}).get("nbgrader") if isinstance(cell, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("grade_id"), str):
            ids.add(entry["grade_id"])
    return ids


def classify(folder: Path, spec: ModuleSpec, max_mb: int = MAX_NOTEBOOK_MB) -> dict[str, NotebookFile]:
    """What each notebook of ``spec`` is in ``folder``, with the bytes of those that can be graded."""
    result: dict[str, NotebookFile] = {}
    expected = {f"{name}.ipynb" for name in spec.notebooks}
    others = sorted(p for p in folder.glob("*.ipynb") if p.name not in expected and not p.is_symlink() and p.is_file())
    for name, ids in spec.notebooks.items():
        path = folder / f"{name}.ipynb"
        if os.path.lexists(path):
            data, why = _read_file(path, max_mb)
            result[name] = NotebookFile(name, FileState.OK if data is not None else FileState.UNREADABLE,
                                        path.name, data or b"", why)
            continue
        best: tuple[int, float, Path, bytes] | None = None
        for other in others:
            data, _ = _read_file(other, max_mb)
            if not data:
                continue
            shared = len(_grade_ids(data) & set(ids))
            if shared and (best is None or (shared, other.stat().st_mtime) > best[:2]):
                best = (shared, other.stat().st_mtime, other, data)
        if best is not None:
            result[name] = NotebookFile(name, FileState.RENAMED, best[2].name, best[3],
                                        f"graded {best[2].name} as {name}.ipynb")
        else:
            result[name] = NotebookFile(name, FileState.MISSING, detail=f"no {name}.ipynb in the submission")
    return result


def read_timestamp(folder: Path) -> tuple[str | None, str]:
    """nbgrader's timestamp.txt as an ISO date, or None and a note when it is absent or not a date."""
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    if not os.path.lexists(path):
        return None, ""
    data, why = _read_file(path, 1)
    if data is None:
        return None, f"timestamp.txt ignored: {why}"
    text = data[:4096].decode("utf-8", "replace").strip()
    if not text:
        return None, ""
    shown = text[:40] + ("..." if len(text) > 40 else "")
    if len(text) > MAX_TIMESTAMP_CHARS:
        return None, f"timestamp.txt ignored: {len(text)} characters, not a date ({shown!r}); graded as on time"
    try:
        return parse_utc(text).isoformat(sep=" "), ""
    except Exception:  # noqa: BLE001 - dateutil raises several kinds for text that is not a date
        return None, f"timestamp.txt ignored: {shown!r} is not a date; graded as on time"


def fingerprint(files: dict[str, NotebookFile]) -> str:
    """A digest of the notebooks that were graded, for the record."""
    digest = hashlib.sha256()
    for name in sorted(files):
        found = files[name]
        if found.data:
            digest.update(found.source.encode() + b"\0" + found.data)
    return digest.hexdigest()[:16] if any(found.data for found in files.values()) else ""


def release_info(release_dir: Path, module: str, notebooks: list[str]) -> tuple[dict, dict, dict]:
    """From the release: locked-cell checksums, every graded/locked cell's nbgrader settings, kernelspecs.

    A locked cell whose submitted checksum matches neither the release nor the source was
    edited by the trainee; one that matches the release only lacks its hidden tests.
    """
    import nbformat
    from nbgrader.utils import compute_checksum, is_locked

    checksums: dict[str, dict[str, str]] = {}
    cells: dict[str, dict[str, dict]] = {}
    kernelspecs: dict[str, dict] = {}
    for name in notebooks:
        path = release_dir / module / f"{name}.ipynb"
        if not path.is_file():
            continue
        notebook = nbformat.read(str(path), as_version=4)
        checksums[name] = {cell.metadata.nbgrader["grade_id"]: compute_checksum(cell) for cell in notebook.cells
                           if is_locked(cell) and cell.metadata.get("nbgrader", {}).get("grade_id")}
        cells[name] = {cell.metadata.nbgrader["grade_id"]: {"cell_type": cell.cell_type,
                                                            "nbgrader": json.loads(json.dumps(cell.metadata.nbgrader))}
                       for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id")}
        if notebook.metadata.get("kernelspec"):
            kernelspecs[name] = json.loads(json.dumps(notebook.metadata.kernelspec))
    return checksums, cells, kernelspecs
