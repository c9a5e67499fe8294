"""Workshops on JupyterHub: one-click nbgitpuller links, and the `course` commands for hosts.

    course student-edition DIR [--branch NAME] [--lang id]   write the trainee-facing tree (see course.edition)
    course hub-link HUB REPO [MODULE] [--lang id]            print the nbgitpuller link that opens MODULE

The Indonesian edition (``--lang id``) is published on the branch ``student-id`` and cloned into
``<repo>-id/`` in the trainee's home, beside the English one in ``<repo>/``, so the two never meet.

A link is only built, never fetched: nbgitpuller on the trainee's server does the pulling.
The memory and CPU sizing of a workshop hub is in course.sizing.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import quote, urlsplit

from course.edition import DEFAULT_BRANCH, FOLDERS, branch_for, build, language_of
from course.i18n import DEFAULT_LANGUAGE
from course.nbgrader_api import MODULE_PATTERN, CourseError, find_root


def hub_link(hub_url: str, repo: str, module: str | None = None, branch: str | None = None,
             app: str = "lab", targetpath: str | None = None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The nbgitpuller link that clones (or updates) the ``lang`` edition of ``repo`` and opens ``module``.

    The branch defaults to the language's (``student``, ``student-id``); the Indonesian edition goes into
    ``<repo>-id`` (nbgitpuller's ``targetpath``) unless ``targetpath`` is given, and opens from exercises-id/.

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
    release = FOLDERS[language_of(lang)][1]
    branch = branch_for(lang) if branch is None else branch
    if not branch or any(c.isspace() for c in branch):
        raise ValueError(f"branch {branch!r} is not a branch name")
    if targetpath is None and lang != DEFAULT_LANGUAGE:
        name = repo.rstrip("/").split("/")[-1]
        targetpath = f"{name.removesuffix('.git')}-{lang}"
    folder = targetpath or repo.rstrip("/").split("/")[-1]  # nbgitpuller's own default target folder
    path = f"{folder}/{release}/{module}/{module}.ipynb" if module else f"{folder}/{release}"
    urlpath = "lab/tree/" + path if app == "lab" else ("notebooks/" if module else "tree/") + path
    query = [("repo", repo), ("urlpath", urlpath), ("branch", branch)]
    if targetpath:
        query.append(("targetpath", targetpath))
    encoded = "&".join(f"{key}={quote(value, safe='')}" for key, value in query)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{encoded}"


def _student_edition(args: argparse.Namespace) -> int:
    edition = build(find_root(), Path(args.dir), branch=args.branch, lang=args.lang)
    print(f"wrote the student edition ({edition.lang}) to {edition.path}: {len(edition.files)} files, "
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
        release = root / FOLDERS[language_of(args.lang)][1] if root is not None else None
        if release is not None and not (release / args.module).is_dir():
            raise ValueError(f"module {args.module!r} is not in {release}")
    print(hub_link(args.hub, args.repo, args.module, branch=args.branch, app=args.app, targetpath=args.targetpath,
                   lang=args.lang))
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `student-edition` and `hub-link` to the `course` command's subparsers."""
    edition = subparsers.add_parser("student-edition", help="write the trainee-facing tree a workshop host publishes")
    edition.add_argument("dir", metavar="DIR", help="folder to write (new, empty, or an earlier edition)")
    edition.add_argument("--branch", metavar="NAME", default=None,
                         help=f"also commit it as git branch NAME in DIR (e.g. {DEFAULT_BRANCH}, "
                              f"{branch_for('id')} for --lang id)")
    edition.add_argument("--lang", choices=tuple(FOLDERS), default=DEFAULT_LANGUAGE,
                         help="the edition's language: en (exercises/, default) or id (exercises-id/, "
                              "Indonesian README)")
    edition.set_defaults(run=_student_edition)
    link = subparsers.add_parser("hub-link", help="print the nbgitpuller link that opens a module on a hub")
    link.add_argument("hub", metavar="HUB", help="the hub's URL, e.g. https://hub.example.org")
    link.add_argument("repo", metavar="REPO", help="the published student edition, e.g. https://github.com/org/course")
    link.add_argument("module", metavar="MODULE", nargs="?", default=None, help="module folder, e.g. m01-singles-day")
    link.add_argument("--branch", default=None,
                      help=f"branch of REPO (default: {DEFAULT_BRANCH}, or {branch_for('id')} with --lang id)")
    link.add_argument("--lang", choices=tuple(FOLDERS), default=DEFAULT_LANGUAGE,
                      help="open the edition in this language: en (default) or id (exercises-id/ from the "
                           f"{branch_for('id')} branch, in REPO-id/)")
    link.add_argument("--app", choices=("lab", "notebook"), default="lab",
                      help="open in JupyterLab (default) or Notebook")
    link.add_argument("--targetpath", default=None,
                      help="folder in the trainee's home (default: REPO's name, REPO-id for --lang id)")
    link.set_defaults(run=_hub_link)
