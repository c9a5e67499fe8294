"""Load check: N trainees log in and run a module's notebook at the same time on a real JupyterHub.

    sudo python benchmarks/hub_load.py [--trainees 20] [--module m01-singles-day] [--json FILE]

Each simulated trainee (UNIX account d11-loadNN) logs in on the hub's form, has the hub start their server,
uploads the module's notebook with every answer filled in (from solutions/), runs all of its cells in a kernel
over the websocket and saves it, all at once. The check counts failures (goal: zero: a step that raised, or a
cell that ended in an error) and reports the time to the first kernel (from the login to a kernel answering),
the server start time, the run time, and the peak memory of all the trainees' servers and kernels together.
tests/hub/test_hub_load.py runs a small version of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hub_harness  # noqa: E402

ROOT = hub_harness.ROOT
DEFAULT_MODULE = "m01-singles-day"


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "max": round(max(values), 2)} if values else {}


async def _one(site: hub_harness.HubSite, name: str, module: str, nb: dict) -> dict:
    trainee = site.person(name)
    path = f"{module}.ipynb"
    arrived = time.perf_counter()
    try:
        await trainee.login()
        await trainee.start_server()
        await trainee.put_notebook(path, nb)
        ran = await trainee.run_notebook(path, json.loads(json.dumps(nb)), keep_kernel=True)
        errors = [f"{o['ename']}: {o['evalue']}" for c in ran["cells"] for o in c.get("outputs", [])
                  if o["output_type"] == "error"]
        t = trainee.timings
        return {"name": name, "ok": not errors, "error": "; ".join(errors)[:300], "login_s": t.login,
                "server_s": t.server, "first_kernel_s": trainee.kernel_ready_at - arrived, "run_s": t.run}
    except Exception as error:  # a failure is a result here, counted and reported
        return {"name": name, "ok": False, "error": f"{type(error).__name__}: {error}"[:300]}


def run(trainees: int = 20, module: str = DEFAULT_MODULE, prefix: str = "d11-load") -> dict:
    """Run the load check with ``trainees`` simultaneous trainees; return the figures."""
    reason = hub_harness.missing()
    if reason:
        raise RuntimeError(f"the load check cannot run here: {reason}")
    release = hub_harness.notebook(ROOT / "exercises" / module / f"{module}.ipynb")
    solution = hub_harness.notebook(ROOT / "solutions" / module / f"{module}.ipynb")
    nb, _ = hub_harness.answered(release, solution)
    names = [f"{prefix}{i:02d}" for i in range(1, trainees + 1)]
    site = hub_harness.HubSite(names, formgrader=False)
    try:
        site.start()
        accounts = {site.accounts[n].uid: n for n in names}
        with hub_harness.Sampler(accounts) as sampler:
            start = time.perf_counter()

            async def everyone():
                return await asyncio.gather(*(_one(site, n, module, nb) for n in names))

            results = asyncio.run(everyone())
            wall = time.perf_counter() - start
        ok = [r for r in results if r["ok"]]
        return {
            "trainees": trainees, "module": module, "failures": trainees - len(ok),
            "errors": [f"{r['name']}: {r['error']}" for r in results if not r["ok"]],
            "time_to_first_kernel_s": _stats([r["first_kernel_s"] for r in ok]),
            "server_start_s": _stats([r["server_s"] for r in ok]),
            "run_s": _stats([r["run_s"] for r in ok]),
            "wall_s": round(wall, 1),
            "peak_total_rss_mb": round(sampler.peak_total_rss_mb),
            "peak_per_trainee_rss_mb": round(max((u.peak_rss_mb for u in sampler.usage.values()), default=0)),
            "peak_per_trainee_pss_mb": round(max((u.peak_pss_mb for u in sampler.usage.values()), default=0)),
        }
    finally:
        site.close()


def report(figures: dict) -> str:
    """A short table of the load check's figures."""
    rows = [("trainees at once", figures["trainees"]), ("module", figures["module"]),
            ("failures", figures["failures"]),
            ("time to first kernel (median / max)", "{median} s / {max} s".format(**figures["time_to_first_kernel_s"])
             if figures["time_to_first_kernel_s"] else "-"),
            ("server start (median / max)", "{median} s / {max} s".format(**figures["server_start_s"])
             if figures["server_start_s"] else "-"),
            ("run all cells (median / max)", "{median} s / {max} s".format(**figures["run_s"]) if figures["run_s"] else "-"),
            ("wall time", f"{figures['wall_s']} s"),
            ("peak memory, all trainees", f"{figures['peak_total_rss_mb']} MB RSS"),
            ("peak memory, one trainee", f"{figures['peak_per_trainee_rss_mb']} MB RSS, "
                                         f"{figures['peak_per_trainee_pss_mb']} MB PSS")]
    lines = [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(["| load check | |", "|---|---|", *lines, *[f"error: {e}" for e in figures["errors"]]])


def store(figures: dict, path: Path = ROOT / "deploy" / "capacity.json") -> None:
    """Keep the load check's figures beside the capacity figures they confirm."""
    capacity = json.loads(path.read_text()) if path.exists() else {}
    capacity["load_check"] = {"measured": time.strftime("%Y-%m-%d"), **figures}
    path.write_text(json.dumps(capacity, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--module", default=DEFAULT_MODULE)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--write", action="store_true", help="also store them in deploy/capacity.json (load_check)")
    args = parser.parse_args(argv)
    figures = run(args.trainees, args.module)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if args.write:
        store(figures)
    return 0 if figures["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
