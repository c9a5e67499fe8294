"""The student edition runs on its own: its package, with nothing else of the course on the path, does what
trainees do (the `course` command's lab and apps, every notebook's imports, the widgets and the Voila pages),
and the instructors' commands say they are not part of it.

Each run is a subprocess with PYTHONPATH set to a freshly built edition, its working folder outside the course.
(tests/unit/test_trainee_runtime.py checks the declared trainee runtime against the import graph.)
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest

import course
from course.edition import build, package_files

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "id")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The English and the Indonesian edition, built once for this file."""
    base = tmp_path_factory.mktemp("editions")
    return {lang: build(ROOT, base / f"edition-{lang}", lang=lang).path for lang in LANGS}


def environment(edition: Path, **extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if name not in {"COURSE_ROOT", "COURSE_DATA_DIR", "COURSE_LANG"}}
    return {**env, "PYTHONPATH": str(edition), "MPLBACKEND": "Agg", **extra}


def run(edition: Path, *args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=environment(edition, **extra), capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("lang", LANGS)
def test_the_course_command_in_the_edition_has_the_trainees_commands_only(editions, lang, tmp_path):
    edition = editions[lang]
    where = run(edition, "-c", "import course, course.cli; print(course.__file__)", cwd=tmp_path)
    assert where.stdout.strip() == str(edition / "course" / "__init__.py"), where.stderr
    helped = run(edition, "-m", "course", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    listed = re.findall(r"^    (\S+)", helped.stdout, flags=re.MULTILINE)
    assert listed == ["lab", "apps"], helped.stdout
    version = run(edition, "-m", "course", "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"course {course.__version__}\n"), version.stderr
    for command in ("grade", "verify", "exercises", "student-edition", "translations"):
        refused = run(edition, "-m", "course", command, "--help", cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.strip() == (f"`course {command}` is for instructors; it is not part of the student "
                                          "edition. The commands here: lab, apps.")
    indonesian = run(edition, "-m", "course", "grade", cwd=tmp_path, COURSE_LANG="id")
    assert "untuk instruktur" in indonesian.stderr and indonesian.returncode == 2
    missing = run(edition, "-c", "import course.grading", cwd=tmp_path)
    assert "No module named 'course.grading'" in missing.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_course_lab_in_the_edition_copies_its_release_and_starts_jupyterlab(editions, lang):
    edition = editions[lang]
    release, work = ("exercises", "my-work") if lang == "en" else ("exercises-id", "my-work-id")
    result = run(edition, "-m", "course", "lab", "--", "--help", cwd=edition / release)
    assert result.returncode == 0, result.stderr
    modules = sorted(p.name for p in (edition / release).iterdir() if p.is_dir())
    assert len(modules) == 10 and sorted(p.name for p in (edition / work).iterdir()) == modules
    assert f"copied from {release}/" in result.stdout or f"disalin dari {release}/" in result.stdout
    assert "JupyterLab" in result.stdout  # `jupyter lab --help`, run by `course lab` in the edition's language
    assert f"{work}/" in (edition / ".gitignore").read_text().splitlines()  # the trainee's answers stay out of git


IMPORTS = textwrap.dedent('''
    import ast, importlib, json, pkgutil, sys
    from pathlib import Path

    edition, release = Path(sys.argv[1]), sys.argv[2]
    ran = 0
    notebooks = sorted((edition / release).glob("*/*.ipynb")) + sorted((edition / "course" / "apps").glob("*.ipynb"))
    for notebook in notebooks:
        cells = ["".join(c["source"]) for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
        imports = [ast.unparse(node) for cell in cells for node in ast.parse(cell).body
                   if isinstance(node, (ast.Import, ast.ImportFrom))]
        exec(compile(cells[0] + "\\n" + "\\n".join(imports), str(notebook), "exec"), {})  # first cell, all imports
        ran += 1
    import course.widgets, course.calculators
    for package in (course.widgets, course.calculators):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    for name in ("course.apps_cli", "course.workspace", "course.__init__"):
        importlib.import_module(name)
    from course import apps_cli, data, workspace
    assert len(data.load(data.names()[0])) > 0
    assert (workspace.LAB_CONFIG / "labconfig" / "page_config.json").is_file()
    assert all(path.is_dir() for path in workspace.LAB_SETTINGS.values())
    assert all((apps_cli.APPS_DIR / f"{page}.ipynb").is_file() for page in apps_cli.PAGES)
    loaded = sorted(name for name in sys.modules if name == "course" or name.startswith("course."))
    assert all(Path(sys.modules[name].__file__).is_relative_to(edition) for name in loaded), loaded
    print(ran, len(loaded))
''')


@pytest.mark.parametrize("lang", LANGS)
def test_every_notebooks_imports_and_the_widgets_and_apps_modules_run_in_the_edition(editions, lang, tmp_path):
    edition = editions[lang]
    release = "exercises" if lang == "en" else "exercises-id"
    result = run(edition, "-c", IMPORTS, str(edition), release, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ran, loaded = map(int, result.stdout.split())
    assert ran == 10 + 5 and loaded >= 25  # ten modules, five Voila pages; the trainee runtime's modules


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_course_apps_in_the_edition_serves_the_calculator_pages(editions, tmp_path):
    edition = editions["en"]
    server = subprocess.Popen([sys.executable, "-m", "course", "apps", "--no-browser", "--no-preheat",
                               "--port", str(free_port())], cwd=tmp_path, env=environment(edition),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()
    try:
        url = None
        while url is None:
            line = lines.get(timeout=60)
            found = re.search(r"the calculators are at (\S+)", line)
            url = found.group(1) if found else None
        pages = {}
        for page in ("", "voila/render/supply.ipynb"):
            address = url.replace("?token=", f"{page}?token=")
            for _ in range(120):  # Voila starts after the address is printed
                try:
                    with urllib.request.urlopen(address, timeout=120) as response:
                        pages[page] = (response.status, response.read().decode())
                    break
                except OSError:
                    threading.Event().wait(0.5)
        assert pages[""][0] == 200 and "supply.ipynb" in pages[""][1]
        status, html = pages["voila/render/supply.ipynb"]
        assert status == 200 and "application/vnd.jupyter.widget-view+json" in html  # the page's widget rendered
        assert "Traceback" not in html and "ModuleNotFoundError" not in html
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_the_editions_own_wheel_carries_the_trainee_runtime_and_the_datasets(editions, tmp_path):
    """binder/postBuild installs the edition with `pip install .`: its wheel is the trainee's package."""
    edition = editions["en"]
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"),
                    str(edition)], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("double_eleven_course-*.whl")
    names = {name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("course/")}
    package = {f"course/{rel}" for rel in package_files(edition / "course")}
    assert {name for name in names if not name.startswith("course/datasets/")} == package
    assert "course/datasets/datapackage.json" in names and "course/grading/__init__.py" not in names
