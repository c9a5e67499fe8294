"""Tests as a package: helpers reached through tests.support, slow tests marked by place, no sys.path tricks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support.markers import SLOW_PLACES, is_slow

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("nodeid, slow", [
    ("tests/hub/test_hub_load.py::test_four_trainees", True),
    ("solutions/m01-singles-day/m01-singles-day.ipynb::Cell 3", True),
    ("tests/unit/test_cli.py::test_verify_passes_on_the_committed_course", True),
    ("tests/unit/test_widgets.py::test_course_apps_command_is_wired_and_starts_voila_on_localhost", True),
    ("tests/unit/test_widgets.py::test_course_apps_command_is_wired_and_starts_voila_on_localhost_too", False),
    ("tests/unit/test_widgets.py::test_supply_result_follows_the_inputs_and_the_picture_shows_the_deadline", False),
    ("tests/unit/test_cli_other.py::test_x", False),
    ("tests/hubbub/test_x.py::test_y", False),
])
def test_slow_tests_are_found_by_folder_file_or_name(nodeid, slow):
    assert is_slow(nodeid) is slow


def test_every_slow_place_exists():
    for place in SLOW_PLACES:
        path, _, name = place.partition("::")
        assert (ROOT / path).exists(), f"{path} (in tests/support/markers.py) does not exist"
        if name:
            assert re.search(rf"^def {re.escape(name)}\(", (ROOT / path).read_text(), re.MULTILINE), place


def _changes_sys_path(path: Path) -> bool:
    """True when the file calls sys.path.insert or sys.path.append."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"insert", "append"} and ast.unparse(node.func.value) == "sys.path"):
            return True
    return False


def test_no_test_or_benchmark_puts_folders_on_sys_path():
    folders = ["tests/unit", "tests/hub", "tests/support", "benchmarks"]
    offenders = [str(p.relative_to(ROOT)) for f in folders for p in (ROOT / f).rglob("*.py") if _changes_sys_path(p)]
    assert offenders == []


def test_tests_never_import_benchmarks_and_benchmarks_import_only_tests_support():
    benchmark_modules = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    for path in (ROOT / "tests").rglob("*.py"):
        bad = {n for n in _imports(path) if n.split(".")[0] in benchmark_modules | {"benchmarks"}}
        assert not bad, f"{path.relative_to(ROOT)} imports benchmarks: {bad}"
    test_modules = {p.stem for p in (ROOT / "tests").rglob("*.py")} - {"__init__"}
    for path in (ROOT / "benchmarks").glob("*.py"):
        rel = str(path.relative_to(ROOT))
        bad = {n for n in _imports(path) if n.split(".")[0] in test_modules
               or (n.startswith("tests") and not n.startswith("tests.support"))}
        assert not bad, f"{rel} imports test modules {bad}; share them through tests/support"


def _browser_helpers(path: Path) -> set[str]:
    """Which of the browser helper modules (the shared one, the old test-folder one) ``path`` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names & {"tests.support.browser", "browser_servers"}


@pytest.mark.parametrize("rel", ["benchmarks/calculators.py", "tests/browser/conftest.py",
                                 "tests/browser/test_calculator_pages.py", "tests/browser/test_trainee_lab.py"])
def test_the_browser_tests_and_the_benchmark_share_one_browser_helper(rel):
    assert _browser_helpers(ROOT / rel) == {"tests.support.browser"}
    assert not list(ROOT.glob("tests/**/browser_servers.py"))


def test_the_hub_helpers_are_a_package_of_small_modules():
    package = ROOT / "tests" / "support" / "hub"
    sizes = {p.name: len(p.read_text().splitlines()) for p in package.glob("*.py")}
    assert {"accounts.py", "client.py", "kernel.py", "sampler.py", "site.py", "grader.py"} <= set(sizes)
    assert max(sizes.values()) < 250, sizes
    assert not (ROOT / "benchmarks" / "hub_harness.py").exists()


def test_hub_coroutines_run_while_another_event_loop_is_running():
    """The hub tests run after the browser tests, whose Playwright keeps an event loop running in this thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from tests.support import aio

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def inside_a_running_loop() -> int:
        return aio.run(answer())  # plain code called while a loop runs, as under Playwright's sync API

    assert aio.run(answer()) == 42
    # in a thread of its own, as the test session may hold a running loop here already (Playwright's)
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_running_loop()).result() == 42


def test_no_file_of_the_package_or_tests_is_ignored_by_git():
    """A file git ignores never reaches a clean clone (CI, a trainee's checkout): the code must not need one."""
    import shutil
    import subprocess

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to compare against")
    listed = subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--",
                             "course", "tests", "datasets", "deploy", "binder", "apps", "translations"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    ignored = [p for p in listed if "__pycache__" not in p and not p.endswith((".pyc", ".egg-info"))]
    assert not ignored, ignored
