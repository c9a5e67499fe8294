"""`course apps`: the calculators as stand-alone web pages (Voila), for people who will not write code.

    course apps [--port N] [--no-browser] [--lang en|id]

Voila serves the notebooks in ``course/apps/`` (one calculator each) on 127.0.0.1 and shows
only their widgets, never their code. The page address, with its access token, is printed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path

APPS_DIR = Path(__file__).with_name("apps")
DEFAULT_PORT = 8866
PAGES = ("supply", "landed_cost", "scorecard", "peak_day", "country")


def voila_command(port: int, token: str) -> list[str]:
    """The Voila command line serving every calculator page on 127.0.0.1:``port`` (no browser)."""
    return [sys.executable, "-m", "voila", str(APPS_DIR), f"--port={port}", "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0", f"--Voila.token={token}", "--no-browser"]


def page_url(port: int, token: str, page: str | None = None) -> str:
    """The address of the page list, or of one calculator's page."""
    path = f"voila/render/{page}.ipynb" if page else ""
    return f"http://127.0.0.1:{port}/{path}?token={token}"


def _apps(args: argparse.Namespace) -> int:
    missing = [p for p in PAGES if not (APPS_DIR / f"{p}.ipynb").is_file()]
    if missing:
        print(f"course apps: missing pages {', '.join(missing)} in {APPS_DIR}", file=sys.stderr)
        return 2
    token = secrets.token_urlsafe(16)
    env = dict(os.environ)
    if args.lang:
        env["COURSE_LANG"] = args.lang
    print(f"course apps: the calculators are at {page_url(args.port, token)}")
    for page in PAGES:
        print(f"  {page:12} {page_url(args.port, token, page)}")
    print("Stop with Ctrl+C.", flush=True)
    server = subprocess.Popen(voila_command(args.port, token), env=env)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops Voila too, not only us
    try:
        if not args.no_browser and _answers(page_url(args.port, token), server):
            webbrowser.open(page_url(args.port, token))  # Voila's own opener leaves the token out
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait(timeout=30)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _answers(url: str, server: subprocess.Popen, timeout: float = 60) -> bool:
    """Wait (at most ``timeout`` s) until the server answers ``url``; False if it stopped or did not."""
    deadline = time.monotonic() + timeout
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `course apps` to the `course` command's subcommands."""
    apps = subparsers.add_parser("apps", help="open the calculators as web pages (Voila)")
    apps.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    apps.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    apps.add_argument("--lang", choices=("en", "id"), help="language of the pages (default: COURSE_LANG)")
    apps.set_defaults(run=_apps)
