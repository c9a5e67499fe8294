"""Sizing a workshop hub on The Littlest JupyterHub (TLJH): memory limit, server RAM and cores.

TLJH's rule (its "Estimate Memory / CPU / Disk needed" page): server RAM = concurrent users x maximum
memory per user + 128 MB, where the maximum per user is the measured peak plus 20-40 % headroom; CPU =
concurrent users x CPU per user + 20 % of one core. The measured figures are in deploy/capacity.json
(benchmarks/hub_capacity.py); docs/workshops.md holds the table computed here.
"""

from __future__ import annotations

import math

TLJH_OVERHEAD_MB = 128  # TLJH's allowance for the hub, the proxy and related services
HEADROOM = 0.30  # middle of TLJH's 20-40 % headroom
LIMIT_STEP_MB = 64
CPU_OVERHEAD_CORES = 0.2  # TLJH's CPU rule: + 20 % of one core for the hub and its services
WORKSHOP_SIZES = (10, 20, 30, 50, 100)
START_WINDOW_S = 60.0  # everybody starts a server and runs a module within one minute
MIN_CORES = 2


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
    lines = ["| Trainees at once | Memory limit per trainee | Server RAM (TLJH rule) | Cores |",
             "|---:|---:|---:|---:|"]
    for row in capacity_rows(peak_mb, cpu_seconds_per_start, sizes, window_s):
        lines.append(f"| {row['trainees']} | {row['limit_mb']} MB | {row['ram_mb'] / 1024:.1f} GB "
                     f"({row['ram_mb']} MB) | {row['cores']} |")
    return "\n".join(lines)
