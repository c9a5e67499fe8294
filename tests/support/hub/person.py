"""One person on the hub, driving a server the way JupyterLab does.

A `Trainee` (instructors too) logs in on the hub's form, asks the hub's REST API for a token and a server, reads and
writes notebooks through the server's contents API, runs cells over the kernel websocket, and fetches and submits
through nbgrader's server extension (the Assignments tab's endpoints).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from tests.support.hub.accounts import Account
from tests.support.hub.client import Client, HTTPError
from tests.support.hub.kernel import KernelSocket
from tests.support.hub.machine import COURSE_ID

if TYPE_CHECKING:
    from tests.support.hub.site import HubSite


@dataclass
class Timings:
    """Seconds each step took for this person (0 until measured)."""

    login: float = 0.0
    server: float = 0.0
    first_kernel: float = 0.0
    run: float = 0.0


class Trainee:
    """One person on the hub: login, server, notebooks, kernels, nbgrader's Assignments tab."""

    def __init__(self, site: HubSite, account: Account):
        self.site, self.account, self.name = site, account, account.name
        self.client = Client(site.url)
        self.timings = Timings()
        self.kernel_ready_at = 0.0
        self.prefix = f"/user/{quote(self.name)}"

    async def login(self) -> None:
        """Log in on the hub's login form (as a browser does) and take an API token for this session."""
        start = time.perf_counter()
        page = await self.client.request("GET", "/hub/login", use_token=False)
        match = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        xsrf = match.group(1) if match else self.client.cookie("_xsrf")
        await self.client.request("POST", "/hub/login?next=", use_token=False, expect=(302,),
                                  form={"username": self.name, "password": self.site.password, "_xsrf": xsrf})
        if not self.client.cookie("jupyterhub-hub-login"):
            raise HTTPError(f"{self.name}: the hub set no login cookie")
        reply = await self.client.json("POST", f"/hub/api/users/{self.name}/tokens", use_token=False,
                                       headers={"X-XSRFToken": self.client.cookie("_xsrf")},
                                       json_body={"note": "d11 hub test", "expires_in": 3600})
        self.client.token = reply["token"]
        self.timings.login = time.perf_counter() - start

    async def start_server(self, timeout: float = 240) -> None:
        """Ask the hub for this user's server and wait until the hub reports it ready."""
        start = time.perf_counter()
        await self.client.request("POST", f"/hub/api/users/{self.name}/server", expect=(201, 202, 400))
        deadline = start + timeout
        while time.perf_counter() < deadline:
            model = await self.client.json("GET", f"/hub/api/users/{self.name}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                self.timings.server = time.perf_counter() - start
                return
            await asyncio.sleep(0.25)
        raise TimeoutError(f"{self.name}: server not ready after {timeout} s")

    async def stop_server(self) -> None:
        await self.client.request("DELETE", f"/hub/api/users/{self.name}/server", expect=(202, 204, 400, 404))

    async def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """A JSON request to this person's own server (``path`` below /user/NAME)."""
        return await self.client.json(method, self.prefix + path, **kwargs)

    async def get_notebook(self, path: str) -> dict:
        return (await self.api("GET", f"/api/contents/{quote(path)}?content=1&type=notebook"))["content"]

    async def put_notebook(self, path: str, nb: dict) -> None:
        await self.api("PUT", f"/api/contents/{quote(path)}", json_body={"type": "notebook", "format": "json",
                                                                          "content": nb})

    async def exists(self, path: str) -> bool:
        response = await self.client.request("GET", f"{self.prefix}/api/contents/{quote(path)}?content=0",
                                             expect=(200, 404))
        return response.status_code == 200

    async def assignments(self, action: str | None = None, module: str | None = None) -> Any:
        """nbgrader's Assignments tab: list (no action), or fetch / submit / fetch_feedback a module."""
        if action is None:
            return await self.api("GET", f"/assignments?course_id={COURSE_ID}")
        return await self.api("POST", f"/assignments/{action}", form={"course_id": COURSE_ID, "assignment_id": module},
                              timeout=180)

    async def git_pull(self, repo: str, branch: str, targetpath: str) -> list[dict]:
        """nbgitpuller's pull, as its link page runs it; returns the progress events (raises on error)."""
        query = urlencode({"repo": repo, "branch": branch, "targetpath": targetpath})
        response = await self.client.request("GET", f"{self.prefix}/git-pull/api?{query}", timeout=180)
        events = [json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:")]
        if not events or events[-1].get("phase") != "finished":
            raise HTTPError(f"{self.name}: nbgitpuller did not finish: {events[-3:]}")
        return events

    async def run_notebook(self, path: str, nb: dict | None = None, timeout: float = 180,
                           keep_kernel: bool = False) -> dict:
        """Open ``path`` in a kernel session (as JupyterLab does), run every code cell, save the outputs."""
        nb = nb if nb is not None else await self.get_notebook(path)
        start = time.perf_counter()
        session = await self.api("POST", "/api/sessions", json_body={
            "path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}})
        kernel_path = f"{self.prefix}/api/kernels/{session['kernel']['id']}/channels"
        ws_url = self.site.url.replace("http://", "ws://") + kernel_path
        kernel = await KernelSocket.open(f"{ws_url}?session_id={uuid.uuid4().hex}", self.client.token or "")
        try:
            await kernel.request("kernel_info_request", {}, timeout)
            if not self.timings.first_kernel:
                self.kernel_ready_at = time.perf_counter()
                self.timings.first_kernel = self.kernel_ready_at - start
            code_cells = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
            for count, cell in enumerate(code_cells, start=1):
                reply, outputs = await kernel.request("execute_request", {
                    "code": "".join(cell["source"]), "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}, timeout)
                cell["outputs"], cell["execution_count"] = outputs, reply.get("execution_count", count)
        finally:
            kernel.close()
        self.timings.run = time.perf_counter() - start
        await self.put_notebook(path, nb)
        if not keep_kernel:
            await self.api("DELETE", f"/api/sessions/{session['id']}")
        return nb
