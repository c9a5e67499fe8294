"""A real JupyterHub on 127.0.0.1 for the hub tests and the hub benchmarks.

`HubSite` runs `jupyterhub` (PyPI) behind configurable-http-proxy (npm) with the course's
TLJH configuration (deploy/tljh: the formgrader service, its group and roles, the global
nbgrader config), and starts each user's server as that user's own UNIX account
(LocalProcessSpawner, hub running as root), so nbgrader's file exchange is exercised with
real permissions. `Trainee` drives a server the way JupyterLab does: it logs in on the hub's
form, asks the hub's REST API for a token and a server, reads and writes notebooks through
the server's contents API, runs cells over the kernel websocket, and fetches and submits
through nbgrader's server extension (the Assignments tab's endpoints).

Accounts are named d11-* (d11-grader, d11-instructor, d11-trainee1..., d11-load01...); they
stay on the machine, their homes are emptied at each start. Everything else lives in one
world-readable temporary folder that `HubSite.close` removes. All waits are bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "tljh"
COURSE_ID = "double-eleven"
PREFIX = "d11-"
SERVICE = COURSE_ID  # the formgrader service is named after the course, as nbgrader expects
BIN = Path(sys.executable).parent


# ---------------------------------------------------------------- what the machine must offer

def proxy_command() -> str | None:
    """configurable-http-proxy: $D11_CHP, or on PATH."""
    found = os.environ.get("D11_CHP") or shutil.which("configurable-http-proxy")
    return found if found and Path(found).exists() else None


def _blocked_folder(path: Path) -> Path | None:
    """The first folder above ``path`` that other accounts cannot enter (no o+x), if any."""
    for folder in [path, *path.parents]:
        if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def missing() -> str | None:
    """Why a real hub with per-trainee UNIX accounts cannot run here, or None."""
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed in this Python (pip install 'jupyterhub>=5.3,<6')"
    if proxy_command() is None:
        return ("configurable-http-proxy is not installed (npm install -g configurable-http-proxy; "
                ".ci/setup.d/30-jupyterhub.sh does it)")
    if os.geteuid() != 0:
        return "the hub must run as root to start each trainee's server as that trainee's own UNIX account"
    if not shutil.which("useradd"):
        return "useradd is missing, so trainee accounts cannot be made"
    import course
    for path in (Path(os.path.realpath(sys.executable)), Path(sys.base_prefix), BIN,
                 Path(course.__file__).resolve().parent):
        blocked = _blocked_folder(path)
        if blocked:
            return (f"{blocked} is closed to other accounts (mode {stat.S_IMODE(blocked.stat().st_mode):o}), so trainee "
                    f"accounts cannot run {sys.executable} or import the course; .ci/setup.d/30-jupyterhub.sh opens it")
    return None


# ---------------------------------------------------------------- accounts, ports, folders

@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int
    home: Path


def ensure_account(name: str) -> Account:
    """The UNIX account ``name`` (d11-*), created if missing, with an emptied home of mode 750 (as TLJH makes)."""
    if not name.startswith(PREFIX):
        raise ValueError(f"test accounts are named {PREFIX}*, not {name!r}")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment",
                        "Double Eleven hub test account", name], check=True, capture_output=True, timeout=60)
        entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o750)
    return Account(name, entry.pw_uid, entry.pw_gid, home)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def account_processes(uids: Iterable[int]) -> list:
    """Live processes (psutil) owned by the given accounts."""
    import psutil

    wanted = set(uids)
    found = []
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"] and proc.info["uids"].real in wanted:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def end_processes(procs: list, timeout: float = 10) -> None:
    """Terminate, then kill, exactly these processes (by their ids)."""
    import psutil

    for proc in procs:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=timeout)


def run_as(account: Account, args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a command as ``account`` (its uid, gid and groups only), with a clean environment."""
    base = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "HOME": str(account.home), "USER": account.name,
            "LOGNAME": account.name, "LANG": "C.UTF-8", "MPLBACKEND": "Agg"}
    return subprocess.run(args, cwd=cwd or account.home, env={**base, **(env or {})}, user=account.uid,
                          group=account.gid, extra_groups=[], capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------- notebooks

def notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _grade_id(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answered(release: dict, solution: dict, count: int | None = None) -> tuple[dict, list[str]]:
    """The released notebook with its first ``count`` code answers (all if None) taken from the solution.

    Returns the notebook and the grade ids of the answers filled in. Written (markdown) answers are filled
    too when every code answer is.
    """
    source = {_grade_id(c): c for c in solution["cells"] if _grade_id(c)}
    nb = json.loads(json.dumps(release))
    code_answers = [c for c in nb["cells"] if c["cell_type"] == "code"
                    and c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    chosen = code_answers if count is None else code_answers[:count]
    filled = []
    for cell in chosen:
        text = "".join(source[_grade_id(cell)]["source"])
        lines = [line for line in text.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
        cell["source"] = "\n".join(lines)
        filled.append(_grade_id(cell))
    if count is None:
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown" and "Write your answer" in "".join(cell["source"]):
                cell["source"] = ("One day of 11.11 in 2018 was about a fifth of Indonesia's planned state spending; a "
                                  "festival's gross sales and a budget measure different things.")
    return nb, filled


def expected_points(release: dict, filled: list[str]) -> float:
    """Autograded points earned when exactly the answers ``filled`` (a prefix) are right: their test cells' points."""
    total = 0.0
    for cell in release["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and cell["cell_type"] == "code" and meta.get("grade_id", "").removesuffix("-test") in filled:
            total += meta.get("points", 0)
    return total


# ---------------------------------------------------------------- HTTP: a small cookie-aware client on tornado

class HTTPError(RuntimeError):
    pass


class Client:
    """Requests to the hub and to one user's server; cookies for /hub/, a token for APIs."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    async def request(self, method: str, path: str, *, json_body: Any = None, form: dict | None = None,
                      expect: Iterable[int] = (200, 201, 202, 204), timeout: float = 60, use_token: bool = True,
                      headers: dict[str, str] | None = None):
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest

        hdrs = dict(headers or {})
        body = None
        if json_body is not None:
            body, hdrs["Content-Type"] = json.dumps(json_body), "application/json"
        elif form is not None:
            body, hdrs["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        elif method in ("POST", "PUT", "PATCH"):
            body = ""
        if self.token and use_token:
            hdrs["Authorization"] = f"token {self.token}"
        if self.cookies and path.startswith("/hub/"):
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = HTTPRequest(self.base + path, method=method, body=body, headers=hdrs, follow_redirects=False,
                          request_timeout=timeout, connect_timeout=min(timeout, 20))
        response = await AsyncHTTPClient().fetch(req, raise_error=False)
        for raw in response.headers.get_list("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if not (morsel.get("path") or "/").startswith("/user/"):  # the hub's cookies, not a server's
                    self.cookies[name] = morsel.value
        if response.code not in expect:
            text = response.body.decode("utf-8", "replace")[:800] if response.body else str(response.error)
            raise HTTPError(f"{method} {path}: HTTP {response.code}: {text}")
        return response

    async def json(self, method: str, path: str, **kwargs) -> Any:
        response = await self.request(method, path, **kwargs)
        return json.loads(response.body) if response.body else None


def _configure_http() -> None:
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=256)


# ---------------------------------------------------------------- a trainee's (or instructor's) browser

@dataclass
class Timings:
    login: float = 0.0
    server: float = 0.0
    first_kernel: float = 0.0
    run: float = 0.0


class Trainee:
    """One person on the hub: login, server, notebooks, kernels, nbgrader's Assignments tab."""

    def __init__(self, site: "HubSite", account: Account):
        self.site, self.account, self.name = site, account, account.name
        self.client = Client(site.url)
        self.timings = Timings()
        self.kernel_ready_at = 0.0
        self.prefix = f"/user/{quote(self.name)}"

    async def login(self) -> None:
        """Log in on the hub's login form (as a browser does) and take an API token for this session."""
        start = time.perf_counter()
        page = await self.client.request("GET", "/hub/login", use_token=False)
        match = re.search(rb'name="_xsrf" value="([^"]+)"', page.body or b"")
        xsrf = match.group(1).decode() if match else self.client.cookies.get("_xsrf", "")
        await self.client.request("POST", "/hub/login?next=", use_token=False, expect=(302,),
                                  form={"username": self.name, "password": self.site.password, "_xsrf": xsrf})
        if "jupyterhub-hub-login" not in self.client.cookies:
            raise HTTPError(f"{self.name}: the hub set no login cookie")
        reply = await self.client.json("POST", f"/hub/api/users/{self.name}/tokens", use_token=False,
                                       headers={"X-XSRFToken": self.client.cookies.get("_xsrf", "")},
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

    async def api(self, method: str, path: str, **kwargs) -> Any:
        return await self.client.json(method, self.prefix + path, **kwargs)

    async def get_notebook(self, path: str) -> dict:
        return (await self.api("GET", f"/api/contents/{quote(path)}?content=1&type=notebook"))["content"]

    async def put_notebook(self, path: str, nb: dict) -> None:
        await self.api("PUT", f"/api/contents/{quote(path)}", json_body={"type": "notebook", "format": "json",
                                                                          "content": nb})

    async def exists(self, path: str) -> bool:
        response = await self.client.request("GET", f"{self.prefix}/api/contents/{quote(path)}?content=0",
                                             expect=(200, 404))
        return response.code == 200

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
        events = [json.loads(line[5:]) for line in response.body.decode().splitlines() if line.startswith("data:")]
        if not events or events[-1].get("phase") != "finished":
            raise HTTPError(f"{self.name}: nbgitpuller did not finish: {events[-3:]}")
        return events

    async def run_notebook(self, path: str, nb: dict | None = None, timeout: float = 180,
                           keep_kernel: bool = False) -> dict:
        """Open ``path`` in a kernel session (as JupyterLab does), run every code cell, save the outputs."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        nb = nb if nb is not None else await self.get_notebook(path)
        start = time.perf_counter()
        session = await self.api("POST", "/api/sessions", json_body={
            "path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
        ws_url = self.site.url.replace("http://", "ws://") + f"{self.prefix}/api/kernels/{kernel_id}/channels"
        conn = await asyncio.wait_for(websocket_connect(HTTPRequest(
            f"{ws_url}?session_id={uuid.uuid4().hex}", headers={"Authorization": f"token {self.client.token}"})), 60)
        client_session = uuid.uuid4().hex
        try:
            await self._request(conn, client_session, "kernel_info_request", {}, timeout)
            if not self.timings.first_kernel:
                self.kernel_ready_at = time.perf_counter()
                self.timings.first_kernel = self.kernel_ready_at - start
            count = 0
            for cell in nb["cells"]:
                if cell["cell_type"] != "code":
                    continue
                count += 1
                reply, outputs = await self._request(conn, client_session, "execute_request", {
                    "code": "".join(cell["source"]), "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}, timeout)
                cell["outputs"], cell["execution_count"] = outputs, reply.get("execution_count", count)
        finally:
            conn.close()
        self.timings.run = time.perf_counter() - start
        await self.put_notebook(path, nb)
        if not keep_kernel:
            await self.api("DELETE", f"/api/sessions/{session['id']}")
        return nb

    @staticmethod
    async def _request(conn, client_session: str, msg_type: str, content: dict, timeout: float) -> tuple[dict, list]:
        msg_id = uuid.uuid4().hex
        channel = "shell"
        await conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "d11", "session": client_session,
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        outputs, reply, idle = [], None, False
        deadline = time.monotonic() + timeout
        while not (reply is not None and idle):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no reply to {msg_type} within {timeout} s")
            raw = await asyncio.wait_for(conn.read_message(), remaining)
            if raw is None:
                raise HTTPError("the kernel websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, body = msg["msg_type"], msg["content"]
            if msg.get("channel") == "shell" and kind.endswith("_reply"):
                reply = body
            elif kind == "status" and body.get("execution_state") == "idle":
                idle = True
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": body["name"], "text": body["text"]})
            elif kind in ("execute_result", "display_data"):
                out = {"output_type": kind, "data": body["data"], "metadata": body.get("metadata", {})}
                if kind == "execute_result":
                    out["execution_count"] = body["execution_count"]
                outputs.append(out)
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": body["ename"], "evalue": body["evalue"],
                                "traceback": body["traceback"]})
        return reply, outputs

    async def stop_server(self) -> None:
        await self.client.request("DELETE", f"/hub/api/users/{self.name}/server", expect=(202, 204, 400, 404))


# ---------------------------------------------------------------- memory and CPU of accounts, sampled

@dataclass
class Usage:
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    cpu_s: float = 0.0
    processes: int = 0


class Sampler:
    """Samples RSS, PSS and CPU time of every process of the given accounts, per account, in a thread."""

    def __init__(self, accounts: dict[int, str], interval: float = 0.5):
        self.accounts, self.interval = accounts, interval
        self.usage = {name: Usage() for name in accounts.values()}
        self.peak_total_rss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> dict[str, Usage]:
        import psutil

        now = {name: Usage() for name in self.accounts.values()}
        for proc in account_processes(self.accounts):
            try:
                name = self.accounts[proc.uids().real]
                info = proc.memory_full_info()
                cpu = proc.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied, KeyError):
                continue
            now[name].peak_rss_mb += info.rss / 2**20
            now[name].peak_pss_mb += getattr(info, "pss", info.rss) / 2**20
            now[name].cpu_s += cpu.user + cpu.system
            now[name].processes += 1
        for name, cur in now.items():
            peak = self.usage[name]
            peak.peak_rss_mb = max(peak.peak_rss_mb, cur.peak_rss_mb)
            peak.peak_pss_mb = max(peak.peak_pss_mb, cur.peak_pss_mb)
            peak.cpu_s = max(peak.cpu_s, cur.cpu_s)
            peak.processes = max(peak.processes, cur.processes)
        self.peak_total_rss_mb = max(self.peak_total_rss_mb, sum(u.peak_rss_mb for u in now.values()))
        return now

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> "Sampler":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.sample()


# ---------------------------------------------------------------- the hub

HUB_CONFIG = """\
# Written by benchmarks/hub_harness.py for one test run; removed afterwards.
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{hub_dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{hub_dir}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {environment!r}
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.cleanup_servers = True
{deploy}
c.JupyterHub.services.append({{"name": "d11-driver", "api_token": {driver_token!r}}})
c.JupyterHub.load_roles.append({{"name": "d11-driver", "services": ["d11-driver"],
                                 "scopes": ["admin:users", "admin:servers", "list:users", "read:users",
                                            "list:services", "read:services"]}})
"""


class HubSite:
    """One JupyterHub run: its temporary folder, accounts, exchange, course folder, processes."""

    def __init__(self, trainees: list[str], instructors: list[str] = (), grader: str | None = None,
                 formgrader: bool = True):
        _configure_http()
        self.dir = Path(tempfile.mkdtemp(prefix="d11-hub-", dir="/tmp"))
        self.dir.chmod(0o755)
        self.password = secrets.token_urlsafe(12)
        self.driver_token = secrets.token_hex(24)
        self.port, self.api_port, self.hub_port, self.formgrader_port = (free_port() for _ in range(4))
        self.url = f"http://127.0.0.1:{self.port}"
        self.accounts = {name: ensure_account(name) for name in [*trainees, *instructors, *([grader] if grader else [])]}
        self.trainee_names, self.instructor_names, self.grader_name = list(trainees), list(instructors), grader
        self.formgrader = formgrader and grader is not None
        self.process: subprocess.Popen | None = None
        self.hub_dir = self.dir / "hub"
        self.hub_dir.mkdir(mode=0o700)
        self.log = self.hub_dir / "jupyterhub.log"
        # nbgrader's exchange: one folder everybody can write into, as on TLJH (/srv/nbgrader/exchange, mode 777)
        self.exchange = self.dir / "exchange"
        self.exchange.mkdir()
        self.exchange.chmod(0o777)
        # the global nbgrader config of deploy/tljh, pointed at this run's exchange
        self.etc = self.dir / "etc-jupyter"
        self.etc.mkdir()
        (self.etc / "nbgrader_config.py").write_text(
            (DEPLOY / "nbgrader_config.py").read_text() + f"\nc.Exchange.root = {str(self.exchange)!r}\n")
        self.formgrader_etc = self.dir / "formgrader-config"
        shutil.copytree(DEPLOY / "formgrader", self.formgrader_etc)
        self.course = self.dir / "course"
        # stand-in for the host's git server: a bare repository owned by root, which git lets other accounts
        # read only when a system or global config lists it in safe.directory (GIT_CONFIG_GLOBAL points here)
        self.published = self.dir / "double-eleven.git"
        self.gitconfig = self.dir / "gitconfig"
        self.gitconfig.write_text(f"[safe]\n\tdirectory = {self.published}\n")

    # -- the course folder of the grader account (instructors' copy: solutions included, closed to others)
    def make_course(self) -> Path:
        grader = self.accounts[self.grader_name]
        self.course.mkdir(mode=0o700)
        # the course's own nbgrader config, pointed at this run's exchange (on TLJH: nbgrader's default path)
        (self.course / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text()
                                                        + f"\nc.Exchange.root = {str(self.exchange)!r}\n")
        shutil.copytree(ROOT / "solutions", self.course / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for path in [self.course, *self.course.rglob("*")]:
            os.chown(path, grader.uid, grader.gid)
        return self.course

    def config(self) -> str:
        env = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "JUPYTER_CONFIG_PATH": str(self.etc),
               "MPLBACKEND": "Agg", "LANG": "C.UTF-8", "GIT_CONFIG_GLOBAL": str(self.gitconfig)}
        deploy = ""
        if self.formgrader:
            deploy = f"load_subconfig({str(DEPLOY / 'jupyterhub_config.d' / 'double_eleven.py')!r})"
        else:
            deploy = "c.JupyterHub.services = []\nc.JupyterHub.load_roles = []"
        users = sorted(self.accounts)
        return HUB_CONFIG.format(port=self.port, hub_port=self.hub_port, api_port=self.api_port, chp=proxy_command(),
                                 hub_dir=self.hub_dir, password=self.password, users=set(users),
                                 singleuser=str(BIN / "jupyterhub-singleuser"), environment=env, deploy=deploy,
                                 driver_token=self.driver_token)

    def start(self, timeout: float = 120) -> None:
        """Start the hub (and through it the proxy and the formgrader service); wait until its API answers."""
        (self.hub_dir / "jupyterhub_config.py").write_text(self.config())
        env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(24)}
        if self.formgrader:
            env.update({
                "D11_INSTRUCTORS": ",".join(self.instructor_names), "D11_GRADER_ACCOUNT": self.grader_name,
                "D11_COURSE_DIR": str(self.course), "D11_SINGLEUSER": str(BIN / "jupyterhub-singleuser"),
                "D11_FORMGRADER_PORT": str(self.formgrader_port),
                "D11_FORMGRADER_CONFIG_PATH": f"{self.formgrader_etc}{os.pathsep}{self.etc}",
            })
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", "jupyterhub_config.py"],
                                            cwd=self.hub_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                asyncio.run(self.driver().request("GET", "/hub/api/", timeout=5))
                if not self.formgrader or asyncio.run(self._service_up()):
                    return
            except Exception:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"jupyterhub did not answer within {timeout} s:\n{self.log_tail()}")

    async def _service_up(self) -> bool:
        service = Client(f"http://127.0.0.1:{self.formgrader_port}")
        response = await service.request("GET", f"/services/{SERVICE}/api", timeout=5, expect=(200, 404, 503))
        return response.code == 200

    def driver(self) -> Client:
        client = Client(self.url)
        client.token = self.driver_token
        return client

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def person(self, name: str) -> Trainee:
        return Trainee(self, self.accounts[name])

    def grader(self, action: str, module: str, *students: str, timeout: float = 600) -> dict:
        """An instructor's nbgrader step, run as the grader account in the course folder (course.nbgrader_api)."""
        result = run_as(self.accounts[self.grader_name], [sys.executable, "-c", GRADER_SCRIPT, action, module,
                                                          str(self.exchange), *students], cwd=self.course,
                        timeout=timeout, env={"JUPYTER_CONFIG_PATH": str(self.etc)})
        if result.returncode:
            raise RuntimeError(f"grader {action} {module} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def course_grade(self, module: str, timeout: float = 900) -> str:
        """`course grade MODULE --collect` (collect, autograde in parallel, feedback) as the grader account."""
        result = run_as(self.accounts[self.grader_name], [sys.executable, "-m", "course", "grade", module, "--collect",
                                                          "--quiet"], cwd=self.course, timeout=timeout,
                        env={"JUPYTER_CONFIG_PATH": str(self.etc)})
        if result.returncode:
            raise RuntimeError(f"course grade {module} failed ({result.returncode}):\n{result.stdout[-3000:]}"
                               f"\n{result.stderr[-3000:]}")
        return result.stdout

    def close(self) -> None:
        """Stop every server, the hub and its children; end leftover processes of the test accounts; clean up."""
        if self.process and self.process.poll() is None:
            try:
                asyncio.run(self._stop_servers())
            except Exception:
                pass
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        import psutil
        leftovers = []
        pid_file = self.hub_dir / "jupyterhub-proxy.pid"  # JupyterHub starts the proxy in a session of its own
        try:
            proxy = psutil.Process(int(pid_file.read_text().strip()))
            if "configurable-http-proxy" in " ".join(proxy.cmdline()) and str(self.api_port) in proxy.cmdline():
                leftovers.append(proxy)
        except (OSError, ValueError, psutil.Error):
            pass
        # anything else the hub started shares its session
        for proc in psutil.process_iter(["pid"]) if self.process else []:
            try:
                if os.getsid(proc.pid) == self.process.pid:
                    leftovers.append(proc)
            except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
                continue
        end_processes(leftovers + account_processes(a.uid for a in self.accounts.values()))
        if not os.environ.get("D11_KEEP_HUB_DIR"):
            shutil.rmtree(self.dir, ignore_errors=True)

    async def _stop_servers(self) -> None:
        driver = self.driver()
        users = await driver.json("GET", "/hub/api/users", timeout=20)
        for user in users:
            if user.get("servers"):
                await driver.request("DELETE", f"/hub/api/users/{user['name']}/server", expect=(202, 204, 400, 404),
                                     timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            users = await driver.json("GET", "/hub/api/users", timeout=20)
            if not any(u.get("servers") for u in users):
                return
            await asyncio.sleep(0.5)

    def __enter__(self) -> "HubSite":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


GRADER_SCRIPT = r"""
import json, sys
from pathlib import Path
from course.nbgrader_api import api, check, load_config

action, module, exchange, students = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
root = Path.cwd()
config = load_config(root, db_url=f"sqlite:///{root / 'gradebook.db'}")
config.Exchange.root = exchange
grader = api(root, config)
out = {}
if action == "release":
    check(grader.generate_assignment(module), "generate_assignment")
    check(grader.release_assignment(module), "release_assignment")
elif action == "collect":
    check(grader.collect(module), "collect")
    out["submitted"] = sorted(grader.get_submitted_students(module))
elif action in ("autograde", "scores"):
    if action == "autograde":
        for student in students:
            check(grader.autograde(module, student), f"autograde {student}")
    from nbgrader.api import Gradebook
    with Gradebook(config.CourseDirectory.db_url) as gradebook:
        for student in students:
            grades = [g for nb in gradebook.find_submission(module, student).notebooks for g in nb.grades]
            out[student] = {"code_score": sum(g.auto_score or 0 for g in grades if g.cell_type == "code"),
                            "max_code": sum(g.max_score for g in grades if g.cell_type == "code"),
                            "needs_manual": sum(1 for g in grades if g.needs_manual_grade)}
elif action == "feedback":
    check(grader.generate_feedback(module), "generate_feedback")
    check(grader.release_feedback(module), "release_feedback")
elif action == "release_feedback":
    check(grader.release_feedback(module), "release_feedback")
else:
    raise SystemExit(f"unknown action {action}")
print(json.dumps(out))
"""
