"""`course apps`: the calculators as stand-alone web pages (Voila), for people who will not write code.

    course apps [--port N] [--no-browser] [--lang en|id] [--no-preheat]

Voila serves the notebooks in ``course/apps/`` (one calculator each) on 127.0.0.1 and shows
only their widgets, never their code. The page address, with its access token, is printed.
If the port is busy, the next free one (up to 20 further) is used and said so.

The pages use the template in ``course/apps/template`` (copied to a temporary folder at start,
with the index page made from the message catalog in both languages): nothing is fetched from
the internet. Each page's kernel is started and warmed up before anyone asks for it (Voila's
preheated kernels, one per page), so a page opens in about a second instead of many. The kernels
warm up one at a time in the index's order, a page asked for first (:mod:`course.apps_pool`),
so the first page opened at launch does not share the cores with four other warm-ups.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import webbrowser
from pathlib import Path

APPS_DIR = Path(__file__).with_name("apps")
TEMPLATE_SOURCE = APPS_DIR / "template"
TEMPLATE = "course"
DEFAULT_PORT = 8866
PORT_TRIES = 20
POOL_CLASS = "course.apps_pool.PagePoolKernelManager"  # warms the pages' kernels one at a time, asked-for first
PAGES = ("supply", "landed_cost", "scorecard", "peak_day", "country")


def voila_command(port: int, token: str, preheat: bool = True) -> list[str]:
    """The Voila command line serving every calculator page on 127.0.0.1:``port`` (no browser),
    with the course's template and, if ``preheat``, one warmed-up kernel waiting per page."""
    command = [sys.executable, "-m", "voila", str(APPS_DIR), f"--port={port}", "--Voila.ip=127.0.0.1",
               "--Voila.port_retries=0", f"--Voila.token={token}", "--no-browser", f"--template={TEMPLATE}",
               "--VoilaConfiguration.show_tracebacks=False"]
    if preheat:
        command += ["--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1",
                    f"--VoilaConfiguration.multi_kernel_manager_class={POOL_CLASS}"]
    return command


def prepare_template(folder: Path, lang: str | None = None) -> Path:
    """Write the course's Voila template under ``folder`` (``voila/templates/course``): the page
    template as it is and the index page made from the catalog. Returns ``folder``, the folder to
    put on ``JUPYTER_PATH``. ``lang`` is the index's language when the address names none."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from course.i18n import LANGUAGES, language, message

    target = folder / "voila" / "templates" / TEMPLATE
    target.mkdir(parents=True, exist_ok=True)
    for name in ("conf.json", "index.html.j2"):
        shutil.copy2(TEMPLATE_SOURCE / name, target / name)
    env = Environment(loader=FileSystemLoader(TEMPLATE_SOURCE), autoescape=select_autoescape(["j2"]),
                      variable_start_string="[[", variable_end_string="]]", block_start_string="[%",
                      block_end_string="%]", comment_start_string="[#", comment_end_string="#]")
    from course.widgets.page import LANGUAGE_NAMES, TITLES

    texts = {code: {"title": message("widget.index_title", code), "intro": message("widget.index_intro", code),
                    "choose": message("apps.choose_language", code),
                    "pages": [{"name": page, "title": message(TITLES[page], code),
                               "question": message(f"apps.question.{page}", code)} for page in PAGES]}
             for code in LANGUAGES}
    tree = env.get_template("tree.html.j2").render(
        languages=list(texts.items()), names=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        default=language(lang))
    for name in ("tree.html", "tree-lab.html"):  # Voila's classic and lab tree pages: both are the index
        (target / name).write_text(tree, encoding="utf-8")
    return folder


def voila_env(template_root: Path, base: dict[str, str] | None = None, lang: str | None = None) -> dict[str, str]:
    """The environment for Voila: ``base`` (default: ours) with the template folder on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(template_root), env.get("JUPYTER_PATH", "")]))
    if lang:
        env["COURSE_LANG"] = lang
    return env


def port_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:``port`` and we may bind it."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(wanted: int, tries: int = PORT_TRIES) -> int | None:
    """``wanted`` if free, else the next free port of the ``tries`` after it; None if all are busy."""
    return next((p for p in range(wanted, min(wanted + tries + 1, 65536)) if port_free(p)), None)


def page_url(port: int, token: str, page: str | None = None) -> str:
    """The address of the page list, or of one calculator's page."""
    path = f"voila/render/{page}.ipynb" if page else ""
    return f"http://127.0.0.1:{port}/{path}?token={token}"


def _apps(args: argparse.Namespace) -> int:
    missing = [p for p in PAGES if not (APPS_DIR / f"{p}.ipynb").is_file()]
    if missing:
        print(f"course apps: missing pages {', '.join(missing)} in {APPS_DIR}", file=sys.stderr)
        return 2
    if not 1 <= args.port <= 65535:
        print(f"course apps: --port {args.port} is not a port; use a number from 1 to 65535", file=sys.stderr)
        return 2
    port = choose_port(args.port)
    if port is None:
        print(f"course apps: port {args.port} and the {PORT_TRIES} after it are busy on 127.0.0.1. "
              "Stop what uses them (another `course apps`?) or pick a free one with --port N.", file=sys.stderr)
        return 2
    if port != args.port:
        print(f"course apps: port {args.port} is busy; using port {port} instead.")
    token = secrets.token_urlsafe(16)
    folder = Path(tempfile.mkdtemp(prefix="course-apps-"))
    try:
        env = voila_env(prepare_template(folder, args.lang), lang=args.lang)
        return _serve(port, token, env, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve(port: int, token: str, env: dict[str, str], args: argparse.Namespace) -> int:
    print(f"course apps: the calculators are at {page_url(port, token)}")
    for page in PAGES:
        print(f"  {page:12} {page_url(port, token, page)}")
    print("Stop with Ctrl+C.", flush=True)
    server = subprocess.Popen(voila_command(port, token, preheat=not args.no_preheat), env=env)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops Voila too, not only us
    try:
        if not args.no_browser and _answers(page_url(port, token), server):
            webbrowser.open(page_url(port, token))  # Voila's own opener leaves the token out
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
    apps.add_argument("--no-preheat", action="store_true",
                      help="start each page's kernel only when the page is asked for (less memory, slower)")
    apps.set_defaults(run=_apps)
