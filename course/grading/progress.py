"""A one-line progress bar on stderr (a line per step when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts steps of a long run and shows how far it is and roughly how long is left."""

    def __init__(self, total: int, title: str = "grading", stream: TextIO | None = None,
                 enabled: bool = True) -> None:
        self.total, self.title, self.done = max(total, 0), title, 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and self.total > 0
        self.live = self.enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()

    def step(self, label: str = "") -> None:
        """One more step finished; ``label`` says which."""
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        if self.live:
            width = 28
            filled = int(width * self.done / self.total)
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{self.title} [{bar}] {self.done}/{self.total} "
                              f"{_clock(elapsed)} elapsed, ~{_clock(left)} left  {label[:40]:<40}")
        else:
            self.stream.write(f"{self.title} {self.done}/{self.total} ({_clock(elapsed)}): {label}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the progress line."""
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
