"""`course student-edition`: the tree a workshop host publishes for trainees.

The edition holds what a trainee needs and nothing an instructor keeps to themselves:
the released notebooks (exercises/), the trainee's part of the package `course`
(TRAINEE_RUNTIME: the checks, data, messages, calculators, widgets, Voila apps and the
`course lab` / `course apps` commands) with its datasets, the repo2docker set-up (binder/),
a trainee README and a `.gitignore` that keeps nbgitpuller's merges clean. It never holds
solutions/, tests, mark schemes, a gradebook, nbgrader's local state or the instructors'
part of the package (INSTRUCTOR_ONLY: grading, verify, build, leaks, this module, hub).
Every build is scanned whole (course.leaks plus a list of forbidden names) and refused if
anything leaks. With a branch name the tree is also committed as a git branch that the
host pushes and nbgitpuller pulls.

One edition per language (``lang``): the English edition holds exercises/ and is published on
the branch ``student``; the Indonesian one holds exercises-id/ (same modules and grade ids),
an Indonesian README, and is published on ``student-id``. A workshop runs in one language, so
trainees, many new to Python, see one copy of each module in their language and nothing to
choose wrongly; a mixed cohort gets each trainee the link of their language (course.hub puts
the two editions in different folders, so they never meet).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from course import __version__, leaks
from course.folders import EDITION_MARKER as MARKER
from course.folders import FOLDERS as FOLDERS  # re-exported: course.hub and the tests find them here
from course.folders import MODULE_PATTERN, CourseError
from course.folders import language_of as language_of
from course.i18n import DEFAULT_LANGUAGE, message
from course.templating import templates

DEFAULT_BRANCH = "student"
PACKAGE = "course"
# The two parts of the package, as paths inside course/ (a folder, ending in "/", whole). Every file of the
# package is in exactly one; tests/unit/test_trainee_runtime.py checks that TRAINEE_RUNTIME's modules are exactly
# what the notebooks of exercises/ and exercises-id/, the widgets, the calculators, the Voila apps and the
# trainee's commands import, following their imports (the instructors' modules import the trainee's, never
# the other way round). The edition carries TRAINEE_RUNTIME only; the wheel carries both.
TRAINEE_RUNTIME = (
    "__init__.py", "__main__.py",  # the package; `python -m course`
    "cli.py", "apps_cli.py", "workspace.py", "folders.py",  # the `course` command with the trainee's `lab` and `apps`
    "apps_pool.py",  # `course apps`: the preheated pages warmed in turns
    "checks.py", "explain.py", "data.py", "formats.py", "i18n.py",  # what the notebooks import, and what that imports
    "calculators/", "widgets/",  # the calculators and their widgets
    "apps/",  # the Voila pages of `course apps` and their template
    "lab_config/",  # the trainee's JupyterLab set-up of `course lab`
    "messages/",  # the message catalog: course.i18n reads every file in it
)
INSTRUCTOR_ONLY = (
    "build.py", "build_cli.py", "verify.py", "leaks.py",  # `course exercises`, `course verify`
    "translate.py", "translate_cli.py",  # `course translations`
    "nbgrader_api.py", "grading/",  # nbgrader's adapter; cohort grading (`course grade`, `export`, `report`)
    "edition.py", "hub.py", "sizing.py",  # this edition, `course hub-link`, the hub's sizing
    "templating.py", "templates/",  # the Jinja2 templates of the edition README, the cohort report, the notes
)
# What is copied from the course folder besides the release and the package's trainee runtime (folders whole,
# minus build leftovers).
COMMON = ("datasets", "binder", "pyproject.toml", "constraints.txt", "LICENSE.md")
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
# the working copies `course lab` makes (course.workspace): the trainee's answers, never the course's
my-work/
my-work-id/
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


def _part(rel: str, parts: tuple[str, ...]) -> bool:
    """True if ``rel`` (a path inside course/, with "/") is one of ``parts`` or inside one of its folders."""
    return any(rel == part or (part.endswith("/") and rel.startswith(part)) for part in parts)


def _leftover(rel: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for name in rel.split("/") for pattern in LEFTOVERS)


def package_files(package: Path) -> list[str]:
    """The files of the package folder ``package`` (paths inside it, with "/"), build leftovers left out."""
    return sorted(rel for rel in (p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
                  if not _leftover(rel))


def undeclared(package: Path) -> list[str]:
    """Files of ``package`` in neither TRAINEE_RUNTIME nor INSTRUCTOR_ONLY (or in both): each must be in one."""
    return [rel for rel in package_files(package)
            if _part(rel, TRAINEE_RUNTIME) == _part(rel, INSTRUCTOR_ONLY)]


def check(tree: Path, solutions: Path) -> list[str]:
    """Every problem of a student edition: forbidden paths, the instructors' part of the package, and leaked
    secrets (course.leaks.scan over the whole tree, the package included)."""
    problems = forbidden(tree)
    if (tree / PACKAGE).is_dir():
        problems += [f"{PACKAGE}/{rel} is not part of the trainee runtime (course.edition.TRAINEE_RUNTIME) and must "
                     "not be in a student edition" for rel in package_files(tree / PACKAGE)
                     if not _part(rel, TRAINEE_RUNTIME)]
    problems += [str(leak) for leak in leaks.scan(tree, solutions) if leak.path.relative_to(tree).parts[0] != ".git"]
    return problems


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
    runtime = [f"{PACKAGE}/{part}".rstrip("/") for part in TRAINEE_RUNTIME]
    missing = [name for name in (release, source, *runtime, *COMMON) if not (root / name).exists()]
    if missing:
        raise CourseError(f"the course at {root} lacks {', '.join(missing)}")
    unsure = undeclared(root / PACKAGE)
    if unsure:
        raise CourseError(f"declare each file of {PACKAGE}/ as trainee runtime or instructor-only "
                          "(course.edition.TRAINEE_RUNTIME, INSTRUCTOR_ONLY); these are in neither or in both: "
                          + ", ".join(unsure))
    _clear(dest)
    ignore = shutil.ignore_patterns(*LEFTOVERS)
    (dest / PACKAGE).mkdir()
    for name in (release, *runtime, *COMMON):
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
