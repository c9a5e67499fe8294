"""Generate the trainees' release (exercises/) from the instructors' source (solutions/)."""

from __future__ import annotations

from pathlib import Path

from course.nbgrader_api import api, check, load_config, modules


def generate(root: Path, names: list[str] | None = None, release_dir: Path | None = None,
             db_url: str | None = None) -> list[str]:
    """Regenerate the release of each module in ``names`` (default: all) and return the names.

    The release goes to ``release_dir`` (default: the course's exercises/); nbgrader
    records the modules in ``db_url`` (default: the course's gradebook).
    Running it twice gives byte-identical files.
    """
    names = names or modules(root)
    unknown = sorted(set(names) - set(modules(root)))
    if unknown:
        raise ValueError(f"unknown module(s) {', '.join(unknown)}; the course has {', '.join(modules(root))}")
    overrides = {}
    if release_dir is not None:
        overrides["release_directory"] = str(Path(release_dir).resolve())
    if db_url is not None:
        overrides["db_url"] = db_url
    grader = api(root, load_config(root, **overrides))
    for name in names:
        check(grader.generate_assignment(name, force=True, create=True), f"generating the release of {name}")
    return names


def generate_fresh(root: Path, into: Path) -> Path:
    """Generate every module into ``into``/exercises with a throw-away gradebook; return that folder."""
    release = into / "exercises"
    generate(root, release_dir=release, db_url=f"sqlite:///{into / 'gradebook.db'}")
    return release


# ---------------------------------------------------------------- the Indonesian edition
# solutions-id/ and exercises-id/ are generated (never edited by hand) from solutions/ plus
# translations/id/*.po; same module names, cell ids and grade ids as the English edition, so the
# same gradebook entries and hidden tests grade both.

EDITION_FOLDERS = {"id": ("solutions-id", "exercises-id")}


def translate_module(root: Path, module: str, lang: str = "id"):
    """The module's notebook in ``lang`` from solutions/ and its PO file (a course.translate.Applied)."""
    import json

    from course.translate import TranslationError, apply, po_path, read_catalog

    path = po_path(root, module, lang)
    if not path.is_file():
        raise TranslationError(f"{module} has no translation file {path.relative_to(root)}; "
                               "run `course translations extract` and translate it")
    english = json.loads((root / "solutions" / module / f"{module}.ipynb").read_text(encoding="utf-8"))
    return apply(english, read_catalog(path, lang), lang, source=f"solutions/{module}/{module}.ipynb")


def generate_edition(root: Path, lang: str = "id", names: list[str] | None = None,
                     solutions_dir: Path | None = None, release_dir: Path | None = None,
                     db_url: str | None = None) -> dict:
    """Write the ``lang`` solution notebooks and generate their release; return {module: Applied}.

    The solutions go to ``solutions_dir`` (default: solutions-id/), the release to ``release_dir``
    (default: exercises-id/). nbgrader records the modules in ``db_url``, by default a throw-away
    gradebook: the instructors' gradebook keeps the English source cells (the code and tests it
    grades with are identical in both editions).
    """
    import tempfile

    from course.translate import dumps

    names = modules(root) if names is None else names
    unknown = sorted(set(names) - set(modules(root)))
    if unknown:
        raise ValueError(f"unknown module(s) {', '.join(unknown)}; the course has {', '.join(modules(root))}")
    if not names:
        return {}
    source_name, release_name = EDITION_FOLDERS[lang]
    solutions_dir = Path(solutions_dir or root / source_name).resolve()
    release_dir = Path(release_dir or root / release_name).resolve()
    applied = {}
    for name in names:
        applied[name] = translate_module(root, name, lang)
        target = solutions_dir / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(applied[name].notebook), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="course-edition-") as tmp:
        config = load_config(root, source_directory=str(solutions_dir), release_directory=str(release_dir),
                             db_url=db_url or f"sqlite:///{Path(tmp) / 'gradebook.db'}")
        grader = api(root, config)
        for name in names:
            check(grader.generate_assignment(name, force=True, create=True),
                  f"generating the {lang} release of {name}")
    return applied
