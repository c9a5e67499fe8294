"""Helpers shared by the tests and the benchmarks (a package: import ``tests.support...`` from the checkout's root).

- ``tests.support.hub``: a real JupyterHub on 127.0.0.1 with trainee accounts (tests/hub, benchmarks/hub_*.py).
- ``tests.support.browser``: Debian's Chromium through Playwright, Voila and JupyterLab servers on 127.0.0.1
  (tests/browser, benchmarks/calculators.py).

pytest puts the checkout's root on ``sys.path`` (``pythonpath`` in pyproject.toml); the benchmarks are run from the
root as modules (``python -m benchmarks.hub_load``, ``python -m benchmarks.calculators``), which does the same.
Tests never import benchmarks, and benchmarks import only this package from tests/.
"""
