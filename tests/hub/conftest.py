"""Hub tests: a real JupyterHub on 127.0.0.1 (tests/support/hub), skipped with a reason where it cannot run."""

from __future__ import annotations

import pytest

from tests.support.hub import missing


@pytest.fixture(scope="session")
def hub_can_run() -> None:
    """Skip (printing why) where jupyterhub, the proxy, root or a Python other accounts can run is missing."""
    reason = missing()
    if reason:
        print(f"hub test skipped: {reason}")
        pytest.skip(reason)
