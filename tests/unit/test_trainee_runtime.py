"""The trainee runtime (course.edition.TRAINEE_RUNTIME) is exactly what trainees' code imports, and nothing more.

The roots are what a trainee runs: the notebooks of exercises/ and exercises-id/, the Voila pages of course/apps/,
the widgets and calculators, the `course` command with the trainee's commands (cli.TRAINEE_COMMANDS), and the
kernel manager Voila loads by name for `course apps` (apps_cli.POOL_CLASS). Their
`course` imports are followed through every module (imports inside functions too), read with ``ast``; the
closure must be the declared trainee runtime's modules, so neither list can drift from the code.
(tests/test_student_edition.py runs the built edition with nothing else on the path.)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from course import apps_cli, cli
from course.edition import INSTRUCTOR_ONLY, TRAINEE_RUNTIME, package_files, undeclared

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "course"


def module_file(name: str) -> Path | None:
    """The file of the `course` module ``name`` (a package's __init__.py), or None if there is no such module."""
    path = ROOT.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def course_imports(source: str, package: str) -> set[str]:
    """The `course` modules a piece of code imports (with their parent packages); ``package`` resolves ``from .``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]  # `from course import checks`
        for name in names:
            if name == "course" or name.startswith("course."):
                parts = name.split(".")
                found |= {".".join(parts[:i]) for i in range(1, len(parts) + 1) if module_file(".".join(parts[:i]))}
    return found


def closure(roots: set[str]) -> set[str]:
    """``roots`` and every `course` module they import, directly or not."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name)
        assert path is not None, f"{name} is imported but is no module of the package"
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo += course_imports(path.read_text(encoding="utf-8"), package) - seen
    return seen


def notebook_imports(notebook: Path) -> set[str]:
    found: set[str] = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
            found |= course_imports(code, "")
    return found


def trainee_roots() -> set[str]:
    notebooks = [*ROOT.glob("exercises/*/*.ipynb"), *ROOT.glob("exercises-id/*/*.ipynb"),
                 *(PACKAGE / "apps").glob("*.ipynb")]
    assert len(notebooks) >= 20, notebooks
    roots = set().union(*(notebook_imports(nb) for nb in notebooks))
    roots |= {module_name(p) for folder in ("widgets", "calculators") for p in (PACKAGE / folder).glob("*.py")}
    roots |= {"course.__main__", "course.cli"} | {cli.COMMANDS[name] for name in cli.TRAINEE_COMMANDS}
    roots.add(apps_cli.POOL_CLASS.rpartition(".")[0])  # named on Voila's command line, not imported
    return roots


def declared_modules(parts: tuple[str, ...]) -> set[str]:
    return {module_name(PACKAGE / rel) for rel in package_files(PACKAGE) if rel.endswith(".py")
            and any(rel == part or (part.endswith("/") and rel.startswith(part)) for part in parts)}


def test_every_file_of_the_package_is_trainee_runtime_or_instructor_only_and_every_entry_exists():
    assert undeclared(PACKAGE) == []
    for part in (*TRAINEE_RUNTIME, *INSTRUCTOR_ONLY):
        assert (PACKAGE / part).is_dir() if part.endswith("/") else (PACKAGE / part).is_file(), part
    assert not set(TRAINEE_RUNTIME) & set(INSTRUCTOR_ONLY)


def test_the_trainee_runtime_is_the_import_closure_of_what_trainees_run():
    needed = closure(trainee_roots())
    declared = declared_modules(TRAINEE_RUNTIME)
    assert needed - declared == set(), "imported by trainees' code but not declared trainee runtime"
    assert declared - needed == set(), "declared trainee runtime but imported by none of trainees' code"
    assert not needed & declared_modules(INSTRUCTOR_ONLY)
    # the roots really are what the notebooks use: the checks, the data, the widgets and the calculators
    assert {"course.checks", "course.data", "course.widgets", "course.calculators.peak_day",
            "course.i18n", "course.widgets.page"} <= trainee_roots()


def test_the_closure_follows_imports_inside_functions_and_relative_ones():
    assert course_imports("def f():\n    from course.widgets import summary\n", "") == {
        "course", "course.widgets", "course.widgets.summary"}
    assert course_imports("from . import form\nfrom .form import Field\n", "course.widgets") == {
        "course", "course.widgets", "course.widgets.form"}
    assert course_imports("import json\nfrom course import __version__\n", "") == {"course"}
    # the instructors' modules are reached from their own commands, never from the trainee's
    assert "course.grading.runner" in closure({"course.grading.cli"})
    assert "course.leaks" not in closure(trainee_roots())
