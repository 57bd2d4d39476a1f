"""Output for people at a terminal: a progress bar that stays silent when the
output is not a terminal (a pipe, a file, CI), so logs and scripts get clean text."""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 30
REDRAW_EVERY_S = 0.1


class ProgressBar:
    """``label: 45,000/100,000 [=============                 ] 45%`` on stderr,
    redrawn in place at most ten times a second; nothing unless stderr is a tty."""

    def __init__(self, label: str, total: int, unit: str, stream: TextIO | None = None) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() and total > 0
        self.done = 0
        self._drawn_at = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.enabled and time.monotonic() - self._drawn_at >= REDRAW_EVERY_S:
            self._draw()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        filled = int(share * BAR_WIDTH)
        bar = "=" * filled + " " * (BAR_WIDTH - filled)
        self.stream.write(f"\r{self.label}: {self.done:,}/{self.total:,} {self.unit} [{bar}] {share:4.0%}")
        self.stream.flush()
        self._drawn_at = time.monotonic()

    def close(self) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
