"""Memory (RSS, PSS) and CPU time of every process of some accounts, sampled in a thread with psutil."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import psutil

from tests.support.hub.accounts import account_processes


@dataclass
class Usage:
    """One account's figures: a sample's sums, or the peaks over all samples."""

    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    cpu_s: float = 0.0
    processes: int = 0


class Sampler:
    """Samples RSS, PSS and CPU time of every process of the given accounts (uid -> name), per account."""

    def __init__(self, accounts: dict[int, str], interval: float = 0.5):
        self.accounts, self.interval = accounts, interval
        self.usage = {name: Usage() for name in accounts.values()}
        self.peak_total_rss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> dict[str, Usage]:
        """Take one sample now; fold it into the peaks; return it."""
        now = {name: Usage() for name in self.accounts.values()}
        for proc in account_processes(self.accounts):
            try:
                name = self.accounts[proc.uids().real]
                info = proc.memory_full_info()
                cpu = proc.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied, KeyError):
                continue
            now[name].peak_rss_mb += info.rss / 2**20
            now[name].peak_pss_mb += getattr(info, "pss", info.rss) / 2**20
            now[name].cpu_s += cpu.user + cpu.system
            now[name].processes += 1
        for name, cur in now.items():
            peak = self.usage[name]
            peak.peak_rss_mb = max(peak.peak_rss_mb, cur.peak_rss_mb)
            peak.peak_pss_mb = max(peak.peak_pss_mb, cur.peak_pss_mb)
            peak.cpu_s = max(peak.cpu_s, cur.cpu_s)
            peak.processes = max(peak.processes, cur.processes)
        self.peak_total_rss_mb = max(self.peak_total_rss_mb, sum(u.peak_rss_mb for u in now.values()))
        return now

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> Sampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.sample()
