"""``sitrep replay``: the view rebuilt from the event log with the processor's
fold, and ``--verify``: that rebuilt view compared with the live
``sitrep.control.v1``.

The log is read from its start with a plain consumer (no group, nothing
committed); a record that does not decode is counted and skipped, as the
processor dead-lettered it when it first saw it.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain.alert_rules import AlertRules
from domain.errors import InputError, ProcessorBehind
from domain.history import Recorded, view_as_of
from domain.ids import place_key
from schemas.control import ControlState
from schemas.event import SituationEvent
from schemas.topics import CONTROL, EVENTS
from services.shared.codec import decode
from services.shared.kafka import (
    group_lag,
    read_to_end,
    record_time,
    total_records,
)
from services.shared.settings import SitrepSettings
from services.shared.terminal import ProgressBar

LAG_POLL_S = 0.5


@dataclass
class EventLog:
    """The event log as read: every decodable event with its record time."""

    recorded: list[Recorded] = field(default_factory=list)
    undecodable: int = 0


async def read_event_log(
    settings: SitrepSettings, topic: str = EVENTS.name, on_record: Callable[[], None] | None = None
) -> EventLog:
    log = EventLog()
    async for record in read_to_end(settings, topic):
        try:
            log.recorded.append(Recorded(decode(record.value, SituationEvent), record_time(record.timestamp)))
        except InputError:
            log.undecodable += 1
        if on_record is not None:
            on_record()
    return log


async def rebuild(
    settings: SitrepSettings,
    rules: AlertRules,
    until: datetime | None = None,
    known_at: datetime | None = None,
    progress: bool = True,
) -> tuple[dict[str, ControlState], EventLog]:
    """Place key -> state rebuilt from the whole log, cut at event time ``until``
    and record time ``known_at`` (see ``domain.history``)."""
    bar = ProgressBar("replay", await total_records(settings, EVENTS.name), "events")
    # A rebuild allocates millions of long-lived objects without cycles; the
    # cyclic collector would rescan the growing heap again and again for
    # nothing (half the time of a rebuild, bench/replay.py).
    collecting = gc.isenabled()
    gc.disable()
    try:
        log = await read_event_log(settings, on_record=bar.advance if progress else None)
        return view_as_of(log.recorded, rules, until, known_at), log
    finally:
        bar.close()
        if collecting:
            gc.enable()


async def live_view(settings: SitrepSettings) -> dict[str, ControlState]:
    """The latest record per place on ``sitrep.control.v1`` (a compacted topic:
    the last one of a key is its value, compacted yet or not)."""
    states: dict[str, ControlState] = {}
    async for record in read_to_end(settings, CONTROL.name):
        state = decode(record.value, ControlState)
        states[place_key(state.place)] = state
    return states


async def wait_for_processor(settings: SitrepSettings, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while (lag := await group_lag(settings, settings.processor_group, EVENTS.name)) > 0:
        if time.monotonic() >= deadline:
            raise ProcessorBehind(
                f"the processor (group {settings.processor_group}) still has {lag} event(s) to fold "
                f"after {timeout_s:.0f} s; verify once `sitrep status` shows lag 0"
            )
        await asyncio.sleep(LAG_POLL_S)


def _short(value: object, width: int = 100) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def diff_views(
    mine: dict[str, ControlState],
    theirs: dict[str, ControlState],
    names: tuple[str, str] = ("rebuilt", "live"),
) -> list[str]:
    """One readable line per difference, place by place, field by field."""
    a_name, b_name = names
    lines: list[str] = []
    for key in sorted(mine.keys() | theirs.keys()):
        a_state, b_state = mine.get(key), theirs.get(key)
        if b_state is None:
            lines.append(f"{key}: only in the {a_name} view")
        elif a_state is None:
            lines.append(f"{key}: only in the {b_name} view")
        elif a_state != b_state:
            a, b = a_state.model_dump(mode="json"), b_state.model_dump(mode="json")
            for name in sorted(a.keys() | b.keys()):
                if a.get(name) != b.get(name):
                    left, right = _short(a.get(name)), _short(b.get(name))
                    lines.append(f"{key}: {name}: {a_name} {left} != {b_name} {right}")
    return lines


def states_as_json_lines(states: dict[str, ControlState]) -> str:
    return "".join(states[key].model_dump_json() + "\n" for key in sorted(states))
