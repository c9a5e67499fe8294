"""The load check: N trainees log in and run a module's notebook at the same time on a real JupyterHub.

Each simulated trainee (UNIX account d11-loadNN) logs in on the hub's form, has the hub start their server,
uploads the module's notebook with every answer filled in (from solutions/), runs all of its cells in a kernel
over the websocket and saves it, all at once. The check counts failures (goal: zero: a step that raised, or a
cell that ended in an error) and reports the time to the first kernel (from the login to a kernel answering),
the server start time, the run time, and the peak memory of all the trainees' servers and kernels together.
benchmarks/hub_load.py runs it at workshop size; tests/hub/test_hub_load.py runs a small version.
"""

from __future__ import annotations

import asyncio
import copy
import statistics
import time

from tests.support import aio
from tests.support.hub.machine import ROOT, missing
from tests.support.hub.notebooks import answered, notebook
from tests.support.hub.sampler import Sampler
from tests.support.hub.site import HubSite

DEFAULT_MODULE = "m01-singles-day"


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "max": round(max(values), 2)} if values else {}


async def _one(site: HubSite, name: str, module: str, nb: dict) -> dict:
    trainee = site.person(name)
    path = f"{module}.ipynb"
    arrived = time.perf_counter()
    try:
        await trainee.login()
        await trainee.start_server()
        await trainee.put_notebook(path, nb)
        ran = await trainee.run_notebook(path, copy.deepcopy(nb), keep_kernel=True)
        errors = [f"{o['ename']}: {o['evalue']}" for c in ran["cells"] for o in c.get("outputs", [])
                  if o["output_type"] == "error"]
        t = trainee.timings
        return {"name": name, "ok": not errors, "error": "; ".join(errors)[:300], "login_s": t.login,
                "server_s": t.server, "first_kernel_s": trainee.kernel_ready_at - arrived, "run_s": t.run}
    except Exception as error:  # noqa: BLE001  (any failure is a result here, counted and reported)
        return {"name": name, "ok": False, "error": f"{type(error).__name__}: {error}"[:300]}


def run(trainees: int = 20, module: str = DEFAULT_MODULE, prefix: str = "d11-load") -> dict:
    """Run the load check with ``trainees`` simultaneous trainees; return the figures."""
    reason = missing()
    if reason:
        raise RuntimeError(f"the load check cannot run here: {reason}")
    release = notebook(ROOT / "exercises" / module / f"{module}.ipynb")
    solution = notebook(ROOT / "solutions" / module / f"{module}.ipynb")
    nb, _ = answered(release, solution)
    names = [f"{prefix}{i:02d}" for i in range(1, trainees + 1)]
    site = HubSite(names, formgrader=False)
    try:
        site.start()
        accounts = {site.accounts[n].uid: n for n in names}
        with Sampler(accounts) as sampler:
            start = time.perf_counter()

            async def everyone() -> list[dict]:
                return await asyncio.gather(*(_one(site, n, module, nb) for n in names))

            results = aio.run(everyone())
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
            ("run all cells (median / max)",
             "{median} s / {max} s".format(**figures["run_s"]) if figures["run_s"] else "-"),
            ("wall time", f"{figures['wall_s']} s"),
            ("peak memory, all trainees", f"{figures['peak_total_rss_mb']} MB RSS"),
            ("peak memory, one trainee", f"{figures['peak_per_trainee_rss_mb']} MB RSS, "
                                         f"{figures['peak_per_trainee_pss_mb']} MB PSS")]
    lines = [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(["| load check | |", "|---|---|", *lines, *[f"error: {e}" for e in figures["errors"]]])
