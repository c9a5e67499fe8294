"""A real JupyterHub on 127.0.0.1 for the hub tests and the hub benchmarks, one job per module.

- ``machine``: what the machine must offer (jupyterhub, configurable-http-proxy, root, reachable Python); ports.
- ``accounts``: the d11-* UNIX accounts, commands run as them, and their processes.
- ``notebooks``: a released notebook answered from the solutions, and the points it should earn.
- ``aio``: running a coroutine from plain test code, also while Playwright holds an event loop.
- ``client``: HTTP to the hub and the servers (httpx, with its cookie jar).
- ``kernel``: running cells over a kernel's websocket (messages built by jupyter_client's Session).
- ``person``: one trainee or instructor driving a server as JupyterLab does.
- ``sampler``: memory and CPU of accounts, sampled with psutil.
- ``site``: one hub run (config, start, grader steps, clean-up).
- ``grader``: an instructor's nbgrader step, run as the grader account with ``python -m tests.support.hub.grader``.
- ``load``: the load check (many trainees at once), shared by tests/hub and benchmarks/hub_load.py.

Accounts are named d11-* (d11-grader, d11-instructor, d11-trainee1..., d11-load01...); they stay on the machine,
their homes are emptied at each start. Everything else lives in one world-readable temporary folder that
``HubSite.close`` removes. All waits are bounded.
"""

from tests.support.hub.accounts import Account, account_processes, end_processes, ensure_account, run_as
from tests.support.hub.machine import missing
from tests.support.hub.notebooks import answered, expected_points, notebook
from tests.support.hub.person import Trainee
from tests.support.hub.sampler import Sampler, Usage
from tests.support.hub.site import HubSite

__all__ = ["Account", "HubSite", "Sampler", "Trainee", "Usage", "account_processes", "answered", "end_processes",
           "ensure_account", "expected_points", "missing", "notebook", "run_as"]
