"""Benchmark: each solution notebook on a fresh kernel, against the bare-kernel floor.

For every module it starts a new kernel, runs the solution's code cells in order and
prints, as the median of --repeat runs:
  start   seconds from launching the kernel to its first reply (the floor every trainee pays)
  run     seconds to execute all cells after that (the course's own cost; goal <= 2 s)
  peak    the kernel's peak resident memory after the run, in MB (VmHWM; goal <= 150 MB)
The row "bare kernel" runs no cells, so its peak is the floor of memory as well.

    python benchmarks/notebooks.py [--repeat 3] [MODULE ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parent.parent


def peak_mb(pid: int) -> float:
    """Peak resident set size of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def run_once(cells: list[str]) -> tuple[float, float, float]:
    """(start s, run s, peak MB) of one fresh kernel running ``cells``."""
    manager = KernelManager(kernel_name="python3")
    began = time.perf_counter()
    manager.start_kernel(cwd=str(ROOT), stderr=subprocess.DEVNULL)  # quiet the TCP warning
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        started = time.perf_counter()
        for source in cells:
            reply = client.execute_interactive(source, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        finished = time.perf_counter()
        return started - began, finished - started, peak_mb(manager.provisioner.process.pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text())
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args()
    notebooks = sorted((ROOT / "solutions").glob("m*/m*.ipynb"))
    if args.modules:
        notebooks = [p for p in notebooks if p.parent.name in args.modules]
    rows = [("bare kernel", [])] + [(p.parent.name, code_cells(p)) for p in notebooks]
    print(f"{'notebook':<28}{'cells':>6}{'start s':>9}{'run s':>8}{'peak MB':>9}")
    for name, cells in rows:
        runs = [run_once(cells) for _ in range(args.repeat)]
        start, run, peak = (statistics.median(column) for column in zip(*runs, strict=True))
        print(f"{name:<28}{len(cells):>6}{start:>9.2f}{run:>8.2f}{peak:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
