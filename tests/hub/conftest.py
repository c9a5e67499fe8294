"""Hub tests: a real JupyterHub on 127.0.0.1 (benchmarks/hub_harness.py), skipped with a reason where it cannot run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import hub_harness  # noqa: E402


@pytest.fixture(scope="session")
def hub_can_run() -> None:
    """Skip (printing why) where jupyterhub, the proxy, root or a Python other accounts can run is missing."""
    reason = hub_harness.missing()
    if reason:
        print(f"hub test skipped: {reason}")
        pytest.skip(reason)
