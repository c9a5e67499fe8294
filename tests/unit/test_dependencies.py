"""The declared dependencies: every third-party import is declared, and constraints.txt pins each within its range."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
# Import name -> distribution name, where they differ.
DISTRIBUTION = {"IPython": "ipython", "yaml": "pyyaml", "jupyter_client": "jupyter-client", "psycopg": "psycopg",
                "PIL": "pillow"}


def _requirements(group: str | None = None) -> list[Requirement]:
    lines = PROJECT["dependencies"] if group is None else PROJECT["optional-dependencies"][group]
    return [Requirement(line) for line in lines]


def _declared(*groups: str | None) -> set[str]:
    return {canonicalize_name(req.name) for group in groups for req in _requirements(group)}


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def _third_party_imports(*folders: str) -> set[str]:
    """Top-level names imported by the .py files of ``folders`` that are neither stdlib nor the checkout's own."""
    own = {"course", "tests", "benchmarks"} | {p.stem for f in folders for p in (ROOT / f).rglob("*")}
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                found |= {name.split(".")[0] for name in names}
    return {name for name in found if name not in sys.stdlib_module_names and name not in own}


def _distribution(import_name: str) -> str:
    return canonicalize_name(DISTRIBUTION.get(import_name, import_name))


def test_the_course_declares_every_package_it_imports():
    missing = {name for name in _third_party_imports("course") if _distribution(name) not in _declared(None)}
    assert not missing, f"course/ imports these without declaring them in [project.dependencies]: {missing}"


def test_the_tests_and_benchmarks_declare_what_they_import():
    declared = _declared(None, *PROJECT["optional-dependencies"])
    missing = {name for name in _third_party_imports("tests", "benchmarks") if _distribution(name) not in declared}
    assert not missing, f"tests/ or benchmarks/ import these without declaring them in an extra: {missing}"


def test_the_test_extra_is_split_so_the_unit_layer_needs_no_browser_hub_or_database():
    unit = _declared("test")
    assert not unit & {"playwright", "jupyterhub", "nbgitpuller", "psycopg"}, unit
    assert {"playwright"} <= _declared("browser") and {"jupyterhub", "nbgitpuller", "psutil"} <= _declared("hub")
    assert {"psycopg"} <= _declared("postgresql")


@pytest.mark.parametrize("group", [None, *PROJECT["optional-dependencies"]])
def test_every_declared_package_has_a_range_and_is_pinned_within_it(group):
    pins = _constraints()
    for req in _requirements(group):
        assert req.specifier, f"{req.name} ({group or 'dependencies'}) has no version range"
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in constraints.txt: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {req.name}=={pins[name]}, outside {req.specifier} in pyproject.toml: "
            "run `make lock`")


def test_each_list_is_sorted_to_ease_merging():
    for group, lines in [("dependencies", PROJECT["dependencies"]), *PROJECT["optional-dependencies"].items()]:
        names = [canonicalize_name(Requirement(line).name) for line in lines]
        assert names == sorted(names), f"{group} is not sorted: {names}"


def test_the_version_and_licence_are_each_in_one_place():
    import course

    assert PROJECT["dynamic"] == ["version"] and "version" not in PROJECT
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "course/__init__.py"
    assert course.__version__.count(".") == 2
    assert PROJECT["license"] == "MIT AND CC-BY-4.0" and PROJECT["license-files"] == ["LICENSE.md"]
