"""A workshop on a real JupyterHub: release -> fetch -> run -> submit -> collect -> autograde -> feedback.

The hub (jupyterhub from PyPI, configurable-http-proxy from npm) runs on 127.0.0.1 with the course's TLJH
configuration (deploy/tljh). Every person is a real UNIX account and every server runs as its owner, so
nbgrader's file exchange works, and is checked, with real permissions:

- d11-grader owns the course folder (solutions, gradebook); the formgrader service runs as it, and so do the
  instructor's steps: release and release feedback through course.nbgrader_api, and `course grade --collect`
  (collect, autograde in parallel, feedback);
- d11-instructor may open the formgrader service; trainees may not;
- d11-trainee1 answers everything, d11-trainee2 the first three questions, d11-trainee3 nothing. Each logs in
  on the hub's form, gets a server from the hub's REST API, fetches and submits through nbgrader's server
  extension (the Assignments tab), and runs the notebook over the kernel websocket.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from course.edition import build
from course.hub import hub_link
from tests.support import aio
from tests.support import hub as harness

pytestmark = [pytest.mark.external("jupyterhub"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
MODULE = "m01-singles-day"
NOTEBOOK = f"{MODULE}/{MODULE}.ipynb"
GRADER, INSTRUCTOR = "d11-grader", "d11-instructor"
FULL, PARTIAL, UNTOUCHED = "d11-trainee1", "d11-trainee2", "d11-trainee3"
TRAINEES = [FULL, PARTIAL, UNTOUCHED]
ANSWERS = {FULL: None, PARTIAL: 3, UNTOUCHED: 0}  # how many code answers each fills in (None: all)


@pytest.fixture(scope="module")
def site(hub_can_run):
    hub = harness.HubSite(TRAINEES, [INSTRUCTOR], GRADER)
    try:
        hub.make_course()
        hub.start()
        yield hub
    finally:
        hub.close()


async def _trainee_session(site, name: str, solution: dict) -> dict:
    """One trainee: log in, start a server, fetch, answer, run it in a kernel, submit."""
    trainee = site.person(name)
    await trainee.login()
    await trainee.start_server()
    fetched = await trainee.assignments("fetch", MODULE)
    nb = await trainee.get_notebook(NOTEBOOK)
    answers, filled = harness.answered(nb, solution, ANSWERS[name])
    ran = await trainee.run_notebook(NOTEBOOK, answers)
    saved = await trainee.get_notebook(NOTEBOOK)
    submitted = await trainee.assignments("submit", MODULE)
    listing = await trainee.assignments()
    return {"trainee": trainee, "fetched": fetched, "filled": filled, "ran": ran, "saved": saved,
            "submitted": submitted, "listing": listing}


@pytest.fixture(scope="module")
def cycle(site) -> dict:
    """Run the whole cycle once; the tests below check its parts."""
    release_before = site.grader("release", MODULE)
    release = harness.notebook(ROOT / "exercises" / MODULE / f"{MODULE}.ipynb")
    solution = harness.notebook(ROOT / "solutions" / MODULE / f"{MODULE}.ipynb")

    async def trainees():
        return await asyncio.gather(*(_trainee_session(site, name, solution) for name in TRAINEES))

    sessions = dict(zip(TRAINEES, aio.run(trainees()), strict=True))
    graded = site.course_grade(MODULE)  # `course grade --collect`: collect, autograde, make feedback
    collected = site.grader("collect", MODULE)  # nothing new; lists who submitted
    scores = site.grader("scores", MODULE, *TRAINEES)
    site.grader("release_feedback", MODULE)

    async def feedback():
        out = {}
        for name in TRAINEES:
            trainee = sessions[name]["trainee"]
            await trainee.assignments("fetch_feedback", MODULE)
            folders = (await trainee.api("GET", f"/api/contents/{MODULE}/feedback"))["content"]
            files = [(await trainee.api("GET", f"/api/contents/{quote(f['path'])}"))["content"] for f in folders]
            html = [await trainee.api("GET", f"/api/contents/{quote(item['path'])}?content=1&format=text")
                    for listing in files for item in listing if item["name"].endswith(".html")]
            out[name] = [page["content"] for page in html]
        return out

    return {"release": release, "release_result": release_before, "sessions": sessions, "collected": collected,
            "graded": graded, "scores": scores, "feedback": aio.run(feedback())}


def test_each_trainee_fetched_the_release_in_their_own_server(cycle):
    for name in TRAINEES:
        fetched = cycle["sessions"][name]["fetched"]
        assert fetched["success"], fetched
        mine = [a for a in fetched["value"] if a["assignment_id"] == MODULE and a["status"] == "fetched"]
        assert mine and mine[0]["path"] == MODULE, fetched


def test_answers_ran_in_each_trainees_kernel_and_were_saved(cycle):
    full = cycle["sessions"][FULL]
    errors = [o for c in full["ran"]["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, [e["ename"] + ": " + e["evalue"] for e in errors]
    assert any(c.get("outputs") for c in full["saved"]["cells"]), "the executed notebook was not saved"
    untouched = cycle["sessions"][UNTOUCHED]["ran"]
    raised = {o["ename"] for c in untouched["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"}
    assert "NotImplementedError" in raised  # the release's answer cells fail until answered
    assert len(cycle["sessions"][PARTIAL]["filled"]) == 3


def test_each_submission_was_accepted_and_collected(cycle):
    for name in TRAINEES:
        submitted = cycle["sessions"][name]["submitted"]
        assert submitted["success"], submitted.get("value")
        statuses = {a["status"] for a in cycle["sessions"][name]["listing"]["value"] if a["assignment_id"] == MODULE}
        assert "submitted" in statuses
    assert cycle["collected"]["submitted"] == sorted(TRAINEES)
    assert f"{len(TRAINEES)} submission(s) recorded" in cycle["graded"]  # `course grade` graded all three
    assert all(name in cycle["graded"] for name in TRAINEES)


def _autograde_errors(site, student: str) -> list[str]:
    """The errors in a trainee's autograded notebook, to show why a score is off."""
    path = site.course / "autograded" / student / MODULE / f"{MODULE}.ipynb"
    if not path.is_file():
        return [f"no autograded notebook at {path}"]
    return [f"{o['ename']}: {o['evalue']}" for c in harness.notebook(path)["cells"] for o in c.get("outputs", [])
            if o.get("output_type") == "error"]


def test_autograde_scores_full_partial_and_untouched(site, cycle):
    scores, release = cycle["scores"], cycle["release"]
    maximum = harness.expected_points(release, [c["metadata"]["nbgrader"]["grade_id"]
                                                     for c in release["cells"]
                                                     if c.get("metadata", {}).get("nbgrader", {}).get("solution")
                                                     and c["cell_type"] == "code"])
    partial = harness.expected_points(release, cycle["sessions"][PARTIAL]["filled"])
    assert 0 < partial < maximum
    assert scores[FULL]["code_score"] == scores[FULL]["max_code"] == maximum, _autograde_errors(site, FULL)
    assert scores[PARTIAL]["code_score"] == partial, _autograde_errors(site, PARTIAL)
    assert scores[UNTOUCHED]["code_score"] == 0
    assert all(scores[name]["needs_manual"] >= 1 for name in TRAINEES)  # the written answer waits for a person


def test_each_trainee_fetched_their_own_feedback(cycle):
    scores = cycle["scores"]
    for name in TRAINEES:
        pages = cycle["feedback"][name]
        assert len(pages) == 1, f"{name}: {len(pages)} feedback pages"
        assert f"{MODULE}" in pages[0]
        score = f"{scores[name]['code_score']:.1f}"
        assert f"Score: {score}" in pages[0] or f"{score} /" in pages[0]


PROBE = r"""
import json, os, sys
out = {}
for path in sys.argv[1:]:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        out[path] = "read"
    except PermissionError:
        out[path] = "denied"
    except FileNotFoundError:
        out[path] = "missing"
print(json.dumps(out))
"""


def _probe(site, account: str, paths: list[Path]) -> dict[str, str]:
    result = harness.run_as(site.accounts[account], [sys.executable, "-c", PROBE, *map(str, paths)], timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_trainees_cannot_read_each_other_or_the_solutions(site, cycle):
    home = {name: site.accounts[name].home for name in TRAINEES}
    inbound = site.exchange / "double-eleven" / "inbound"
    theirs = sorted(p for p in inbound.iterdir() if p.name.startswith(FULL + "+"))
    assert theirs, "no submission of the first trainee in the exchange"
    # nbgrader names each submission <student>+<module>+<timestamp>+<random>: unguessable in a folder nobody lists
    assert len(theirs[0].name.split("+")) == 4 and len(theirs[0].name.split("+")[3]) >= 12
    own = [home[PARTIAL] / NOTEBOOK]
    others = [home[FULL] / NOTEBOOK, home[FULL], inbound, site.course,
              site.course / "solutions" / MODULE / f"{MODULE}.ipynb",
              site.course / "submitted" / FULL / MODULE / f"{MODULE}.ipynb", site.course / "gradebook.db",
              site.exchange / "double-eleven" / "feedback"]
    seen = _probe(site, PARTIAL, own + others)
    assert seen[str(own[0])] == "read", seen  # the probe itself works as that trainee
    assert {path: seen[str(path)] for path in others} == dict.fromkeys(others, "denied")
    # the grader account, which owns the course, can read what trainees cannot
    grader_view = _probe(site, GRADER, [site.course / "solutions" / MODULE / f"{MODULE}.ipynb", inbound])
    assert set(grader_view.values()) == {"read"}, grader_view


def test_formgrader_service_opens_for_the_instructor_only_and_can_be_framed(site, cycle):
    async def check():
        instructor, trainee = site.person(INSTRUCTOR), cycle["sessions"][PARTIAL]["trainee"]
        await instructor.login()
        assignments = await instructor.client.json("GET", "/services/double-eleven/formgrader/api/assignments")
        page = await instructor.client.request("GET", "/services/double-eleven/formgrader", expect=(200, 302))
        if page.status_code == 302:  # the formgrader sends you on to its first page
            page = await instructor.client.request("GET", urlsplit(page.headers["Location"]).path)
        denied = await trainee.client.request("GET", "/services/double-eleven/formgrader/api/assignments",
                                              expect=(403,))
        lab = await trainee.client.request("GET", f"{trainee.prefix}/lab")
        return assignments, page, denied, lab

    assignments, page, denied, lab = aio.run(check())
    ours = {a["name"]: a for a in assignments}[MODULE]
    assert ours["status"] == "released" and ours["num_submissions"] == len(TRAINEES)
    # the JupyterHub >= 4.1 fix: the grader service may frame itself (JupyterLab's Formgrader tab is an iframe) ...
    assert "frame-ancestors 'self'" in page.headers.get("Content-Security-Policy", "")
    # ... while trainees' servers keep JupyterHub's default
    assert "frame-ancestors 'none'" in lab.headers.get("Content-Security-Policy", "")
    assert denied.status_code == 403


def test_hub_link_pulls_the_student_edition_and_keeps_the_trainees_edits(site, cycle):
    """`course hub-link` points nbgitpuller at the published edition; a second pull merges cleanly."""
    edition, published = site.dir / "edition", site.published
    build(ROOT, edition, branch="student")
    git = ["git", "-c", "user.name=host", "-c", "user.email=host@example.invalid"]
    subprocess.run([*git, "clone", "-q", "--bare", "--branch", "student", str(edition), str(published)], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(published)], check=True)
    link = hub_link(site.url, str(published), MODULE, branch="student", targetpath="double-eleven")
    query = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
    assert urlsplit(link).path == "/hub/user-redirect/git-pull"
    notebook_path = query["urlpath"].removeprefix("lab/tree/")

    async def pull_edit_pull():
        trainee = cycle["sessions"][UNTOUCHED]["trainee"]
        await trainee.git_pull(query["repo"], query["branch"], query["targetpath"])
        first = await trainee.get_notebook(notebook_path)
        first["cells"][0]["source"] = "My notes: start here.\n" + "".join(first["cells"][0]["source"])
        await trainee.put_notebook(notebook_path, first)
        (edition / "NEWS.md").write_text("Module 2 arrives tomorrow.\n")
        for step in (["add", "NEWS.md"], ["commit", "-q", "-m", "news"], ["push", "-q", str(published), "student"]):
            subprocess.run([*git, "-C", str(edition), *step], check=True, capture_output=True)
        subprocess.run(["chmod", "-R", "a+rX", str(published)], check=True)
        await trainee.git_pull(query["repo"], query["branch"], query["targetpath"])
        second = await trainee.get_notebook(notebook_path)
        news = await trainee.exists("double-eleven/NEWS.md")
        return second, news

    second, news = aio.run(pull_edit_pull())
    assert "".join(second["cells"][0]["source"]).startswith("My notes: start here.")
    assert news
