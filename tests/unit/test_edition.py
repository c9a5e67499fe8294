"""The student edition holds what trainees need and nothing else; a planted leak stops it; hub links and sizing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from course import leaks
from course.edition import GITIGNORE, INSTRUCTOR_ONLY, TRAINEE_RUNTIME, build, check, package_files, readme
from course.hub import hub_link
from course.i18n import catalog
from course.nbgrader_api import CourseError, modules
from course.sizing import capacity_rows, memory_limit_mb, server_cores, server_ram_mb

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())


@pytest.fixture
def course_tree(tmp_path: Path) -> Path:
    """A copy of everything an edition is built from (the course's own files stay untouched)."""
    copy = tmp_path / "course-src"
    copy.mkdir()
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
    for name in ("exercises", "solutions", "exercises-id", "solutions-id", "course", "datasets", "binder"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    for name in ("nbgrader_config.py", "pyproject.toml", "constraints.txt", "LICENSE.md"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


def git(path: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True, text=True).stdout.strip()


def test_edition_holds_the_trainee_parts_and_no_instructor_parts(tmp_path):
    edition = build(ROOT, tmp_path / "edition")
    tree = edition.path
    assert edition.modules == MODULES
    assert sorted(p.name for p in (tree / "exercises").iterdir()) == MODULES
    for part in ("course/__init__.py", "course/data.py", "datasets/datapackage.json", "binder/requirements.txt",
                 "binder/postBuild", "binder/remove-slow-extras.sh", "pyproject.toml", "constraints.txt", "LICENSE.md",
                 "README.md", ".gitignore"):
        assert (tree / part).is_file(), part
    for absent in ("solutions", "tests", "nbgrader_config.py", "gradebook.db", "docs", "deploy", "benchmarks", ".ci"):
        assert not (tree / absent).exists(), absent
    assert not list(tree.rglob("__pycache__")) and not list(tree.rglob(".ipynb_checkpoints"))
    assert check(tree, ROOT / "solutions") == []


def test_the_editions_package_is_the_trainee_runtime_and_holds_no_instructor_module(tmp_path):
    tree = build(ROOT, tmp_path / "edition").path
    runtime = [rel for rel in package_files(ROOT / "course")
               if any(rel == part or (part.endswith("/") and rel.startswith(part)) for part in TRAINEE_RUNTIME)]
    assert package_files(tree / "course") == runtime
    for part in ("checks.py", "data.py", "widgets/page.py", "calculators/peak_day.py", "apps/supply.ipynb",
                 "apps/template/index.html.j2", "lab_config/labconfig/page_config.json", "messages/checks.toml"):
        assert (tree / "course" / part).is_file(), part
    for part in INSTRUCTOR_ONLY:
        assert not (tree / "course" / part).exists(), part
    for module in ("grading/sandbox.py", "verify.py", "edition.py", "hub.py", "leaks.py", "nbgrader_api.py"):
        assert not (tree / "course" / module).exists(), module
    # an instructor module put into an edition by hand is a problem of the edition
    shutil.copy2(ROOT / "course" / "verify.py", tree / "course" / "verify.py")
    assert check(tree, ROOT / "solutions") == [
        "course/verify.py is not part of the trainee runtime (course.edition.TRAINEE_RUNTIME) and must not be in a "
        "student edition"]


def test_trainee_readme_lists_every_module_and_explains_validate_and_updates(tmp_path):
    readme = (build(ROOT, tmp_path / "edition").path / "README.md").read_text()
    for module in MODULES:
        assert f"| {module} |" in readme
    assert "Validate" in readme and "Click the link again" in readme
    assert "solution" not in readme.lower()


def test_trainee_readme_is_the_template_with_one_row_per_module_written_as_given():
    text = readme({"m01-singles-day": ("Module 1 · Singles' Day", "60 min"),
                   "m02-costs": ("Costs & margins <draft>", "")})
    rows = [line for line in text.splitlines() if line.startswith("| m0")]
    # Markdown, not HTML: nothing is escaped, and the table has exactly one row per module, in order
    assert rows == ["| m01-singles-day | Module 1 · Singles' Day | 60 min |",
                    "| m02-costs | Costs & margins <draft> |  |"]
    assert text.startswith("# Double Eleven: the trainee edition\n") and text.endswith("See LICENSE.md.\n")
    assert "{{" not in text and "{%" not in text


def test_one_region_parser_gives_each_line_its_kind():
    source = "\n".join(["x = 1", "### BEGIN SOLUTION", "answer = 42", "### END SOLUTION",
                        "### BEGIN HIDDEN TESTS", "assert answer == 42", "### END HIDDEN TESTS",
                        "=== BEGIN MARK SCHEME ===", "One point for the reason.", "=== END MARK SCHEME ==="])
    assert list(leaks.regions(source, {})) == [("public", "x = 1"), ("solution", "answer = 42"),
                                                ("hidden tests", "assert answer == 42"),
                                                ("mark scheme", "One point for the reason.")]
    # a solution cell without markers is a secret as a whole
    assert list(leaks.regions("total = 3 * 4\nprint(total)", {"solution": True})) == [
        ("solution", "total = 3 * 4"), ("solution", "print(total)")]


def test_secrets_can_be_asked_for_by_kind():
    everything = leaks.secrets(ROOT / "solutions")
    tests_only = leaks.secrets(ROOT / "solutions", kinds=("hidden tests",))
    assert tests_only and set(tests_only) < set(everything)
    assert any(line.startswith("assert") for line in tests_only)
    with pytest.raises(ValueError, match="unknown region kind"):
        leaks.secrets(ROOT / "solutions", kinds=("answers",))


LEAKS = {
    "hidden test in a notebook": ("exercises/m01-singles-day/m01-singles-day.ipynb", "notebook",
                                  "assert growth_2018 == 0.269"),
    "solution code in a data note": ("datasets/NOTES.md", "text",
                                     'gmv_2018 = gmv.loc[gmv["year"] == 2018, "gmv_rmb_bn"].iloc[0]'),
    "a marker in the binder set-up": ("binder/notes.txt", "text", "### BEGIN SOLUTION"),
    "hidden test in the package": ("course/checks.py", "append", "assert growth_2018 == 0.269"),
    "a gradebook": ("exercises/gradebook.db", "text", "SQLite format 3"),
    "solutions inside the package": ("course/widgets/solutions/m01.md", "text", "nothing secret"),
}


@pytest.mark.parametrize("kind", sorted(LEAKS))
def test_a_planted_leak_stops_the_edition_and_nothing_is_committed(course_tree, tmp_path, kind):
    rel, how, text = LEAKS[kind]
    target = course_tree / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if how == "notebook":
        nb = json.loads(target.read_text())
        nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]) + "\n" + text
        target.write_text(json.dumps(nb))
    elif how == "append":
        target.write_text(target.read_text() + "\n" + text + "\n")
    else:
        target.write_text(text + "\n")
    with pytest.raises(CourseError, match="would leak") as caught:
        build(course_tree, tmp_path / "edition", branch="student")
    assert Path(rel).name in str(caught.value) or Path(rel).parts[-2] in str(caught.value)
    assert not (tmp_path / "edition" / ".git").exists()


def _solution_line() -> str:
    solution = json.loads((ROOT / "solutions/m01-singles-day/m01-singles-day.ipynb").read_text())
    return next(text.strip() for c in solution["cells"] for text in "".join(c["source"]).splitlines()
                if text.strip().startswith("gmv_2018 = "))


def test_the_whole_package_in_the_edition_is_scanned_and_the_instructors_part_stays_out(course_tree, tmp_path):
    """No exemption for the package: a solution line in trainee runtime code stops the edition; the instructors'
    modules (which name the markers and may hold such lines) are not copied, so they need none."""
    line = _solution_line()
    (course_tree / "course" / "grading" / "extra.py").write_text(f"def f(gmv):\n    {line}\n    return gmv_2018\n")
    edition = build(course_tree, tmp_path / "edition")
    assert not (edition.path / "course" / "grading").exists() and not (edition.path / "course" / "leaks.py").exists()
    assert not leaks.scan(edition.path / "course", course_tree / "solutions")
    (course_tree / "course" / "calculators" / "extra.py").write_text(f"def f(gmv):\n    {line}\n    return gmv_2018\n")
    with pytest.raises(CourseError, match="would leak") as caught:
        build(course_tree, tmp_path / "edition")
    assert "course/calculators/extra.py" in str(caught.value) and "m01-singles-day" in str(caught.value)


def test_a_package_file_in_neither_part_stops_the_edition(course_tree, tmp_path):
    (course_tree / "course" / "notes.md").write_text("where does this go?\n")
    with pytest.raises(CourseError, match="declare each file of course/") as caught:
        build(course_tree, tmp_path / "edition", branch="student")
    assert str(caught.value).endswith(": notes.md")
    assert not (tmp_path / "edition").exists()


def test_branch_is_committed_once_and_a_change_makes_a_new_commit(course_tree, tmp_path):
    first = build(course_tree, tmp_path / "edition", branch="student")
    assert git(first.path, "rev-parse", "--abbrev-ref", "HEAD") == "student"
    assert git(first.path, "status", "--porcelain") == ""
    again = build(course_tree, tmp_path / "edition", branch="student")
    assert again.commit == first.commit
    (course_tree / "datasets" / "NEWS.md").write_text("A new table arrives in module 2.\n")
    changed = build(course_tree, tmp_path / "edition", branch="student")
    assert changed.commit != first.commit
    assert "datasets/NEWS.md" in git(changed.path, "show", "--name-only", "--format=", "HEAD").splitlines()


def test_gitignore_keeps_jupyter_leftovers_out_of_git(course_tree, tmp_path):
    tree = build(course_tree, tmp_path / "edition", branch="student").path
    assert (tree / ".gitignore").read_text() == GITIGNORE
    module = tree / "exercises" / MODULES[0]
    (module / ".ipynb_checkpoints").mkdir()
    (module / ".ipynb_checkpoints" / f"{MODULES[0]}-checkpoint.ipynb").write_text("{}")
    (module / ".nbgrader.log").write_text("log")
    (tree / "course" / "__pycache__").mkdir()
    (tree / "course" / "__pycache__" / "data.cpython-311.pyc").write_bytes(b"\0")
    assert git(tree, "status", "--porcelain") == ""


def test_edition_refuses_a_folder_that_holds_something_else(course_tree, tmp_path):
    other = tmp_path / "someone-elses"
    other.mkdir()
    (other / "thesis.md").write_text("keep me")
    with pytest.raises(CourseError, match="not empty"):
        build(course_tree, other)
    assert (other / "thesis.md").read_text() == "keep me"
    with pytest.raises(CourseError, match="outside the course folder"):
        build(course_tree, course_tree / "edition")


def test_student_edition_and_hub_link_commands(tmp_path):
    def run(*a, cwd=ROOT):
        return subprocess.run([sys.executable, "-m", "course", *a], cwd=cwd, capture_output=True, text=True,
                              timeout=300)
    made = run("student-edition", str(tmp_path / "ed"), "--branch", "student")
    assert made.returncode == 0, made.stderr
    assert "leak scan clean" in made.stdout and "branch student" in made.stdout
    link = run("hub-link", "https://hub.example.org", "https://github.com/org/double-eleven", MODULES[0])
    assert link.returncode == 0 and link.stdout.strip().startswith("https://hub.example.org/hub/user-redirect/git-pull?")
    unknown = run("hub-link", "https://hub.example.org", "https://github.com/org/double-eleven", "m99-nothing")
    assert unknown.returncode == 2 and "m99-nothing" in unknown.stderr


def test_hub_link_is_the_nbgitpuller_link_for_a_module():
    link = hub_link("https://hub.example.org/", "https://github.com/org/double-eleven", "m01-singles-day")
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
    assert query == {"repo": "https://github.com/org/double-eleven", "branch": "student",
                     "urlpath": "lab/tree/double-eleven/exercises/m01-singles-day/m01-singles-day.ipynb"}
    classic = hub_link("https://hub.example.org", "https://github.com/org/d11.git", None, branch="main",
                       app="notebook", targetpath="course")
    query = {k: v[0] for k, v in parse_qs(urlsplit(classic).query).items()}
    assert query == {"repo": "https://github.com/org/d11.git", "branch": "main", "urlpath": "tree/course/exercises",
                     "targetpath": "course"}


@pytest.mark.parametrize("args", [("hub.example.org", "https://x/y"), ("https://hub.example.org", "has space"),
                                  ("https://hub.example.org", "https://x/y", "Module 1"),
                                  ("https://hub.example.org?x=1", "https://x/y")])
def test_hub_link_refuses_bad_input(args):
    with pytest.raises(ValueError):
        hub_link(*args)


def test_sizing_follows_the_littlest_jupyterhub_rule():
    assert memory_limit_mb(286.0) == 384  # 286 x 1.3 = 371.8, rounded up to 64 MB
    assert memory_limit_mb(100.0, headroom=0.2) == 128
    assert server_ram_mb(20, 384) == 20 * 384 + 128
    assert server_cores(100, 4.0) == 7 and server_cores(1, 0.1) == 2
    rows = capacity_rows(286.0, 4.0)
    assert [r["trainees"] for r in rows] == sorted(r["trainees"] for r in rows)
    assert all(r["ram_mb"] == r["trainees"] * r["limit_mb"] + 128 for r in rows)
    with pytest.raises(ValueError):
        memory_limit_mb(-1)
    assert modules(ROOT)  # the course the sizing is for has modules


# ------------------------------------------------------------------ the Indonesian edition (--lang id)

def _headers(release: Path) -> dict[str, str]:
    return {module: "".join(json.loads((release / module / f"{module}.ipynb").read_text())["cells"][0]["source"])
            for module in MODULES}


def test_indonesian_edition_holds_the_indonesian_release_and_an_indonesian_readme(tmp_path):
    edition = build(ROOT, tmp_path / "edition-id", lang="id")
    tree = edition.path
    assert edition.lang == "id" and edition.modules == MODULES
    assert sorted(p.name for p in (tree / "exercises-id").iterdir()) == MODULES
    for module in MODULES:  # the generated Indonesian release, byte for byte
        name = f"{module}/{module}.ipynb"
        assert (tree / "exercises-id" / name).read_bytes() == (ROOT / "exercises-id" / name).read_bytes()
    for absent in ("exercises", "solutions", "solutions-id", "translations", "tests", "nbgrader_config.py"):
        assert not (tree / absent).exists(), absent
    assert (tree / "course" / "messages" / "edition.toml").is_file() and (tree / "binder" / "postBuild").is_file()
    text = (tree / "README.md").read_text()
    assert text.startswith("# Double Eleven: edisi peserta\n") and "Lihat LICENSE.md." in text
    headers = _headers(ROOT / "exercises-id")
    for module in MODULES:  # one row per module with its Indonesian title and time, as the header states them
        row = next(line for line in text.splitlines() if line.startswith(f"| {module} |"))
        title = next(line[2:].strip() for line in headers[module].splitlines() if line.startswith("# "))
        assert row.startswith(f"| {module} | {title} | "), row
        if "**Waktu:**" in headers[module]:  # a translated header (m09's is still English, as exercises-id/ holds it)
            assert "menit" in row, row
    assert sum("**Waktu:**" in header for header in headers.values()) >= 9
    assert "| Folder | Modul | Waktu |" in text and "`exercises-id/<folder>/<folder>.ipynb`" in text
    # the menus the trainee sees are named as JupyterLab shows them, and the README says what stays English
    assert "**Kernel > Demulai Lagi Kernel dan Jalankan Semua Sel…**" in text and "**Validate**" in text
    assert "*Restart Kernel and Run All Cells*" in text and "**Settings > Bahasa**" in text
    assert "tetap\nberbahasa Inggris" in text or "tetap berbahasa Inggris" in text
    # the checks speak the edition's language on their own (course.i18n), Validate too: no COURSE_LANG to set
    assert "COURSE_LANG" not in text
    said = " ".join(text.split())
    assert "juga saat Anda menekan **Validate**, walaupun JupyterLab dibuka dalam bahasa Inggris" in said
    for english in ("How to work", "Click the link again", "The modules", "Open it"):
        assert english not in text
    assert "solution" not in text.lower() and "{" not in text
    assert check(tree, ROOT / "solutions-id") == [] and check(tree, ROOT / "solutions") == []


def test_every_readme_text_is_in_both_languages_and_each_readme_is_whole():
    keys = {key: texts for key, texts in catalog().items() if key.startswith("edition.readme.")}
    assert len(keys) >= 20
    for key, texts in keys.items():
        assert texts.get("en", "").strip() and texts.get("id", "").strip(), key
        assert texts["en"] != texts["id"] or key.endswith("column_folder"), key  # "Folder" is Indonesian too
    modules = {"m01-singles-day": ("Modul 1", "60 menit")}
    english, indonesian = readme(modules, "en"), readme(modules, "id")
    for key, texts in keys.items():  # every text of the catalog reaches the README of its language ...
        if key == "edition.readme.pointer":
            continue
        assert texts["en"].replace("{exercises}", "exercises").split("\n")[0] in english, key
        assert texts["id"].replace("{exercises}", "exercises-id").split("\n")[0] in indonesian, key
    # ... and each README points, in the other language, to the other edition's branch
    assert "*Bahasa Indonesia: kursus ini juga tersedia dalam bahasa Indonesia (cabang `student-id`)" in english
    assert "*English: this course is also published in English (branch `student`)" in indonesian
    assert "cabang" not in indonesian and "(branch `student-id`)" not in english
    with pytest.raises(ValueError, match="fr"):
        readme(modules, "fr")


def test_a_leaked_indonesian_mark_scheme_stops_the_indonesian_edition(course_tree, tmp_path):
    english = set(leaks.secrets(ROOT / "solutions", kinds=("mark scheme",)))
    line = next(text for text in leaks.secrets(ROOT / "solutions-id", kinds=("mark scheme",))
                if text not in english and len(text) > 40)
    target = course_tree / "exercises-id" / "m02-digital-economy" / "NOTES.md"
    target.write_text(line + "\n")
    with pytest.raises(CourseError, match="would leak") as caught:
        build(course_tree, tmp_path / "edition-id", branch="student-id", lang="id")
    assert "NOTES.md" in str(caught.value)
    assert not (tmp_path / "edition-id" / ".git").exists()


def test_an_english_hidden_test_stops_the_indonesian_edition_even_if_solutions_id_lacks_it(course_tree, tmp_path):
    """solutions-id/ may be behind solutions/ (not regenerated yet): the English source is scanned too."""
    secret = "assert round(the_newest_hidden_value, 3) == 0.123  # only in solutions/"
    english = json.loads((course_tree / "solutions/m01-singles-day/m01-singles-day.ipynb").read_text())
    cell = next(c for c in english["cells"] if "### BEGIN HIDDEN TESTS" in "".join(c["source"]))
    cell["source"] = "".join(cell["source"]).replace("### BEGIN HIDDEN TESTS", "### BEGIN HIDDEN TESTS\n" + secret)
    (course_tree / "solutions/m01-singles-day/m01-singles-day.ipynb").write_text(json.dumps(english))
    (course_tree / "exercises-id" / "m01-singles-day" / "notes.py").write_text(secret + "\n")
    with pytest.raises(CourseError, match="would leak") as caught:
        build(course_tree, tmp_path / "edition-id", lang="id")
    assert "notes.py" in str(caught.value)


def test_an_edition_in_an_unknown_language_is_refused_with_the_choices(tmp_path):
    with pytest.raises(ValueError, match=r"'fr'.*en, id"):
        build(ROOT, tmp_path / "edition-fr", lang="fr")
    assert not (tmp_path / "edition-fr").exists()


def test_hub_link_in_indonesian_opens_the_indonesian_release_in_its_own_folder():
    link = hub_link("https://hub.example.org", "https://github.com/org/double-eleven", "m01-singles-day", lang="id")
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert query == {"repo": "https://github.com/org/double-eleven", "branch": "student-id",
                     "targetpath": "double-eleven-id",
                     "urlpath": "lab/tree/double-eleven-id/exercises-id/m01-singles-day/m01-singles-day.ipynb"}
    own = hub_link("https://hub.example.org", "https://github.com/org/d11.git", None, branch="main", app="notebook",
                   targetpath="kursus", lang="id")
    query = {k: v[0] for k, v in parse_qs(urlsplit(own).query).items()}
    assert query == {"repo": "https://github.com/org/d11.git", "branch": "main", "urlpath": "tree/kursus/exercises-id",
                     "targetpath": "kursus"}
    with pytest.raises(ValueError, match="'fr'"):
        hub_link("https://hub.example.org", "https://github.com/org/double-eleven", lang="fr")


def test_student_edition_and_hub_link_commands_in_indonesian(tmp_path):
    def run(*a):
        return subprocess.run([sys.executable, "-m", "course", *a], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
    made = run("student-edition", str(tmp_path / "ed-id"), "--branch", "student-id", "--lang", "id")
    assert made.returncode == 0, made.stderr
    assert "student edition (id)" in made.stdout and "branch student-id" in made.stdout
    assert (tmp_path / "ed-id" / "exercises-id").is_dir() and not (tmp_path / "ed-id" / "exercises").exists()
    assert git(tmp_path / "ed-id", "rev-parse", "--abbrev-ref", "HEAD") == "student-id"
    link = run("hub-link", "https://hub.example.org", "https://github.com/org/double-eleven", MODULES[0],
               "--lang", "id")
    assert link.returncode == 0, link.stderr
    query = {k: v[0] for k, v in parse_qs(urlsplit(link.stdout.strip()).query).items()}
    assert query["branch"] == "student-id" and f"/exercises-id/{MODULES[0]}/" in query["urlpath"]
    wrong = run("student-edition", str(tmp_path / "ed-fr"), "--lang", "fr")
    assert wrong.returncode == 2 and "invalid choice: 'fr'" in wrong.stderr
    default = run("hub-link", "https://hub.example.org", "https://github.com/org/double-eleven", MODULES[0])
    assert "branch=student&" not in default.stdout and default.stdout.strip().endswith("&branch=student")
