"""One JupyterHub run on 127.0.0.1: its folder, accounts, exchange, course folder, processes.

`HubSite` runs `jupyterhub` (PyPI) behind configurable-http-proxy (npm) with the course's TLJH configuration
(deploy/tljh: the formgrader service, its group and roles, the global nbgrader config), and starts each user's
server as that user's own UNIX account (LocalProcessSpawner, hub running as root), so nbgrader's file exchange is
exercised with real permissions.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from tests.support import aio
from tests.support.hub.accounts import account_processes, end_processes, ensure_account, run_as
from tests.support.hub.client import Client, HTTPError
from tests.support.hub.machine import BIN, DEPLOY, ROOT, SERVICE, free_port, proxy_command
from tests.support.hub.person import Trainee

HUB_CONFIG = Path(__file__).with_name("jupyterhub_config.py")
GRADER_MODULE = "tests.support.hub.grader"  # run with -m as the grader account
NOT_READY = (httpx.HTTPError, HTTPError, OSError)  # what a hub that is still starting (or gone) answers


class HubSite:
    """One JupyterHub run: its temporary folder, accounts, exchange, course folder, processes."""

    def __init__(self, trainees: list[str], instructors: list[str] = (), grader: str | None = None,
                 formgrader: bool = True):
        self.dir = Path(tempfile.mkdtemp(prefix="d11-hub-", dir="/tmp"))
        self.dir.chmod(0o755)
        self.password = secrets.token_urlsafe(12)
        self.driver_token = secrets.token_hex(24)
        self.port, self.api_port, self.hub_port, self.formgrader_port = (free_port() for _ in range(4))
        self.url = f"http://127.0.0.1:{self.port}"
        everyone = [*trainees, *instructors, *([grader] if grader else [])]
        self.accounts = {name: ensure_account(name) for name in everyone}
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

    def make_course(self) -> Path:
        """The grader account's course folder (instructors' copy: solutions included, closed to others)."""
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

    def settings(self) -> dict[str, Any]:
        """The values jupyterhub_config.py reads for this run."""
        env = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin", "JUPYTER_CONFIG_PATH": str(self.etc),
               "MPLBACKEND": "Agg", "LANG": "C.UTF-8", "GIT_CONFIG_GLOBAL": str(self.gitconfig)}
        formgrader = str(DEPLOY / "jupyterhub_config.d" / "double_eleven.py") if self.formgrader else None
        return {"port": self.port, "hub_port": self.hub_port, "api_port": self.api_port, "proxy": proxy_command(),
                "hub_dir": str(self.hub_dir), "password": self.password, "users": sorted(self.accounts),
                "singleuser": str(BIN / "jupyterhub-singleuser"), "environment": env,
                "formgrader_config": formgrader, "driver_token": self.driver_token}

    def start(self, timeout: float = 120) -> None:
        """Start the hub (and through it the proxy and the formgrader service); wait until its API answers."""
        settings = self.hub_dir / "settings.json"
        settings.write_text(json.dumps(self.settings(), indent=1))
        env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(24), "D11_HUB_SETTINGS": str(settings)}
        if self.formgrader:
            env.update({
                "D11_INSTRUCTORS": ",".join(self.instructor_names), "D11_GRADER_ACCOUNT": self.grader_name,
                "D11_COURSE_DIR": str(self.course), "D11_SINGLEUSER": str(BIN / "jupyterhub-singleuser"),
                "D11_FORMGRADER_PORT": str(self.formgrader_port),
                "D11_FORMGRADER_CONFIG_PATH": f"{self.formgrader_etc}{os.pathsep}{self.etc}",
            })
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(HUB_CONFIG)],
                                            cwd=self.hub_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                aio.run(self.driver().request("GET", "/hub/api/", timeout=5))
                if not self.formgrader or aio.run(self._service_up()):
                    return
            except NOT_READY:
                pass  # not answering yet: try again until the deadline
            time.sleep(0.5)
        raise TimeoutError(f"jupyterhub did not answer within {timeout} s:\n{self.log_tail()}")

    async def _service_up(self) -> bool:
        service = Client(f"http://127.0.0.1:{self.formgrader_port}")
        response = await service.request("GET", f"/services/{SERVICE}/api", timeout=5, expect=(200, 404, 503))
        return response.status_code == 200

    def driver(self) -> Client:
        """A client with the run's own service token (admin of users and servers)."""
        return Client(self.url, token=self.driver_token)

    def log_tail(self, lines: int = 60) -> str:
        """The hub's critical and error lines (where it says why it stopped), then the last ``lines`` lines."""
        text = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        problems = [line for line in text if line.startswith(("[C ", "[E "))]
        return "\n".join([*problems[-10:], "...", *text[-lines:]] if problems else text[-lines:])

    def person(self, name: str) -> Trainee:
        return Trainee(self, self.accounts[name])

    def grader(self, action: str, module: str, *students: str, timeout: float = 600) -> dict:
        """An instructor's nbgrader step, run as the grader account in the course folder (tests.support.hub.grader)."""
        result = run_as(self.accounts[self.grader_name],
                        [sys.executable, "-m", GRADER_MODULE, action, module, str(self.exchange), *students],
                        cwd=self.course, timeout=timeout,
                        env={"JUPYTER_CONFIG_PATH": str(self.etc), "PYTHONPATH": str(ROOT)})
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
                aio.run(self._stop_servers())
            except NOT_READY as error:  # the processes are ended below all the same
                print(f"hub close: stopping the servers through the hub failed ({error}); ending their processes")
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        leftovers = []
        pid_file = self.hub_dir / "jupyterhub-proxy.pid"  # JupyterHub starts the proxy in a session of its own
        try:
            proxy = psutil.Process(int(pid_file.read_text().strip()))
            if "configurable-http-proxy" in " ".join(proxy.cmdline()) and str(self.api_port) in proxy.cmdline():
                leftovers.append(proxy)
        except (OSError, ValueError, psutil.Error):
            pass  # no proxy left (or never started)
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

    def __enter__(self) -> HubSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
