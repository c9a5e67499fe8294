"""`course student-edition`: the tree a workshop host publishes for trainees.

The edition holds what a trainee needs and nothing an instructor keeps to themselves:
the released notebooks (exercises/), the package `course` with its datasets, the
repo2docker set-up (binder/), a trainee README and a `.gitignore` that keeps
nbgitpuller's merges clean. It never holds solutions/, tests, mark schemes, a gradebook
or nbgrader's local state. Every build is scanned (course.leaks plus a list of
forbidden names) and refused if anything leaks. With a branch name the tree is also
committed as a git branch that the host pushes and nbgitpuller pulls.

One edition per language (``lang``): the English edition holds exercises/ and is published on
the branch ``student``; the Indonesian one holds exercises-id/ (same modules and grade ids),
an Indonesian README, and is published on ``student-id``. A workshop runs in one language, so
trainees, many new to Python, see one copy of each module in their language and nothing to
choose wrongly; a mixed cohort gets each trainee the link of their language (course.hub puts
the two editions in different folders, so they never meet).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from course import __version__, leaks
from course.i18n import DEFAULT_LANGUAGE, message
from course.nbgrader_api import MODULE_PATTERN, CourseError
from course.templating import templates

MARKER = ".course-edition"
DEFAULT_BRANCH = "student"
# Each language's (instructors' source, trainees' release) folders in the course; the release goes into the edition.
FOLDERS = {"en": ("solutions", "exercises"), "id": ("solutions-id", "exercises-id")}
# What is copied from the course folder besides the release (folders whole, minus build leftovers).
COMMON = ("course", "datasets", "binder", "pyproject.toml", "constraints.txt", "LICENSE.md")
INCLUDED = ("exercises", *COMMON)  # the English edition
LEFTOVERS = (".ipynb_checkpoints", "__pycache__", "*.pyc", ".nbgrader.log", "*.egg-info", ".pytest_cache")
# Names that must never appear in an edition: instructor sources, tests, nbgrader state, the gradebook.
FORBIDDEN_DIRS = {"solutions", "solutions-id", "tests", ".ipynb_checkpoints", "__pycache__"}
# nbgrader's state folders, forbidden where nbgrader makes them: at the top (course/grading/templates/feedback,
# the feedback page's template, is code).
FORBIDDEN_TOP_DIRS = {"submitted", "autograded", "feedback", "release", "source", "nbgrader_exchange"}
FORBIDDEN_FILES = {"nbgrader_config.py", ".nbgrader.log", "gradebook.db", "gradebook.db-journal"}
FORBIDDEN_SUFFIXES = {".db", ".sqlite", ".sqlite3", ".pyc"}

GITIGNORE = """\
# Kept out of git so that nbgitpuller can merge course updates into a trainee's copy without
# conflicts: everything below is made on the trainee's side by Jupyter, Python or nbgrader.
.ipynb_checkpoints/
.virtual_documents/
__pycache__/
*.py[cod]
.nbgrader.log
*.egg-info/
build/
dist/
.venv/
.ipython/
.jupyter/
.local/
.cache/
.config/
"""


@dataclass
class Edition:
    """What a build wrote: the folder, its files, its modules and, if committed, the branch and commit."""

    path: Path
    files: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    branch: str | None = None
    commit: str | None = None
    lang: str = DEFAULT_LANGUAGE


def _module_info(notebook: Path) -> tuple[str, str]:
    """(title, time estimate) from a module's header cell, for the trainee README."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    header = "".join(cells[0].get("source", "")) if cells else ""
    title = next((line.lstrip("# ").strip() for line in header.splitlines() if line.startswith("# ")), notebook.stem)
    time = re.search(r"\*\*(?:Time|Waktu):\*\*\s*([^·\n*]+)", header)
    return title, (time.group(1).strip() if time else "")


def language_of(lang: str) -> str:
    """``lang`` checked against the editions there are (en, id); a clear error otherwise."""
    if lang not in FOLDERS:
        raise ValueError(f"--lang {lang!r}: there is no edition in that language; use one of {', '.join(FOLDERS)}")
    return lang


def branch_for(lang: str) -> str:
    """The branch an edition is published on by default: ``student``, ``student-id``."""
    return DEFAULT_BRANCH if language_of(lang) == DEFAULT_LANGUAGE else f"{DEFAULT_BRANCH}-{lang}"


def readme(modules: dict[str, tuple[str, str]], lang: str = DEFAULT_LANGUAGE) -> str:
    """The trainee README in ``lang``: what this is, how to open it, the modules, how grading and updates work.

    ``modules`` maps each module folder to its (title, time estimate). Rendered from
    course/templates/edition_README.md.j2 with the texts of course/messages/edition.toml.
    """
    release = FOLDERS[language_of(lang)][1]
    pointers = [message("edition.readme.pointer", lang=other, branch=branch_for(other)) for other in FOLDERS
                if other != lang]  # each in its own language: the way to the other editions
    return templates().get_template("edition_README.md.j2").render(
        modules=modules, pointers=pointers, t=lambda key: message(key, lang=lang, exercises=release))


def forbidden(tree: Path) -> list[str]:
    """Paths in ``tree`` that must never reach trainees (instructor sources, tests, nbgrader state)."""
    found = []
    for path in sorted(tree.rglob("*")):
        rel = path.relative_to(tree)
        if rel.parts[0] == ".git":
            continue
        if path.is_dir() and (path.name in FORBIDDEN_DIRS or (len(rel.parts) == 1 and path.name in FORBIDDEN_TOP_DIRS)):
            found.append(f"{rel}/ must not be in a student edition")
        elif path.is_file() and (path.name in FORBIDDEN_FILES or path.suffix in FORBIDDEN_SUFFIXES):
            found.append(f"{rel} must not be in a student edition")
    return found


def _telling(line: str) -> bool:
    """A line that gives something away: an assert, a value (digit or quote), or a mark-scheme point."""
    return line.startswith("assert") or any(ch.isdigit() or ch in "'\"" for ch in line) or "point" in line


def _package_leaks(tree: Path, solutions: Path) -> list[str]:
    """Hidden tests and mark schemes in the package's Python code.

    The package is public anyway (it is the wheel trainees install) and its library code may share a line with
    a solution (``for name in COMPONENTS:``) or with the plumbing of a hidden test (``except Exception:``), and
    course.leaks itself names the markers; none of that is a secret. A hidden test's assert or expected value,
    or a mark scheme's wording, in it always is.
    """
    secret = {line: origin for line, origin in leaks.secrets(solutions, kinds=("hidden tests", "mark scheme")).items()
              if _telling(line)}
    found = []
    for path in sorted((tree / "course").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() in secret:
                found.append(f"{path} (line {number}): holds a hidden line from {secret[line.strip()]}: "
                             f"{line.strip()[:70]!r}")
    return found


def check(tree: Path, solutions: Path) -> list[str]:
    """Every problem of a student edition: leaked secrets (course.leaks.scan) and forbidden paths.

    Everything is scanned with course.leaks.scan, except the package's Python code, which is checked for hidden
    tests and mark schemes (see _package_leaks).
    """
    def in_package_code(path: Path) -> bool:
        rel = path.relative_to(tree)
        return rel.parts[0] == "course" and rel.suffix == ".py"

    problems = forbidden(tree)
    problems += [str(leak) for leak in leaks.scan(tree, solutions)
                 if leak.path.relative_to(tree).parts[0] != ".git" and not in_package_code(leak.path)]
    return problems + _package_leaks(tree, solutions)


def _clear(dest: Path) -> None:
    """Empty an earlier edition in ``dest`` (its .git stays); refuse any other non-empty folder."""
    if not dest.exists():
        dest.mkdir(parents=True)
        return
    if not dest.is_dir():
        raise CourseError(f"{dest} exists and is not a folder")
    entries = [p for p in dest.iterdir() if p.name != ".git"]
    if entries and not (dest / MARKER).is_file():
        raise CourseError(f"{dest} is not empty and holds no earlier student edition ({MARKER}); "
                          "choose an empty or new folder")
    for entry in entries:
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def _git(dest: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Double Eleven course", "GIT_AUTHOR_EMAIL": "course@double-eleven.invalid",
           "GIT_COMMITTER_NAME": "Double Eleven course", "GIT_COMMITTER_EMAIL": "course@double-eleven.invalid"}
    result = subprocess.run(["git", "-c", "commit.gpgsign=false", "-C", str(dest), *args], env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise CourseError(f"git {' '.join(args)} failed in {dest}: {result.stderr.strip()}")
    return result.stdout.strip()


def _commit(dest: Path, branch: str) -> str:
    """Commit the edition on ``branch`` (a new repository if needed); return the commit id."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", branch) or ".." in branch:
        raise ValueError(f"branch name {branch!r} is not a plain git branch name")
    if not (dest / ".git").exists():
        _git(dest, "init", "-q", "-b", branch)
    current = _git(dest, "symbolic-ref", "--short", "HEAD")
    if current != branch:
        raise CourseError(f"{dest} is a git repository on branch {current!r}, not {branch!r}; "
                          "use a new folder or that branch")
    _git(dest, "add", "--all")
    if _git(dest, "status", "--porcelain"):
        _git(dest, "commit", "-q", "-m", f"Student edition of the Double Eleven course {__version__}")
    return _git(dest, "rev-parse", "HEAD")


def build(root: Path, dest: Path, branch: str | None = None, lang: str = DEFAULT_LANGUAGE) -> Edition:
    """Write the student edition in ``lang`` of the course at ``root`` into ``dest``; commit it on ``branch`` if given.

    Raises CourseError (and commits nothing) when the scan finds a leak or a forbidden path: the edition is scanned
    against the instructors' source of its own language (solutions/ or solutions-id/, whose code and hidden tests
    are the English ones and whose mark schemes are in that language) and, if that is not English, against
    solutions/ as well.
    """
    source, release = FOLDERS[language_of(lang)]
    root, dest = Path(root).resolve(), Path(dest).resolve()
    if dest == root or root in dest.parents:
        raise CourseError(f"write the student edition outside the course folder, not into {dest}")
    missing = [name for name in (release, source, *COMMON) if not (root / name).exists()]
    if missing:
        raise CourseError(f"the course at {root} lacks {', '.join(missing)}")
    _clear(dest)
    ignore = shutil.ignore_patterns(*LEFTOVERS)
    for name in (release, *COMMON):
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name, ignore=ignore)
        else:
            shutil.copy2(root / name, dest / name)
    modules = {folder.name: _module_info(folder / f"{folder.name}.ipynb")
               for folder in sorted((dest / release).iterdir())
               if folder.is_dir() and MODULE_PATTERN.match(folder.name) and (folder / f"{folder.name}.ipynb").is_file()}
    (dest / "README.md").write_text(readme(modules, lang), encoding="utf-8")
    (dest / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (dest / MARKER).write_text(f"Written by `course student-edition` (course {__version__}); do not edit by hand.\n",
                               encoding="utf-8")
    problems = check(dest, root / source)
    if source != FOLDERS[DEFAULT_LANGUAGE][0]:  # and against the English source too, in case solutions-id/ is behind
        problems = list(dict.fromkeys(problems + check(dest, root / FOLDERS[DEFAULT_LANGUAGE][0])))
    if problems:
        raise CourseError("the student edition would leak; nothing was committed:\n" + "\n".join(problems))
    edition = Edition(dest, sorted(str(p.relative_to(dest)) for p in dest.rglob("*")
                                   if p.is_file() and ".git" not in p.relative_to(dest).parts[:1]),
                      list(modules), lang=lang)
    if branch:
        edition.branch, edition.commit = branch, _commit(dest, branch)
    return edition
