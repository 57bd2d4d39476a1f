"""Output for people at a terminal: colour, tables and progress that step aside
when the output is not a terminal (a pipe, a file, CI), so logs and scripts get
clean text.

- ``Style`` paints text with ANSI colours, or returns it unchanged when colour
  is off: off unless the stream is a tty, off when ``NO_COLOR`` is set (any
  non-empty value, https://no-color.org) or ``TERM=dumb``; ``--color`` /
  ``--no-color`` (``Style(color=True/False)``) overrides both.
- ``control_table`` and ``alert_line`` lay out ``ControlState`` and ``Alert``
  rows: columns aligned by display width, long names cut with an ellipsis,
  times in UTC (ISO 8601, to the minute), confidence as 0.00.
- ``ProgressBar`` redraws one line on stderr, only on a tty.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TextIO

from schemas.alert import Alert, Severity
from schemas.control import ControlState, ControlStatus

BAR_WIDTH = 30
REDRAW_EVERY_S = 0.1

ELLIPSIS = "…"
PLACE_WIDTH = 28  # the widest a place name may make its column
ACTOR_WIDTH = 32
SEVERITY_WIDTH = len("critical")
KIND_WIDTH = len("capital_threatened")

_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "magenta": "35", "cyan": "36"}
STATUS_COLOURS: dict[ControlStatus, tuple[str, ...]] = {
    "held": ("green",),
    "claimed": ("yellow",),
    "disputed": ("yellow",),
    "contested": ("magenta",),
    "threatened": ("red",),
    "unknown": ("dim",),
}
SEVERITY_COLOURS: dict[Severity, tuple[str, ...]] = {
    "critical": ("bold", "red"),
    "warning": ("yellow",),
    "info": ("dim",),
}


def colour_wanted(
    stream: TextIO, color: bool | None = None, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether to paint what goes to ``stream``: the flag if given, else a tty
    with neither ``NO_COLOR`` nor ``TERM=dumb`` in the environment."""
    if color is not None:
        return color
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


class Style:
    """ANSI colours for one output stream; every method is the identity when
    colour is off, so the same code writes to a terminal and to a file."""

    def __init__(
        self,
        stream: TextIO | None = None,
        color: bool | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.enabled = colour_wanted(self.stream, color, environ)

    def paint(self, text: str, *names: str) -> str:
        if not self.enabled or not names or not text:
            return text
        return f"\x1b[{';'.join(_SGR[n] for n in names)}m{text}\x1b[0m"

    def bold(self, text: str) -> str:
        return self.paint(text, "bold")

    def dim(self, text: str) -> str:
        return self.paint(text, "dim")

    def status(self, text: str, status: ControlStatus) -> str:
        return self.paint(text, *STATUS_COLOURS.get(status, ()))

    def severity(self, text: str, severity: Severity) -> str:
        return self.paint(text, *SEVERITY_COLOURS.get(severity, ()))


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters take two,
    combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, the cut marked with an ellipsis."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        kept.append(c)
        used += w
    return "".join(kept) + ELLIPSIS


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` columns (padded before it is painted,
    so colour codes never count as width)."""
    return text + " " * max(width - display_width(text), 0)


def utc_minute(moment: datetime | None) -> str:
    """``2024-12-05T00:00Z``: ISO 8601 in UTC, to the minute; ``-`` for none."""
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _columns(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[int]:
    return [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]


CONTROL_HEADER = ("PLACE", "STATUS", "CONTROLLER", "SINCE", "CONF")


def control_table(states: Iterable[ControlState], style: Style) -> list[str]:
    """The view as aligned lines, a header first, places in alphabetical order."""
    ordered = sorted(states, key=lambda s: (s.place.name.casefold(), s.place.id or ""))
    rows = [
        (
            truncate(s.place.name, PLACE_WIDTH),
            s.status,
            truncate(s.controller.name, ACTOR_WIDTH) if s.controller else "-",
            utc_minute(s.since),
            f"{s.confidence:.2f}",
        )
        for s in ordered
    ]
    widths = _columns(rows, CONTROL_HEADER)
    lines = ["  ".join(style.bold(pad(h, w)) for h, w in zip(CONTROL_HEADER, widths, strict=True)).rstrip()]
    for state, row in zip(ordered, rows, strict=True):
        place, status, controller, since, conf = (pad(c, w) for c, w in zip(row, widths, strict=True))
        cells = (place, style.status(status, state.status), controller, since, conf)
        lines.append("  ".join(cells).rstrip())
    return lines


def alert_line(alert: Alert, style: Style) -> str:
    """One alert on one line, in fixed columns so a followed feed stays aligned:
    event time, severity, kind, then the message (which starts with the place)."""
    message = " ".join(alert.message.split())  # a newline in a message must not break the line
    prefix = f"{alert.place.name}:"
    if message.startswith(prefix):
        message = style.bold(prefix) + message[len(prefix) :]
    return "  ".join(
        (
            style.dim(utc_minute(alert.occurred_at)),
            style.severity(pad(alert.severity, SEVERITY_WIDTH), alert.severity),
            pad(alert.kind, KIND_WIDTH),
            message,
        )
    )


class ProgressBar:
    """``label: 45,000/100,000 [=============                 ] 45%`` on stderr,
    redrawn in place at most ten times a second; nothing unless stderr is a tty."""

    def __init__(self, label: str, total: int, unit: str, stream: TextIO | None = None) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() and total > 0
        self.done = 0
        self._drawn_at = 0.0
        self._drawn_width = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.enabled and time.monotonic() - self._drawn_at >= REDRAW_EVERY_S:
            self._draw()

    def write(self, line: str) -> None:
        """Print ``line`` (a warning, a rejected input) on the bar's stream
        without garbling the bar: the bar is wiped, the line written, the bar redrawn."""
        if self.enabled and self._drawn_width:
            self.stream.write("\r" + " " * self._drawn_width + "\r")
        self.stream.write(line + "\n")
        if self.enabled and self._drawn_width:
            self._draw()
        else:
            self.stream.flush()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        filled = int(share * BAR_WIDTH)
        bar = "=" * filled + " " * (BAR_WIDTH - filled)
        text = f"{self.label}: {self.done:,}/{self.total:,} {self.unit} [{bar}] {share:4.0%}"
        self.stream.write("\r" + text)
        self.stream.flush()
        self._drawn_at = time.monotonic()
        self._drawn_width = len(text)

    def close(self) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
