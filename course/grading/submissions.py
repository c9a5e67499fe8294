"""Find submissions in nbgrader's submitted/ folder and sort out what each notebook file is.

A submission is ``submitted/STUDENT/MODULE/`` (nbgrader's layout; ``nbgrader collect``
fills it from the exchange). Each notebook the module expects is one of:

- ``ok``: there, readable;
- ``renamed``: missing under its name, but exactly one other notebook in the folder
  carries the module's grade ids (``Copy of ...``, ``... (1).ipynb``): graded in its place;
- ``missing``: neither;
- ``unreadable``: an empty file, invalid JSON, not a notebook, or too large.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

MAX_NOTEBOOK_MB = 100


@dataclass(frozen=True)
class ModuleSpec:
    """What the gradebook says a module holds: its notebooks with their cell ids, and autograded points."""

    name: str
    notebooks: dict[str, list[str]]
    auto_max: float
    code_cells: dict[str, list[str]] = field(default_factory=dict)
    released: dict[str, dict[str, str]] = field(default_factory=dict)  # notebook -> locked cell -> checksum


@dataclass(frozen=True)
class Submission:
    """One trainee's folder for one module (``folder`` is None when nothing was submitted)."""

    module: str
    student: str
    folder: Path | None


@dataclass(frozen=True)
class NotebookFile:
    """What was found for one expected notebook."""

    name: str
    state: str
    path: Path | None = None
    detail: str = ""


def submitted_students(root: Path, modules: list[str]) -> set[str]:
    """Trainees with a folder for any of ``modules`` in submitted/."""
    base = root / "submitted"
    if not base.is_dir():
        return set()
    return {student.name for student in base.iterdir()
            if student.is_dir() and not student.name.startswith(".")
            and any((student / module).is_dir() for module in modules)}


def find(root: Path, modules: list[str], students: list[str]) -> list[Submission]:
    """One Submission per module and trainee, in that order; folder None where nothing came in."""
    found = []
    for module in modules:
        for student in sorted(students):
            folder = root / "submitted" / student / module
            found.append(Submission(module, student, folder if folder.is_dir() else None))
    return found


def read_notebook(path: Path, max_mb: int = MAX_NOTEBOOK_MB) -> tuple[dict | None, str]:
    """The notebook at ``path`` as JSON, or None and why it cannot be read."""
    import nbformat

    try:
        size = path.stat().st_size
        if size == 0:
            return None, "the file is empty"
        if size > max_mb << 20:
            return None, f"the file is {size / 2**20:.0f} MB, over the {max_mb} MB limit"
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, "the file is not UTF-8 text"
    except OSError as error:
        return None, f"the file cannot be read ({error.strerror})"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"the file is not valid JSON ({error.msg} at line {error.lineno})"
    try:
        nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises many kinds
        return None, f"the file is not a Jupyter notebook ({type(error).__name__})"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, "the file is not a Jupyter notebook (no cells)"
    return data, ""


def _grade_ids(data: dict) -> set[str]:
    ids = set()
    for cell in data.get("cells", []):
        grade_id = (cell.get("metadata") or {}).get("nbgrader", {}).get("grade_id") \
            if isinstance(cell, dict) and isinstance((cell.get("metadata") or {}).get("nbgrader"), dict) else None
        if grade_id:
            ids.add(grade_id)
    return ids


def classify(folder: Path, spec: ModuleSpec, max_mb: int = MAX_NOTEBOOK_MB) -> dict[str, NotebookFile]:
    """What each notebook of ``spec`` is in ``folder``."""
    result: dict[str, NotebookFile] = {}
    expected = {f"{name}.ipynb" for name in spec.notebooks}
    others = sorted(p for p in folder.glob("*.ipynb") if p.name not in expected and p.is_file()
                    and not p.is_symlink())
    for name, ids in spec.notebooks.items():
        path = folder / f"{name}.ipynb"
        if path.is_symlink():
            result[name] = NotebookFile(name, "unreadable", None, "the notebook is a symbolic link")
            continue
        if path.is_file():
            data, why = read_notebook(path, max_mb)
            result[name] = NotebookFile(name, "ok" if data is not None else "unreadable", path, why)
            continue
        best: tuple[int, float, Path] | None = None
        for other in others:
            data, _ = read_notebook(other, max_mb)
            if data is None:
                continue
            shared = len(_grade_ids(data) & set(ids))
            if shared and (best is None or (shared, other.stat().st_mtime) > best[:2]):
                best = (shared, other.stat().st_mtime, other)
        if best is not None:
            result[name] = NotebookFile(name, "renamed", best[2], f"graded {best[2].name} as {name}.ipynb")
        else:
            result[name] = NotebookFile(name, "missing", None, f"no {name}.ipynb in the submission")
    return result


def fingerprint(folder: Path | None) -> str:
    """A digest of the notebooks in ``folder`` (what was graded), for the record."""
    if folder is None:
        return ""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.ipynb")):
        if path.is_file() and not path.is_symlink():
            digest.update(path.name.encode() + b"\0")
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def released_checksums(release_dir: Path, module: str, notebooks: list[str]) -> dict[str, dict[str, str]]:
    """Checksums of the locked cells as trainees received them (the release), per notebook.

    A locked cell whose submitted checksum matches neither the release nor the source was
    edited by the trainee; one that matches the release only lacks its hidden tests.
    """
    import nbformat
    from nbgrader.utils import compute_checksum, is_locked

    found: dict[str, dict[str, str]] = {}
    for name in notebooks:
        path = release_dir / module / f"{name}.ipynb"
        if not path.is_file():
            continue
        notebook = nbformat.read(str(path), as_version=4)
        found[name] = {cell.metadata.nbgrader["grade_id"]: compute_checksum(cell) for cell in notebook.cells
                       if is_locked(cell) and cell.metadata.get("nbgrader", {}).get("grade_id")}
    return found
