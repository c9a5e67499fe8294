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
