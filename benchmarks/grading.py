"""Benchmark: stock `nbgrader autograde` against `course grade` on one synthetic cohort.

It builds a throw-away course (m00 and m01 by default), a cohort of submissions across
the modules (full solutions, partial ones, untouched releases and a few hostile ones:
an endless loop, os._exit, invalid JSON), and grades the same files twice, one after the
other, each into its own copy of the gradebook:

  stock    `nbgrader autograde MODULE` then `nbgrader generate_feedback MODULE`, per module
  course   `course grade MODULE ... --jobs N` (autograde, record, feedback)

Both use the same cell timeout. It checks that every ordinary submission gets the same
autograded points from both (a hostile one may differ: the difference is printed), and
prints wall times, the ratio (target >= 2.2x on 2 cores), the CPU each spent per submission
(core-seconds of the grader and every process it started: workers, kernels), seconds per
submission, and the per-notebook floor: an empty notebook's kernel start and run, bare, in
the course's sandbox started cold, and started by a warm kernel server (as `course grade`'s
workers do as root). ``--course-only`` skips stock nbgrader (for the larger cohorts,
where only the growth of the cost per submission is wanted).

    python benchmarks/grading.py [--per-module 30] [--jobs N] [--timeout 10] [--course-only] [MODULE ...]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "double-eleven"
HOSTILE = ("hostile-loop", "hostile-exit", "hostile-json")


def notebook(course: Path, folder: str, module: str) -> dict:
    return json.loads((course / folder / module / f"{module}.ipynb").read_text(encoding="utf-8"))


def answer_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")]


def cohort(course: Path, modules: list[str], per_module: int) -> dict[tuple[str, str], str]:
    """Write the submissions; return {(module, student): kind}."""
    kinds = {}
    for module in modules:
        full, release = notebook(course, "solutions", module), notebook(course, "exercises", module)
        stubs = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in answer_cells(release)}
        plan = ["hostile-loop", "hostile-exit", "hostile-json"] + ["empty"] * max(1, per_module // 6)
        plan += ["partial"] * max(1, per_module // 3)
        plan += ["full"] * (per_module - len(plan))
        for number, kind in enumerate(plan):
            student = f"{kind}-{number:02d}"
            target = course / "submitted" / student / module
            target.mkdir(parents=True, exist_ok=True)
            nb = copy.deepcopy(release if kind == "empty" else full)
            answers = answer_cells(nb)
            if kind == "partial":  # every other answer left as released
                for cell in answers[number % 2::2]:
                    cell["source"] = stubs[cell["metadata"]["nbgrader"]["grade_id"]]
            elif kind == "hostile-loop":
                answers[-1]["source"] += "\nwhile True:\n    pass"
            elif kind == "hostile-exit":
                answers[1]["source"] = "import os\nos._exit(1)"
            text = json.dumps(nb, indent=1)
            if kind == "hostile-json":
                text = text[: len(text) // 2]
            (target / f"{module}.ipynb").write_text(text, encoding="utf-8")
            kinds[module, student] = kind
    return kinds


def copy_course(source: Path, name: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix=f"course-bench-{name}-"))
    target.chmod(0o755)
    for entry in ("nbgrader_config.py", "gradebook.db"):
        shutil.copy2(source / entry, target / entry)
    for folder in ("solutions", "exercises", "submitted"):
        shutil.copytree(source / folder, target / folder)
    return target


def scores(course: Path, modules: list[str]) -> dict[tuple[str, str], float | None]:
    """Autograded points per (module, student) in a course's gradebook (None: no score recorded)."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for module in modules:
            for submission in gradebook.find_assignment(module).submissions:
                grades = [g for nb in submission.notebooks for g in nb.grades if g.cell_type == "code"]
                found[module, submission.student_id] = None if all(g.auto_score is None for g in grades) \
                    else sum(g.auto_score or 0 for g in grades)
    return found


CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def run(command: list[str], cwd: Path, log: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds of the command and every process it started.

    Its output goes to ``log`` (and its errors to ``log`` with the suffix .stderr), or nowhere.

    The CPU is read from a cgroup of its own (cgroup v1 cpuacct, as root): kernels killed at
    shutdown are never waited for, so the children's rusage would miss them.
    """
    group = CPUACCT / f"course-bench-{os.getpid()}-{time.time_ns()}"
    group.mkdir()
    started = time.perf_counter()
    with open(log or os.devnull, "w", encoding="utf-8") as output, \
            open(log.with_suffix(".stderr") if log else os.devnull, "w", encoding="utf-8") as errors:
        subprocess.run(command, cwd=cwd, stdout=output, stderr=errors, check=False,
                       preexec_fn=lambda: (group / "cgroup.procs").write_text(str(os.getpid())))
    wall = time.perf_counter() - started
    for _ in range(100):  # processes killed at the end may take a moment to leave
        if not (group / "cgroup.procs").read_text().strip():
            break
        time.sleep(0.1)
    cpu = int((group / "cpuacct.usage").read_text()) / 1e9
    group.rmdir()
    return wall, cpu


def floor(repeat: int = 3) -> tuple[float, float, float | None]:
    """Median seconds to start a kernel and run an empty notebook: bare, in the course's sandbox started cold,
    and started by a warm kernel server (None where kernels get no namespaces, so no server)."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    from course.grading import sandbox
    from course.grading.execute import GuardedExecute

    empty = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                               "language": "python"}})
    empty.cells.append(nbformat.v4.new_code_cell("pass"))
    work = Path(tempfile.mkdtemp(prefix="course-bench-floor-"))
    work.chmod(0o755)
    config = Config()
    account, lock = sandbox.claim_account() if sandbox.is_root() else (None, None)  # an account of its own
    prepared = sandbox.prepare(sandbox.Limits(), sandbox.ACCOUNT_PREFIX, str(work), account=account)
    config.SandboxKernelManager.sandbox = prepared.to_dict()
    config.SandboxKernelManager.home_root = {"path": str(work)}
    scratch = work / "scratch"
    scratch.mkdir(mode=0o700)
    prepared.seed = sandbox.warm_caches(scratch)
    server = sandbox.start_warm_server(prepared, scratch)
    warm_config = copy.deepcopy(config)
    warm_config.SandboxKernelManager.sandbox = prepared.to_dict()
    bare, boxed, warm = [], [], []
    quiet, saved = os.open(os.devnull, os.O_WRONLY), os.dup(2)  # kernels' start-up warnings
    os.dup2(quiet, 2)
    for _ in range(repeat):
        started = time.perf_counter()
        NotebookClient(copy.deepcopy(empty), kernel_name="python3").execute()
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        GuardedExecute(config=config).preprocess(copy.deepcopy(empty), {"metadata": {"path": str(work)},
                                                                          "nbgrader": {"notebook": "empty"}})
        boxed.append(time.perf_counter() - started)
        if server is not None:
            started = time.perf_counter()
            GuardedExecute(config=warm_config).preprocess(copy.deepcopy(empty), {"metadata": {"path": str(work)},
                                                                                   "nbgrader": {"notebook": "empty"}})
            warm.append(time.perf_counter() - started)
    os.dup2(saved, 2)
    if server is not None:
        server.close()
    sandbox.kill_account_processes(prepared.account)
    if lock is not None:
        lock.close()
    shutil.rmtree(work, ignore_errors=True)
    return statistics.median(bare), statistics.median(boxed), statistics.median(warm) if warm else None


def capacity_table(core_seconds: float, cohorts: tuple[int, ...] = (60, 240, 960, 5000),
                   minutes: tuple[int, ...] = (10, 30, 60)) -> str:
    """Markdown: cores needed to grade N submissions in T minutes at ``core_seconds`` each (whole cores, up)."""
    import math

    head = "| submissions | " + " | ".join(f"in {t} min" for t in minutes) + " |"
    rows = [head, "| --- |" + " --- |" * len(minutes)]
    for count in cohorts:
        needed = [math.ceil(count * core_seconds / (t * 60)) for t in minutes]
        rows.append(f"| {count} | " + " | ".join(f"{n} core" + ("s" if n != 1 else "") for n in needed) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=["m00-orientation", "m01-singles-day"])
    parser.add_argument("--per-module", type=int, default=30, help="submissions per module (default 30)")
    parser.add_argument("--jobs", type=int, default=None, help="course grade --jobs (default: cores)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds a cell may run, both graders")
    parser.add_argument("--course-only", action="store_true", help="grade with course grade only")
    args = parser.parse_args(argv)
    if not (CPUACCT / "cgroup.procs").is_file() or not os.access(CPUACCT, os.W_OK):
        parser.error(f"measuring CPU needs a writable cgroup v1 cpuacct hierarchy at {CPUACCT} (run as root)")

    from course.build import generate
    from course.nbgrader_api import _tools_on_path

    _tools_on_path()
    base = Path(tempfile.mkdtemp(prefix="course-bench-base-"))
    base.chmod(0o755)
    shutil.copy2(ROOT / "nbgrader_config.py", base)
    for module in args.modules:
        shutil.copytree(ROOT / "solutions" / module, base / "solutions" / module)
    generate(base, args.modules, db_url=f"sqlite:///{base / 'gradebook.db'}")
    kinds = cohort(base, args.modules, args.per_module)
    stock, ours = copy_course(base, "stock"), copy_course(base, "course")
    print(f"cohort: {len(kinds)} submissions in {', '.join(args.modules)} "
          f"({sum(k == 'full' for k in kinds.values())} full, {sum(k == 'partial' for k in kinds.values())} "
          f"partial, {sum(k == 'empty' for k in kinds.values())} untouched, "
          f"{sum(k in HOSTILE for k in kinds.values())} hostile); cell timeout {args.timeout} s; "
          f"{os.cpu_count()} cores", flush=True)

    bin_dir = Path(sys.executable).parent
    nbgrader = [str(bin_dir / "nbgrader")] if (bin_dir / "nbgrader").exists() else [sys.executable, "-m", "nbgrader"]
    stock_autograde = stock_feedback = stock_cpu = 0.0
    if not args.course_only:
        for module in args.modules:
            wall, cpu = run([*nbgrader, "autograde", module, "--force", f"--Execute.timeout={args.timeout}"], stock)
            stock_autograde, stock_cpu = stock_autograde + wall, stock_cpu + cpu
            wall, cpu = run([*nbgrader, "generate_feedback", module, "--force"], stock)
            stock_feedback, stock_cpu = stock_feedback + wall, stock_cpu + cpu
        print(f"stock nbgrader: autograde {stock_autograde:.1f} s + feedback {stock_feedback:.1f} s, "
              f"{stock_cpu:.1f} core-s (load average now {os.getloadavg()[0]:.1f})", flush=True)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    course_log = base / "course-grade.log"
    course_wall, course_cpu = run([sys.executable, "-m", "course", "grade", *args.modules, *jobs,
                                   "--timeout", str(args.timeout), "--quiet"], ours, course_log)
    print(f"course grade: {course_wall:.1f} s, {course_cpu:.1f} core-s (load average now "
          f"{os.getloadavg()[0]:.1f}; other work on the machine skews both figures)", flush=True)

    after = scores(ours, args.modules)
    before = after if args.course_only else scores(stock, args.modules)
    mismatches, hostile = [], []
    for key, kind in sorted(kinds.items()):
        pair = (before.get(key), after.get(key))
        if kind in HOSTILE:
            hostile.append((key, kind, pair))
        elif pair[0] != pair[1] or pair[1] is None:
            mismatches.append((key, kind, pair))
    if not args.course_only:
        for (module, student), _kind, (old, new) in hostile:
            print(f"  hostile {module}/{student}: stock {old if old is not None else 'no score (dropped)'}, "
                  f"course grade {new}")
    bare, boxed, warm = floor()
    count = len(kinds)
    print()
    print(f"{'submissions':<40}{count:>10}")
    if not args.course_only:
        stock_total = stock_autograde + stock_feedback
        print(f"{'stock autograde + feedback (s)':<40}{stock_total:>10.1f}")
        print(f"{'stock core-seconds per submission':<40}{stock_cpu / count:>10.2f}")
    print(f"{'course grade, same work (s)':<40}{course_wall:>10.1f}")
    print(f"{'course grade seconds per submission':<40}{course_wall / count:>10.2f}")
    print(f"{'course grade core-seconds per submission':<40}{course_cpu / count:>10.2f}")
    if not args.course_only:
        print(f"{'speed-up (target >= 2.2x on 2 cores)':<40}{stock_total / course_wall:>9.2f}x")
    print(f"{'floor: empty notebook, bare (s)':<40}{bare:>10.2f}")
    print(f"{'floor: empty notebook, sandbox (s)':<40}{boxed:>10.2f}")
    if warm is not None:
        print(f"{'floor: empty notebook, warm sandbox (s)':<40}{warm:>10.2f}")
    print(f"{'ordinary submissions, same score':<40}{count - len(hostile) - len(mismatches):>10}")
    print()
    print(f"capacity at {course_cpu / count:.2f} core-seconds per submission (course grade):")
    print(capacity_table(course_cpu / count))
    for (module, student), kind, (old, new) in mismatches:
        print(f"  MISMATCH {module}/{student} ({kind}): stock {old}, course grade {new}")
    if mismatches:  # what course grade said about them (statuses and reasons) and its last errors
        print("course grade's summary:", course_log.read_text(encoding="utf-8"), "its last errors:",
              *course_log.with_suffix(".stderr").read_text(encoding="utf-8").splitlines()[-15:], sep="\n")
    for folder in (base, stock, ours):
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
