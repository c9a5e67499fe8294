"""The trainee's own working copy of the release, and JupyterLab opened on it (`course lab`, `make lab`).

Trainees never work in exercises/: opening a notebook there writes `.ipynb_checkpoints/`,
Validate rewrites the notebook's metadata, and every answer would be a change to a tracked
file. `course lab` copies each module of the release into a folder of the trainee's own
(default `my-work/`, which git ignores) unless it is already there, so a second run never
overwrites an answer, and opens JupyterLab on it with the trainee's view: the Validate
button, but no instructor menus (Formgrader, Create Assignment, courses, the exchange's
assignment list), through the config folder `course/lab_config/` put first on Jupyter's
config path for that server only.

In Indonesian (`course lab --lang id`, or `COURSE_LANG=id make lab`) the working copy is
`my-work-id/`, made from exercises-id/, so the two editions never share a folder; JupyterLab's
display language defaults to Indonesian through a settings override in the course's own
settings folder (`course/lab_config/settings-id/overrides.json`, given to that server as its
`app_settings_dir`; nothing is written to the trainee's home, and the trainee can still switch
back under Settings > Language), and the server and its kernels get COURSE_LANG=id, so the
checks speak Indonesian.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from course.folders import FOLDERS, CourseError, language_of, modules, released
from course.i18n import DEFAULT_LANGUAGE, LANGUAGE_ENV, message

WORKSPACE = "my-work"
WORKSPACES = {"en": WORKSPACE, "id": f"{WORKSPACE}-id"}
LAB_CONFIG = Path(__file__).with_name("lab_config")
# JupyterLab's settings folder per language (its overrides.json sets the display language); English needs none.
LAB_SETTINGS = {"id": LAB_CONFIG / "settings-id"}


def edition_language(root: Path) -> str | None:
    """The language of the only release ``root`` holds (a student edition holds one), or None if it holds both."""
    held = [lang for lang, (_source, release) in FOLDERS.items() if (root / release).is_dir()]
    return held[0] if len(held) == 1 else None


def prepare(root: Path, folder: Path | None = None, lang: str = DEFAULT_LANGUAGE) -> tuple[Path, list[str]]:
    """Copy each module of the ``lang`` release that ``folder`` lacks; return the folder and the modules copied.

    The release is exercises/ (en) or exercises-id/ (id); the default folder my-work/ or my-work-id/. In the
    course every module of solutions/ must be released; a student edition (no solutions/) has its release only.
    """
    release = root / FOLDERS[language_of(lang)][1]
    if not release.is_dir():
        raise CourseError(f"{release} is missing: in the course folder run `course exercises`; a student edition "
                          f"holds the release of its own language only ({', '.join(r for _, r in FOLDERS.values())})")
    target = Path(folder) if folder else root / WORKSPACES[lang]
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for module in modules(root) or released(root, lang):
        if not (release / module).is_dir():
            raise CourseError(f"{release / module} is missing: run `course exercises` to generate the release")
        if not (target / module).exists():
            shutil.copytree(release / module, target / module,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            copied.append(module)
    return target, copied


def lab_environment(base: dict[str, str] | None = None, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The environment of the trainee's JupyterLab: the course's lab config first on the config path, and
    COURSE_LANG set to the edition's language (kernels inherit it, so the checks speak that language)."""
    env = dict(os.environ if base is None else base)
    paths = [str(LAB_CONFIG)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    env[LANGUAGE_ENV] = language_of(lang)
    return env


def lab_options(lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The options of `jupyter lab` for the edition's language: Indonesian gets the course's settings folder."""
    settings = LAB_SETTINGS.get(language_of(lang))
    return [f"--LabApp.app_settings_dir={settings}"] if settings else []


def lab_command(folder: Path, extra: Sequence[str] = (), lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """The command that opens JupyterLab on ``folder`` (``--allow-root`` only when run as root)."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={folder}", *lab_options(lang), *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def run_lab(root: Path, folder: Path | None = None, extra: Sequence[str] = (),
            lang: str = DEFAULT_LANGUAGE) -> int:
    """Prepare the working copy, say where it is, and run JupyterLab on it until it is stopped."""
    target, copied = prepare(root, folder, lang)
    print(message("lab.working_copy", lang=lang, folder=target), flush=True)
    if copied:
        print(message("lab.copied", lang=lang, release=FOLDERS[lang][1], modules=", ".join(copied)))
    print(message("lab.kept", lang=lang), flush=True)
    command = lab_command(target, list(extra), lang)
    if os.name == "posix":  # JupyterLab takes this process's place, so a stop signal reaches it (no orphan server)
        sys.stdout.flush()
        os.execvpe(command[0], command, lab_environment(lang=lang))
    return subprocess.call(command, env=lab_environment(lang=lang))
