"""The past of the view: a place's status timeline, and the whole view as it
stood at an event time and as it was known at an ingestion time.

Both are the processor's fold run again over the event log (``domain.fold``),
so an answer about the past is rebuilt, never stored: what the feed said then
is what the same events, folded the same way, say now.

Bitemporal: ``as_of`` cuts the log by *event time* (what had happened by T),
``known_at`` by *record time*, the time an event entered the log (what had been
reported to us by T2). "On 6 December, what did we believe about 5 December?"
is ``as_of=5 Dec, known_at=6 Dec``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.alert_rules import AlertRules, actor_key
from domain.fold import replay, state_at, states_after_each
from schemas.control import ControlState
from schemas.event import SituationEvent
from schemas.history import StatusChange


@dataclass(frozen=True, slots=True)
class Recorded:
    """An event with the time it entered the log (its record's timestamp)."""

    event: SituationEvent
    recorded_at: datetime


def known_events(
    log: Iterable[Recorded], as_of: datetime | None = None, known_at: datetime | None = None
) -> list[SituationEvent]:
    """The events that had happened by ``as_of`` (event time: the start of the
    event's time span) and had been recorded by ``known_at``; None: no cut."""
    return [
        r.event
        for r in log
        if (as_of is None or r.event.occurred_at.start <= as_of)
        and (known_at is None or r.recorded_at <= known_at)
    ]


def view_as_of(
    log: Iterable[Recorded],
    rules: AlertRules,
    as_of: datetime | None = None,
    known_at: datetime | None = None,
) -> dict[str, ControlState]:
    """Place key -> state, from the events ``known_events`` keeps. Threats and
    contests are aged to ``as_of`` (when given), as the live view ages them to now."""
    views, _ = replay(known_events(log, as_of, known_at), rules)
    if as_of is None:
        return {key: view.state for key, view in views.items()}
    return {key: state_at(view, as_of, rules) for key, view in views.items()}


def _shape(state: ControlState) -> tuple[str, str | None, str | None]:
    controller = actor_key(state.controller) if state.controller is not None else None
    previous = actor_key(state.previous_controller) if state.previous_controller is not None else None
    return state.status, controller, previous


def timeline(events: Iterable[SituationEvent], rules: AlertRules) -> list[StatusChange]:
    """One place's status changes in event-time order: an entry wherever its
    status, controller or previous controller changed (a renewed claim or one
    more report of the same holder changes the confidence, not the story)."""
    changes: list[StatusChange] = []
    last: tuple[str, str | None, str | None] | None = None
    for event, state in states_after_each(events, rules):
        shape = _shape(state)
        if shape != last:
            changes.append(StatusChange(at=event.occurred_at.start, caused_by=event.event_id, state=state))
            last = shape
    return changes
