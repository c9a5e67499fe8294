"""Capacity planning: per-trainee memory and start time on a real JupyterHub, and the workshop sizing table.

    sudo .venv/bin/python -m benchmarks.hub_capacity [--trainees 3] [--write]

Run it from the checkout's root (it uses the hub helpers in tests/support/hub).

1. One trainee runs every module (answers filled in from solutions/) in a fresh kernel; the heaviest module is
   the one whose server plus kernel reaches the highest peak memory.
2. Then each of N trainees, one after another (so the figures are not disturbed by each other), logs in, has the
   hub start a server (timed; its memory measured idle), runs the heaviest module and then, with that notebook
   still open, the next heaviest (a trainee who moves on without closing the last module: two kernels), sampling
   the peak memory (RSS and PSS of server plus kernels) and the CPU time used.

Memory is read from /proc through psutil for every process of the trainee's UNIX account. RSS counts shared
libraries in full (what a lone trainee's cgroup limit may be charged); PSS shares them out (closer to what many
trainees cost together). The limits use RSS. With --write the figures go to deploy/capacity.json, from which
docs/workshops.md's table and the memory limits of deploy/tljh/config.yaml and deploy/z2jh/values.yaml are
derived (tests/unit/test_deploy_files.py checks that they agree).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import math
import os
import statistics
import sys

from course.sizing import LIMIT_STEP_MB, capacity_table, memory_limit_mb

try:
    from tests.support import hub
    from tests.support.hub.machine import ROOT
except ModuleNotFoundError as error:  # run as a script, the checkout's root is not on the path
    raise SystemExit(f"{error}: run it from the checkout's root as `python -m benchmarks.hub_capacity`") from error

CAPACITY_FILE = ROOT / "deploy" / "capacity.json"


def modules() -> list[str]:
    """Modules with both a release and a solution notebook."""
    return sorted(p.name for p in (ROOT / "exercises").iterdir()
                  if (p / f"{p.name}.ipynb").is_file() and (ROOT / "solutions" / p.name / f"{p.name}.ipynb").is_file())


def filled(module: str) -> dict:
    release = hub.notebook(ROOT / "exercises" / module / f"{module}.ipynb")
    solution = hub.notebook(ROOT / "solutions" / module / f"{module}.ipynb")
    return hub.answered(release, solution)[0]


async def _arrive(person: hub.Trainee) -> None:
    await person.login()
    await person.start_server()


async def _run(person: hub.Trainee, module: str, nb: dict, keep_kernel: bool) -> None:
    await person.put_notebook(f"{module}.ipynb", nb)
    await person.run_notebook(f"{module}.ipynb", json.loads(json.dumps(nb)), keep_kernel=keep_kernel)


def measure(trainees: int = 3) -> dict:
    """Run both steps; return the figures (MB, seconds)."""
    reason = hub.missing()
    if reason:
        raise RuntimeError(f"the capacity benchmark cannot run here: {reason}")
    names = [f"d11-cap{i:02d}" for i in range(1, trainees + 1)]
    site = hub.HubSite(names, formgrader=False)
    try:
        site.start()
        uid = {n: site.accounts[n].uid for n in names}
        # step 1: which module is heaviest
        per_module: dict[str, float] = {}
        scout = site.person(names[0])

        asyncio.run(_arrive(scout))
        for module in modules():
            with hub.Sampler({uid[names[0]]: names[0]}, interval=0.2) as sampler:
                asyncio.run(_run(scout, module, filled(module), keep_kernel=False))
            per_module[module] = round(sampler.usage[names[0]].peak_rss_mb, 1)
        heaviest, second = sorted(per_module, key=per_module.get, reverse=True)[:2]
        asyncio.run(scout.stop_server())
        hub.end_processes(hub.account_processes([uid[names[0]]]))
        # step 2: each trainee alone, start then the heaviest module
        rows = []
        nb, nb2 = filled(heaviest), filled(second)
        for name in names:
            person = site.person(name)
            with hub.Sampler({uid[name]: name}, interval=0.2) as sampler:
                asyncio.run(_arrive(person))
                idle = sampler.sample()[name]
                asyncio.run(_run(person, heaviest, nb, keep_kernel=True))
                one = sampler.sample()[name]
                run_s = person.timings.run
                asyncio.run(_run(person, second, nb2, keep_kernel=True))
            usage = sampler.usage[name]
            rows.append({"trainee": name, "server_start_s": round(person.timings.server, 2),
                         "idle_server_rss_mb": round(idle.peak_rss_mb, 1),
                         "idle_server_pss_mb": round(idle.peak_pss_mb, 1),
                         "one_notebook_rss_mb": round(one.peak_rss_mb, 1), "cpu_s": round(one.cpu_s, 2),
                         "peak_rss_mb": round(usage.peak_rss_mb, 1), "peak_pss_mb": round(usage.peak_pss_mb, 1),
                         "run_s": round(run_s, 2)})
        import jupyterhub
    finally:
        site.close()
    peak_rss = max(r["peak_rss_mb"] for r in rows)
    starts = [r["server_start_s"] for r in rows]
    return {
        "measured": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {_ram_gib()} GiB RAM",
        "jupyterhub": jupyterhub.__version__,
        "modules_peak_rss_mb": per_module,
        "heaviest_module": heaviest,
        "second_module": second,
        "one_notebook_rss_mb": max(r["one_notebook_rss_mb"] for r in rows),
        "trainees": rows,
        "idle_server_rss_mb": max(r["idle_server_rss_mb"] for r in rows),
        "peak_rss_mb": peak_rss,
        "peak_pss_mb": max(r["peak_pss_mb"] for r in rows),
        "server_start_s": {"median": round(statistics.median(starts), 2), "max": max(starts)},
        "cpu_s_per_trainee": max(r["cpu_s"] for r in rows),
        "limit_mb": memory_limit_mb(peak_rss),
        "guarantee_mb": int(math.ceil(peak_rss / LIMIT_STEP_MB) * LIMIT_STEP_MB),
    }


def _ram_gib() -> int:
    import psutil

    return round(psutil.virtual_memory().total / 2**30)


def report(figures: dict) -> str:
    lines = ["| module | peak RSS, server + kernel |", "|---|---:|"]
    lines += [f"| {m} | {mb} MB |" for m, mb in figures["modules_peak_rss_mb"].items()]
    lines += ["", f"heaviest modules: {figures['heaviest_module']}, then {figures['second_module']}", "",
              "| trainee | server start | idle server RSS | + heaviest module | + a second open module (peak) | "
              "peak PSS | CPU time (start + one module) |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['trainee']} | {r['server_start_s']} s | {r['idle_server_rss_mb']} MB | "
              f"{r['one_notebook_rss_mb']} MB | {r['peak_rss_mb']} MB | {r['peak_pss_mb']} MB | {r['cpu_s']} s |"
              for r in figures["trainees"]]
    lines += ["", f"memory limit per trainee: {figures['limit_mb']} MB (peak {figures['peak_rss_mb']} MB + 30 %), "
              f"guarantee {figures['guarantee_mb']} MB", "",
              capacity_table(figures["peak_rss_mb"], figures["cpu_s_per_trainee"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=3)
    parser.add_argument("--write", action="store_true", help=f"store the figures in {CAPACITY_FILE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    figures = measure(args.trainees)
    print(report(figures))
    if args.write:
        CAPACITY_FILE.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"\nwrote {CAPACITY_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
