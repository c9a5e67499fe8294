"""Shared test set-up: an isolated home, the course root, and the CI rule for outside parts.

Tests that need an outside part (Chromium, the JupyterHub proxy, PostgreSQL) are marked
``@pytest.mark.external("chromium")`` and skip with a printed reason where it is missing.
In CI (``CI=true``) such a skip is turned into a failure: the part must be there.

Every test that starts a kernel, a server, a browser or a build is marked ``slow`` here, by where it lives
(tests/support/markers.py), so that ``make test-fast`` (``pytest tests/unit -m "not slow"``) is the unit layer alone.
Helpers shared by tests (and benchmarks) live in the package tests/support, imported as ``tests.support...``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.markers import is_slow

ROOT = Path(__file__).resolve().parent.parent
_HOME = Path(tempfile.mkdtemp(prefix="course-test-home-"))

# Before any kernel or library starts: nothing may write to the real home.
for name, sub in {"HOME": "", "JUPYTER_CONFIG_DIR": "jupyter-config", "JUPYTER_DATA_DIR": "jupyter-data",
                  "JUPYTER_RUNTIME_DIR": "jupyter-runtime", "MPLCONFIGDIR": "matplotlib",
                  "IPYTHONDIR": "ipython"}.items():
    os.environ[name] = str(_HOME / sub)
    (_HOME / sub).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("MPLBACKEND", "Agg")

try:  # hypothesis keeps caches in ./.hypothesis unless told otherwise: keep the checkout clean
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(str(_HOME / "hypothesis"))
except ImportError:
    pass
os.environ.pop("COURSE_LANG", None)
os.environ.pop("COURSE_ROOT", None)
os.environ.pop("COURSE_DATA_DIR", None)


def in_ci() -> bool:
    """True when running in CI, where outside parts must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item.nodeid):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("external")
    if report.skipped and marker and in_ci():
        part = marker.args[0] if marker.args else "an outside part"
        report.outcome = "failed"
        report.longrepr = f"CI=true and {part} is missing, so this test was skipped: {report.longrepr}"


@pytest.fixture(scope="session")
def root() -> Path:
    """The checkout under test."""
    return ROOT


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the course (config, both editions, translations) to break on purpose."""
    copy = tmp_path / "course"
    copy.mkdir()
    shutil.copy2(ROOT / "nbgrader_config.py", copy)
    for folder in ("solutions", "exercises", "solutions-id", "exercises-id", "translations"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return copy
