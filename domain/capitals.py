"""The capital watch: the fold's second stage, one per country.

The first stage (``domain.fold``) folds events per place, so it can never see
two places at once; "rebels 10 km from Damascus" is one place, and who holds
Damascus is another. For ``capital_threatened`` the first stage hands on two
kinds of ``CapitalSignal`` (``schemas.capital``), keyed by country:

- an *approach*: an event of presence or pressure within ``capital_threat_km``
  of the country's capital (``approach_signal``), and
- *control*: each new state of the capital itself (``control_signal``).

``fold_capital`` keeps, per country, the capital's latest state and the recent
approaches, and raises ``capital_threatened`` for an approach whose actor is
hostile to whoever held the capital at the approach's event time: the state's
controller from its ``since``, the previous controller before that, and the
government's side (``AlertRules.government_sides``) when nothing is known.

Like the first stage it is pure and order-independent in its state: the watch
after a set of signals is the same whatever their arrival order, and a signal
folded twice changes nothing. Alerts, as in the first stage, are what was
known when a signal arrived: an approach judged hostile is not un-said when a
later signal shows the capital had already fallen.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.alert_rules import AlertLedger, AlertRules, capital_threatened, near_capital, side_of
from domain.fold import EventKey, PlaceView, event_key, replay
from domain.geo import same_place
from schemas.alert import Alert
from schemas.capital import CapitalSignal
from schemas.common import Place
from schemas.control import ControlState
from schemas.event import SituationEvent


def approach_signal(event: SituationEvent, rules: AlertRules) -> CapitalSignal | None:
    """The approach an event makes to its country's capital, if it is near one."""
    near = near_capital(event, rules)
    if near is None:
        return None
    country, capital, km = near
    return CapitalSignal(country=country, capital=capital, kind="approach", event=event, distance_km=km)


def control_signal(state: ControlState, rules: AlertRules) -> CapitalSignal | None:
    """A control signal when ``state`` is the state of a national capital."""
    country = state.place.country
    capital = rules.capital(country)
    if country is None or capital is None or not same_place(state.place, capital):
        return None
    return CapitalSignal(country=country.upper(), capital=capital, kind="control", control=state)


def capital_signals(
    events: Iterable[SituationEvent], states: Iterable[ControlState], rules: AlertRules
) -> list[CapitalSignal]:
    """What the first stage hands on after folding ``events`` into new ``states``."""
    out = [s for s in (approach_signal(e, rules) for e in events) if s is not None]
    out.extend(s for s in (control_signal(st, rules) for st in states) if s is not None)
    return out


@dataclass(frozen=True, slots=True)
class Approach:
    event: SituationEvent
    km: float
    order: EventKey  # event_key(event), kept: the watch re-sorts its approaches on every signal


@dataclass(frozen=True, slots=True)
class CapitalWatch:
    """One country's capital: its latest known state and the approaches still
    recent (within ``threat_ttl`` of the latest approach)."""

    country: str
    capital: Place
    holder: ControlState | None = None
    approaches: tuple[Approach, ...] = ()  # in event_key order
    ledger: AlertLedger = field(default_factory=AlertLedger, compare=False)

    def side_at(self, at: datetime, rules: AlertRules) -> str | None:
        """The side holding the capital at event time ``at``; None if unknown."""
        government = rules.government_side(self.country)
        holder = self.holder
        if holder is None or holder.controller is None:
            return government
        if holder.since is not None and at < holder.since:
            before = holder.previous_controller
            return side_of(before) if before is not None else government
        return side_of(holder.controller)


def _newer(state: ControlState, than: ControlState | None) -> bool:
    """Whether ``state`` is a later state of the capital than ``than``: more
    events folded, then later event time, then (for two workers' copies of one
    version) the larger serialisation, so every order keeps the same one."""
    if than is None:
        return True
    mine = (state.version, state.updated_at, state.model_dump_json())
    theirs = (than.version, than.updated_at, than.model_dump_json())
    return mine > theirs


def _judge(
    watch: CapitalWatch, approaches: Iterable[Approach], rules: AlertRules
) -> tuple[CapitalWatch, list[Alert]]:
    """The watch with the alerts of the approaches hostile to the capital's
    holder at their time admitted to its ledger, and those alerts."""
    candidates = []
    for approach in approaches:
        event = approach.event
        holder = watch.side_at(event.occurred_at.start, rules)
        if holder is None or side_of(event.actor) == holder:
            continue
        candidates.append(capital_threatened(event, watch.capital, approach.km))
    ledger, alerts = watch.ledger.admit(candidates, (), rules)
    return (replace(watch, ledger=ledger) if alerts else watch), alerts


def _recent(approaches: tuple[Approach, ...], rules: AlertRules) -> tuple[Approach, ...]:
    """The approaches within ``threat_ttl`` of the latest one (event time): an
    advance not renewed stops counting, as a threat does at its place."""
    if not approaches:
        return approaches
    horizon = approaches[-1].event.occurred_at.start - rules.threat_ttl
    return tuple(a for a in approaches if a.event.occurred_at.start >= horizon)


def fold_capital(
    watch: CapitalWatch | None, signal: CapitalSignal, rules: AlertRules
) -> tuple[CapitalWatch, list[Alert]]:
    """Fold one signal into its country's watch; returns the new watch and the
    new ``capital_threatened`` alerts (``emitted_at`` unset). ``watch`` is
    unchanged; a signal already folded returns it as is."""
    if watch is None:
        watch = CapitalWatch(country=signal.country, capital=signal.capital)
    elif watch.country != signal.country:
        raise ValueError(f"signal for {signal.country} folded into the watch of {watch.country}")
    if signal.kind == "control":
        assert signal.control is not None  # the schema's validator guarantees it
        if not _newer(signal.control, watch.holder):
            return watch, []
        new = replace(watch, holder=signal.control)
        # A new holder changes who is hostile: judge the recent approaches again
        # (the ledger keeps those already said from being said twice).
        return _judge(new, new.approaches, rules)
    assert signal.event is not None and signal.distance_km is not None
    event = signal.event
    if any(a.event.event_id == event.event_id for a in watch.approaches):
        return watch, []
    approach = Approach(event, signal.distance_km, event_key(event))
    staged = sorted((*watch.approaches, approach), key=lambda a: a.order)
    kept = _recent(tuple(staged), rules)
    # By identity: comparing approaches field by field compares whole events.
    judged = [approach] if any(a is approach for a in kept) else []
    return _judge(replace(watch, approaches=kept), judged, rules)


def replay_capitals(
    signals: Iterable[CapitalSignal], rules: AlertRules
) -> tuple[dict[str, CapitalWatch], list[Alert]]:
    """The watches and alerts of a set of signals as if each capital's latest
    state had been known from the start: control signals first, then the
    approaches in event-time order."""
    watches: dict[str, CapitalWatch] = {}
    alerts: list[Alert] = []
    ordered = sorted(signals, key=lambda s: (s.kind != "control", event_key(s.event) if s.event else ()))
    for signal in ordered:
        watch, produced = fold_capital(watches.get(signal.country), signal, rules)
        watches[signal.country] = watch
        alerts.extend(produced)
    return watches, alerts


def replay_stages(
    events: Iterable[SituationEvent], rules: AlertRules
) -> tuple[dict[str, PlaceView], dict[str, CapitalWatch], list[Alert]]:
    """Both stages over a set of events: the place views, the capital watches,
    and every alert in event-time order. What the processor's two stages give
    after folding the same events, up to alerts an arrival order said early."""
    events = list(events)
    views, alerts = replay(events, rules)
    signals = capital_signals(events, (v.state for v in views.values()), rules)
    watches, capital_alerts = replay_capitals(signals, rules)
    # Interleaved by event time; each stage's own order is kept.
    merged = list(heapq.merge(alerts, capital_alerts, key=lambda a: a.occurred_at))
    return views, watches, merged
