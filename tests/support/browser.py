"""Servers and a browser for the browser tests (tests/browser) and benchmarks/calculators.py.

Every server listens on 127.0.0.1 on a free port with a token, is waited for with a deadline,
and is always stopped (terminate, then kill). Chromium is Debian's /usr/bin/chromium driven by
Playwright; nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here (None if they can)."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing (Debian package chromium; .ci/setup.d/10-chromium.sh installs it)"
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing (pip install 'playwright>=1.40,<2')"
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """The environment for a server: its own home, Jupyter and matplotlib folders, English."""
    env = dict(os.environ)
    for name, sub in {"HOME": "", "JUPYTER_CONFIG_DIR": "jupyter-config", "JUPYTER_DATA_DIR": "jupyter-data",
                      "JUPYTER_RUNTIME_DIR": "jupyter-runtime", "MPLCONFIGDIR": "matplotlib",
                      "IPYTHONDIR": "ipython"}.items():
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / sub)
    env["MPLBACKEND"] = "Agg"
    env.pop("COURSE_LANG", None)
    return env


@contextlib.contextmanager
def server(command: list[str], ready_url: str, env: dict[str, str], cwd: Path, log: Path,
           timeout: float = 90) -> Iterator[subprocess.Popen]:
    """Run ``command`` until the block ends; wait (at most ``timeout`` s) until ``ready_url`` answers."""
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(ready_url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            if process.poll() is not None:
                raise RuntimeError(f"{command[2:4]} ended with {process.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{ready_url} did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield process
    finally:
        stop(process)


@contextlib.contextmanager
def course_lab(clone: Path, work: Path, *options: str) -> Iterator[tuple[int, str]]:
    """`course lab OPTIONS` (what `make lab` runs) in the checkout ``clone`` on a free port, its home and log in
    ``work``, until the block ends: yields (port, token)."""
    port, token = free_port(), "course-trainee-test"
    command = [sys.executable, "-m", "course", "lab", *options, "--", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with server(command, f"http://127.0.0.1:{port}/api/status?token={token}", isolated_env(work / "home"), clone,
                work / "lab.log"):
        yield port, token


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started and everything it started (its session: SIGTERM lets it shut its kernels down),
    then kill what is left."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)  # started with start_new_session=True: its session's group
        except ProcessLookupError:
            break  # the whole group is gone
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        time.sleep(0.5)  # children that outlive the leader get the next signal


@contextlib.contextmanager
def voila(home: Path, preheat: bool = True) -> Iterator[tuple[int, str]]:
    """`course apps`'s Voila server (its template, preheated kernels unless told not) on a free
    port: yields (port, token)."""
    from course.apps_cli import page_url, prepare_template, voila_command, voila_env

    port, token = free_port(), "course-browser-test"
    env = voila_env(prepare_template(home / "template"), isolated_env(home))
    with server(voila_command(port, token, preheat=preheat), page_url(port, token), env, ROOT,
                home / "voila.log"):
        yield port, token


@contextlib.contextmanager
def lab(home: Path, notebook_dir: Path) -> Iterator[tuple[int, str]]:
    """JupyterLab on ``notebook_dir`` on a free port: yields (port, token)."""
    port, token = free_port(), "course-browser-test"
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={notebook_dir}", "--LabApp.expose_app_in_browser=True",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               *(["--allow-root"] if os.geteuid() == 0 else [])]
    with server(command, f"http://127.0.0.1:{port}/api/status?token={token}", isolated_env(home),
                notebook_dir, home / "lab.log"):
        yield port, token


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (Debian's) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def screenshot_on_failure(page: object, name: str) -> Iterator[None]:
    """Save a screenshot to test-artifacts/ when the block fails, then let the failure through."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        raise
