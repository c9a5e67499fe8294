"""Workshops on JupyterHub: one-click links, memory sizing, and the `course` commands for hosts.

    course student-edition DIR [--branch NAME]    write the trainee-facing tree (see course.edition)
    course hub-link HUB REPO [MODULE]             print the nbgitpuller link that opens MODULE for a trainee

A link is only built, never fetched: nbgitpuller on the trainee's server does the pulling.
Sizing follows The Littlest JupyterHub's rule (its "Estimate Memory / CPU / Disk needed"
page): server RAM = concurrent users x maximum memory per user + 128 MB, where the
maximum per user is the measured peak plus 20-40 % headroom.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from urllib.parse import quote, urlsplit

from course.nbgrader_api import MODULE_PATTERN, CourseError, find_root

DEFAULT_BRANCH = "student"
TLJH_OVERHEAD_MB = 128  # TLJH's allowance for the hub, the proxy and related services
HEADROOM = 0.30  # middle of TLJH's 20-40 % headroom
LIMIT_STEP_MB = 64
CPU_OVERHEAD_CORES = 0.2  # TLJH's CPU rule: + 20 % of one core for the hub and its services
WORKSHOP_SIZES = (10, 20, 30, 50, 100)
START_WINDOW_S = 60.0  # everybody starts a server and runs a module within one minute
MIN_CORES = 2


def hub_link(hub_url: str, repo: str, module: str | None = None, branch: str = DEFAULT_BRANCH,
             app: str = "lab", targetpath: str | None = None) -> str:
    """The nbgitpuller link that clones (or updates) ``repo`` on a trainee's server and opens ``module``.

    >>> hub_link("https://hub.example.org", "https://github.com/org/double-eleven", "m01-singles-day")
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Forg%2Fdouble-eleven&urlpath=lab%2Ftree%2Fdouble-eleven%2Fexercises%2Fm01-singles-day%2Fm01-singles-day.ipynb&branch=student'
    """
    parts = urlsplit(hub_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub URL {hub_url!r} should look like https://hub.example.org")
    if not repo or any(c.isspace() for c in repo):
        raise ValueError(f"repository {repo!r} should be a git URL, e.g. https://github.com/org/double-eleven")
    if module is not None and not MODULE_PATTERN.match(module):
        raise ValueError(f"module {module!r} should be a module folder name like m01-singles-day")
    if app not in {"lab", "notebook"}:
        raise ValueError(f"app {app!r} should be 'lab' or 'notebook'")
    if not branch or any(c.isspace() for c in branch):
        raise ValueError(f"branch {branch!r} is not a branch name")
    folder = targetpath or repo.rstrip("/").split("/")[-1]  # nbgitpuller's own default target folder
    path = f"{folder}/exercises/{module}/{module}.ipynb" if module else f"{folder}/exercises"
    urlpath = "lab/tree/" + path if app == "lab" else ("notebooks/" if module else "tree/") + path
    query = [("repo", repo), ("urlpath", urlpath), ("branch", branch)]
    if targetpath:
        query.append(("targetpath", targetpath))
    encoded = "&".join(f"{key}={quote(value, safe='')}" for key, value in query)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{encoded}"


def memory_limit_mb(peak_mb: float, headroom: float = HEADROOM) -> int:
    """Per-trainee memory limit: the measured peak plus headroom, rounded up to 64 MB."""
    if peak_mb <= 0 or not 0 <= headroom <= 1:
        raise ValueError(f"peak {peak_mb} MB and headroom {headroom} should be positive and at most 100 %")
    return int(math.ceil(peak_mb * (1 + headroom) / LIMIT_STEP_MB) * LIMIT_STEP_MB)


def server_ram_mb(trainees: int, limit_mb: int) -> int:
    """TLJH's rule: concurrent trainees x memory limit per trainee + 128 MB."""
    if trainees < 1 or limit_mb < 1:
        raise ValueError("trainees and the memory limit should be positive")
    return trainees * limit_mb + TLJH_OVERHEAD_MB


def server_cores(trainees: int, cpu_seconds_per_start: float, window_s: float = START_WINDOW_S) -> int:
    """Cores so that ``trainees`` can each start a server and run a module within ``window_s`` of each other.

    TLJH's CPU rule is concurrent users x CPU per user + 20 % of one core; here the CPU per user is the measured
    CPU time of one start-and-run spread over the window in which a workshop's trainees all start ("now open
    module 1"), and never fewer than two cores.
    """
    if trainees < 1 or cpu_seconds_per_start < 0 or window_s <= 0:
        raise ValueError("trainees, CPU time and window should be positive")
    return max(MIN_CORES, math.ceil(trainees * cpu_seconds_per_start / window_s + CPU_OVERHEAD_CORES))


def capacity_rows(peak_mb: float, cpu_seconds_per_start: float, sizes: tuple[int, ...] = WORKSHOP_SIZES,
                  window_s: float = START_WINDOW_S) -> list[dict[str, int]]:
    """One row per workshop size: trainees, per-trainee limit, server RAM (MB) and cores."""
    limit = memory_limit_mb(peak_mb)
    return [{"trainees": n, "limit_mb": limit, "ram_mb": server_ram_mb(n, limit),
             "cores": server_cores(n, cpu_seconds_per_start, window_s)} for n in sizes]


def capacity_table(peak_mb: float, cpu_seconds_per_start: float, sizes: tuple[int, ...] = WORKSHOP_SIZES,
                   window_s: float = START_WINDOW_S) -> str:
    """The workshop guide's sizing table (Markdown), from the measured figures."""
    lines = ["| Trainees at once | Memory limit per trainee | Server RAM (TLJH rule) | Cores |", "|---:|---:|---:|---:|"]
    for row in capacity_rows(peak_mb, cpu_seconds_per_start, sizes, window_s):
        lines.append(f"| {row['trainees']} | {row['limit_mb']} MB | {row['ram_mb'] / 1024:.1f} GB "
                     f"({row['ram_mb']} MB) | {row['cores']} |")
    return "\n".join(lines)


def _student_edition(args: argparse.Namespace) -> int:
    from course.edition import build

    edition = build(find_root(), Path(args.dir), branch=args.branch)
    print(f"wrote the student edition to {edition.path}: {len(edition.files)} files, "
          f"modules {', '.join(edition.modules) or 'none'}; leak scan clean")
    if edition.commit:
        print(f"committed on branch {edition.branch} as {edition.commit[:12]}; publish it with "
              f"`git -C {edition.path} push <remote> {edition.branch}`")
    return 0


def _hub_link(args: argparse.Namespace) -> int:
    if args.module:
        try:
            root = find_root()
        except CourseError:
            root = None  # outside a course folder the module name is only checked for its shape
        if root is not None and not (root / "exercises" / args.module).is_dir():
            raise ValueError(f"module {args.module!r} is not in {root / 'exercises'}")
    print(hub_link(args.hub, args.repo, args.module, branch=args.branch, app=args.app, targetpath=args.targetpath))
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `student-edition` and `hub-link` to the `course` command's subparsers."""
    edition = subparsers.add_parser("student-edition", help="write the trainee-facing tree a workshop host publishes")
    edition.add_argument("dir", metavar="DIR", help="folder to write (new, empty, or an earlier edition)")
    edition.add_argument("--branch", metavar="NAME", default=None,
                         help=f"also commit it as git branch NAME in DIR (e.g. {DEFAULT_BRANCH})")
    edition.set_defaults(run=_student_edition)
    link = subparsers.add_parser("hub-link", help="print the nbgitpuller link that opens a module on a hub")
    link.add_argument("hub", metavar="HUB", help="the hub's URL, e.g. https://hub.example.org")
    link.add_argument("repo", metavar="REPO", help="the published student edition, e.g. https://github.com/org/course")
    link.add_argument("module", metavar="MODULE", nargs="?", default=None, help="module folder, e.g. m01-singles-day")
    link.add_argument("--branch", default=DEFAULT_BRANCH, help=f"branch of REPO (default: {DEFAULT_BRANCH})")
    link.add_argument("--app", choices=("lab", "notebook"), default="lab", help="open in JupyterLab (default) or Notebook")
    link.add_argument("--targetpath", default=None, help="folder in the trainee's home (default: REPO's name)")
    link.set_defaults(run=_hub_link)
