"""The control fold: events in, one ``ControlState`` per place and alerts out.

``fold_place(current, event, rules)`` is the only state transition; ``fold``,
``fold_many`` and ``replay`` are ways of applying it to many places. All are pure:
time is event time, never the clock.

Order and exactness
-------------------
Events of a place are kept deduplicated by ``event_id`` and sorted by
``event_key``: ``(occurred_at.start, published_at, action rank, generic, event_id)``.
The state is the left fold of the step function over that sorted sequence, so
the same set of events gives the same state whatever the arrival order, and
applying an event twice changes nothing. An event that sorts last (the common
case) costs one step from the stored accumulator; a late event makes the place
re-derive from its sorted events (exact, O(events of the place)).

Two refinements of the tie order among events with the same start and
publication time (typically: one article, no finer time in the text):

- action rank: ``holds`` < threats (``advancing``, ``besieging``, ``attacked``)
  < ``withdrew`` < ``entered``/``captured``/``recaptured`` < ``claimed_control``
  < ``denied`` (and any statement with stance ``denied``). The status quo is
  told before the change, a retreat before the capture it allowed, and a denial
  answers a claim made before it.
- a specific actor before a generic one, so "HTS captured Hama" and a caption's
  "rebels captured Hama" of the same day name HTS.

If the same ``event_id`` arrives with different content (a re-parse), the one
with the greater ``(parser_version, JSON)`` wins, whatever the arrival order.

Controller and basis
--------------------
The controller is held on one of three bases:

- ``held``: a neutral report (asserted, or reported by a non-party source) of
  captured/recaptured/holds, or any ``holds`` when nothing else is known: the
  status quo needs no corroboration, only a change does.
- ``claimed``: a party's own claim (``claimed_control``, or a captured /
  recaptured / entered told by a party about itself) with nothing better known.
- ``presumed``: nobody said so. The counterpart of an advance, siege, attack or
  entry into an unknown place is presumed to hold it; an actor withdrawing from
  an unknown place is presumed to have held it.

Actors of the same side are never hostile to each other; same-side events
support the controller, and a specific actor refines a generic controller
("rebels" → "Hayat Tahrir al-Sham") without any change of control. A generic
actor never replaces a specific one of its side.

Rules by action (A the actor, B the counterpart)
------------------------------------------------
- captured / recaptured, neutral: A becomes the controller (``held``), with the
  controller shown before (or else B, if hostile to A) as previous controller;
  pending claims, doubts and any contest are settled; threats by A's side end.
  Told by a party about itself it is a claim.
- entered: by A's side, support. By a force hostile to the controller: the place
  is ``contested`` (fighting inside), not captured, until a capture, a
  withdrawal of the intruder, or ``contest_ttl`` without renewal. Into an unknown
  place: B (if hostile) is presumed to hold it and it is contested; without B, A
  is presumed to be there.
- withdrew: by the controller's side, recorded as doubt (lower confidence); it
  hands the place to no one. By a hostile force: its threats and its place in a
  contest end. From an unknown place: A is presumed to have held it.
- advancing / besieging / attacked by a force hostile to the controller: a
  threat. One threat per (actor, action); renewals refresh it; it lapses when not
  renewed within ``threat_ttl`` of the place's latest event time.
- claimed_control: with no controller or a presumed one, A becomes the
  ``claimed`` controller; against a held controller or a rival claimant, the
  claim is recorded and the place is ``disputed``.
- denied by A: against pending claims of a hostile side, the place is
  ``disputed`` and the denial is recorded; otherwise, by the controller's side,
  it stands by its control (support); by another side, it is doubt. Any other
  action told with stance ``denied`` disputes the actor's own claims.
- holds, neutral or with no controller: sets or supports the controller and
  settles claims; a hostile neutral ``holds`` against a held controller is two
  sides asserting control: ``contested``. A party's own ``holds`` against a
  hostile controller is a claim.
- Foreign forces: ``entered`` / ``withdrew`` by an actor whose country differs
  from the place's is force posture (an alert), not a change of control; the
  foreign force's withdrawal counts as doubt only if it is itself the controller.

Status (first match)
--------------------
no controller → ``unknown``; a hostile force inside or two sides holding →
``contested``; ``claimed`` basis → ``disputed`` when denied or rivalled, else
``claimed``; ``held`` with a pending hostile claim → ``disputed``; active
threats → ``threatened`` (held or presumed controller); ``held`` → ``held``;
presumed without threats → ``unknown`` (the controller is shown, with low
confidence).

Threats and contests age by event time only; ``state_at(place_view, when, rules)``
ages them to a time the caller passes in (the API's "now").

Confidence is ``domain.confidence.control_confidence`` of the evidence for and
against the current controller. ``updated_at`` is the latest event time of the
place and ``version`` its number of distinct events.

Alerts come from the step that caused them and pass through the place's
``AlertLedger`` (``domain.alert_rules``), so re-deriving a place never says the
same thing twice. control_changed fires when the *confirmed* controlling side
changes: on a neutral capture (also of a place with no known holder), on a
neutral report confirming a claim, and on a neutral ``holds`` that contradicts
an earlier confirmed side; never for a ``holds`` establishing the status quo of
an unknown place, a same-side refinement, or a claim (claim_unconfirmed).

Folding one event at a time, an alert is said as soon as it is known: if a
caption's "rebels took Hama" arrives before the article's "HTS took Hama", the
one control_changed names the rebels. ``fold_many`` (a batch, e.g. one article
or one ``stream.take``) and ``replay`` apply events in event-time order and so
name HTS.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

from domain.alert_rules import (
    AlertCandidate,
    AlertLedger,
    AlertRules,
    actor_key,
    claim_disputed,
    claim_unconfirmed,
    contested,
    control_changed,
    force_posture,
    hostile,
    is_foreign,
    refine,
    side_of,
    threat,
)
from domain.confidence import control_confidence, evidence_weight, is_self_serving
from domain.errors import InputError
from domain.geo import same_place
from domain.ids import place_key
from schemas.alert import Alert
from schemas.common import ActorRef, Place
from schemas.control import Claim, ControlState, ControlStatus, Threat
from schemas.event import SituationEvent

Basis = Literal["held", "claimed", "presumed"]
EventKey = tuple[datetime, datetime, int, int, str]

_ACTION_RANK: Mapping[str, int] = {
    "holds": 0,
    "advancing": 1,
    "besieging": 1,
    "attacked": 1,
    "withdrew": 2,
    "entered": 3,
    "captured": 3,
    "recaptured": 3,
    "claimed_control": 4,
    "denied": 5,
}


def event_key(event: SituationEvent) -> EventKey:
    """The event-time order of the fold (see the module docstring)."""
    start = event.occurred_at.start
    published = event.published_at if event.published_at is not None else start
    rank = _ACTION_RANK["denied"] if event.stance == "denied" else _ACTION_RANK[event.action]
    return (start, published, rank, int(event.actor.generic), event.event_id)


def _version_key(event: SituationEvent) -> tuple[str, str]:
    return (event.parser_version, event.model_dump_json())


# --- the accumulator ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Evidence:
    event_id: str
    weight: float


@dataclass(frozen=True, slots=True)
class _ActiveThreat:
    threat: Threat
    key: str
    since: datetime  # start of the episode: renewals keep it, so the alert is not repeated
    at: datetime  # latest renewal, for the ttl


@dataclass(frozen=True, slots=True)
class _PendingClaim:
    claim: Claim
    at: datetime


class Derivation(NamedTuple):
    """Everything the next step needs; ``ControlState`` is a projection of it.

    A named tuple rather than a frozen dataclass: the fold makes a new one for
    nearly every event, and ``_replace`` costs a fraction of
    ``dataclasses.replace`` (bench/processor.py)."""

    place: Place
    latest: datetime
    controller: ActorRef | None = None
    basis: Basis | None = None
    previous: ActorRef | None = None
    since: datetime | None = None
    support: tuple[_Evidence, ...] = ()
    doubt: tuple[_Evidence, ...] = ()
    claims: tuple[_PendingClaim, ...] = ()
    denials: tuple[str, ...] = ()
    threats: tuple[_ActiveThreat, ...] = ()
    contenders: tuple[ActorRef, ...] = ()
    contest_at: datetime | None = None
    held_side: str | None = None  # side of the last *confirmed* controller: a change is a change of it
    changes: tuple[tuple[str, datetime], ...] = ()  # (side, since) of every control change, for the ledger


@dataclass(frozen=True, slots=True)
class _Step:
    event: SituationEvent
    at: datetime
    self_serving: bool
    evidence: _Evidence
    presumption: _Evidence


Result = tuple[Derivation, list[AlertCandidate]]


def _with_controller(
    acc: Derivation,
    controller: ActorRef,
    basis: Basis,
    *,
    previous: ActorRef | None,
    since: datetime,
    support: tuple[_Evidence, ...],
) -> Derivation:
    """A new controller side: whatever was hostile to the old one and is not to
    the new one (threats, contenders) stops counting, and claims are settled."""
    threats = tuple(x for x in acc.threats if hostile(x.threat.actor, controller))
    contenders = tuple(c for c in acc.contenders if hostile(c, controller))
    return acc._replace(
        controller=controller,
        basis=basis,
        previous=previous,
        since=since,
        support=support,
        doubt=(),
        claims=(),
        denials=(),
        threats=threats,
        contenders=contenders,
        contest_at=acc.contest_at if contenders else None,
    )


def _loser(counterpart: ActorRef | None, actor: ActorRef) -> ActorRef | None:
    return counterpart if counterpart is not None and hostile(counterpart, actor) else None


def _confirm(acc: Derivation, step: _Step, *, alert_if_first: bool) -> Result:
    """Record the controller as confirmed; a change of confirmed side is a control change."""
    assert acc.controller is not None
    side = side_of(acc.controller)
    if acc.held_side == side:
        return acc, []
    if acc.held_side is None and not alert_if_first:
        return acc._replace(held_side=side), []
    since = acc.since if acc.since is not None else step.at
    cand = control_changed(acc.place, acc.controller, acc.previous, since, step.event)
    return acc._replace(held_side=side, changes=(*acc.changes, (side, since))), [cand]


def _contest(acc: Derivation, step: _Step) -> Result:
    """A hostile force inside a place, or a second side reported holding it."""
    controller = acc.controller
    assert controller is not None
    actor = step.event.actor
    sides = {side_of(c) for c in acc.contenders}
    new_side = side_of(actor) not in sides
    if new_side:
        contenders = (*acc.contenders, actor)
    else:
        contenders = tuple(refine(c, actor) if not hostile(c, actor) else c for c in acc.contenders)
    acc = acc._replace(contenders=contenders, contest_at=step.at, doubt=(*acc.doubt, step.evidence))
    return acc, [contested(acc.place, controller, actor, step.event)] if new_side else []


# --- one handler per action -----------------------------------------------------------------------


def _on_take(acc: Derivation, step: _Step) -> Result:
    if step.self_serving:
        return _on_claim(acc, step)
    e, cur = step.event, acc.controller
    if cur is not None and not hostile(e.actor, cur):
        controller = refine(cur, e.actor)
        if acc.basis == "held":
            # the holder's side reported taking it (again): that settles claims, doubts and any contest
            support = (*acc.support, step.evidence)
            since = acc.since or step.at
            settled = _with_controller(
                acc, controller, "held", previous=acc.previous, since=since, support=support
            )
            return settled._replace(contenders=(), contest_at=None), []
        # a neutral report confirms a claim (which dates the change) or a presumption
        since = acc.since if acc.basis == "claimed" and acc.since is not None else step.at
        previous = acc.previous if acc.previous is not None else _loser(e.counterpart, e.actor)
        support = (*acc.support, step.evidence) if acc.basis == "claimed" else (step.evidence,)
        acc = _with_controller(acc, controller, "held", previous=previous, since=since, support=support)
        return _confirm(acc._replace(contenders=(), contest_at=None), step, alert_if_first=True)
    previous = cur if cur is not None else _loser(e.counterpart, e.actor)
    acc = _with_controller(acc, e.actor, "held", previous=previous, since=step.at, support=(step.evidence,))
    return _confirm(acc._replace(contenders=(), contest_at=None), step, alert_if_first=True)


def _on_enter(acc: Derivation, step: _Step) -> Result:
    if step.self_serving:
        return _on_claim(acc, step)
    e = step.event
    if acc.controller is None:
        defender = _loser(e.counterpart, e.actor)
        if defender is None:
            return _with_controller(
                acc, e.actor, "presumed", previous=None, since=step.at, support=(step.presumption,)
            ), []
        acc = _with_controller(
            acc, defender, "presumed", previous=None, since=step.at, support=(step.presumption,)
        )
    assert acc.controller is not None
    if not hostile(e.actor, acc.controller):
        return acc._replace(
            controller=refine(acc.controller, e.actor), support=(*acc.support, step.evidence)
        ), []
    return _contest(acc, step)


def _on_withdraw(acc: Derivation, step: _Step) -> Result:
    e, cur = step.event, acc.controller
    if cur is None:
        # you withdraw from where you were: A held it, and its leaving is the doubt
        acc = _with_controller(acc, e.actor, "presumed", previous=None, since=step.at, support=())
        return acc._replace(doubt=(step.evidence,)), []
    if not hostile(e.actor, cur):
        return acc._replace(doubt=(*acc.doubt, step.evidence)), []
    side = side_of(e.actor)
    threats = tuple(x for x in acc.threats if side_of(x.threat.actor) != side)
    contenders = tuple(c for c in acc.contenders if side_of(c) != side)
    return acc._replace(
        threats=threats,
        contenders=contenders,
        contest_at=acc.contest_at if contenders else None,
        support=(*acc.support, step.evidence),
    ), []


def _stated_km(event: SituationEvent) -> float | None:
    """A stated distance is about this place only when measured from it."""
    d = event.distance
    if d is None or (d.reference is not None and not same_place(d.reference, event.place)):
        return None
    return d.km


def _on_threat(acc: Derivation, step: _Step) -> Result:
    e = step.event
    if acc.controller is not None and not hostile(e.actor, acc.controller):
        return acc, []  # an ally's move is no threat
    if acc.controller is None:
        defender = _loser(e.counterpart, e.actor)
        if defender is not None:
            acc = _with_controller(
                acc, defender, "presumed", previous=None, since=step.at, support=(step.presumption,)
            )
    km = _stated_km(e)
    entry = Threat(actor=e.actor, action=e.action, event_id=e.event_id, distance_km=km)
    key = f"{actor_key(e.actor)}|{e.action}"
    for i, active in enumerate(acc.threats):
        if active.key == key:
            renewed = _ActiveThreat(entry, key, active.since, step.at)
            return acc._replace(threats=(*acc.threats[:i], renewed, *acc.threats[i + 1 :])), []
    acc = acc._replace(threats=(*acc.threats, _ActiveThreat(entry, key, step.at, step.at)))
    return acc, [threat(acc.place, e, acc.controller, km)]


def _on_claim(acc: Derivation, step: _Step) -> Result:
    e, cur = step.event, acc.controller
    pending = _PendingClaim(
        Claim(actor=e.actor, action=e.action, stance=e.stance, event_id=e.event_id, source=e.attributed_to),
        step.at,
    )
    if cur is not None and not hostile(e.actor, cur):
        claims = (*acc.claims, pending) if acc.basis == "claimed" else acc.claims
        return acc._replace(
            controller=refine(cur, e.actor), support=(*acc.support, step.evidence), claims=claims
        ), []
    if cur is None or acc.basis == "presumed":
        previous = cur if cur is not None else _loser(e.counterpart, e.actor)
        acc = _with_controller(
            acc, e.actor, "claimed", previous=previous, since=step.at, support=(step.evidence,)
        )
        return acc._replace(claims=(pending,)), [claim_unconfirmed(acc.place, e, None)]
    # a rival claim against a claimant or a holder
    acc = acc._replace(claims=(*acc.claims, pending), doubt=(*acc.doubt, step.evidence))
    return acc, [claim_unconfirmed(acc.place, e, cur if acc.basis == "held" else None)]


def _dispute(acc: Derivation, step: _Step, disputed: list[_PendingClaim], denier: str) -> Result:
    cur = acc.controller
    # a denial speaks for the controller unless it is the controller's own claim being denied
    for_controller = cur is not None and all(hostile(p.claim.actor, cur) for p in disputed)
    acc = acc._replace(
        denials=(*acc.denials, step.event.event_id),
        support=(*acc.support, step.evidence) if for_controller else acc.support,
        doubt=acc.doubt if for_controller else (*acc.doubt, step.evidence),
    )
    latest: dict[str, _PendingClaim] = {side_of(p.claim.actor): p for p in disputed}
    return acc, [claim_disputed(acc.place, p.claim, p.at, step.event, denier) for p in latest.values()]


def _on_denied(acc: Derivation, step: _Step) -> Result:
    e, cur = step.event, acc.controller
    disputed = [p for p in acc.claims if hostile(p.claim.actor, e.actor)]
    if disputed:
        return _dispute(acc, step, disputed, e.actor.name)
    if cur is None:
        return acc, []
    if not hostile(e.actor, cur):
        return acc._replace(support=(*acc.support, step.evidence)), []  # standing by its control
    return acc._replace(doubt=(*acc.doubt, step.evidence)), []


def _on_denied_report(acc: Derivation, step: _Step) -> Result:
    """Any action told with stance ``denied``: "the army denied that rebels took X"."""
    e, cur = step.event, acc.controller
    own = [p for p in acc.claims if not hostile(p.claim.actor, e.actor)]
    if own:
        denier = e.attributed_to.name if e.attributed_to is not None else "a denial"
        return _dispute(acc, step, own, denier)
    if cur is not None and not hostile(e.actor, cur):
        return acc._replace(doubt=(*acc.doubt, step.evidence)), []
    return acc, []


def _on_hold(acc: Derivation, step: _Step) -> Result:
    e, cur = step.event, acc.controller
    if cur is None:
        acc = _with_controller(acc, e.actor, "held", previous=None, since=step.at, support=(step.evidence,))
        return _confirm(acc, step, alert_if_first=False)
    if not hostile(e.actor, cur):
        controller = refine(cur, e.actor)
        support = (*acc.support, step.evidence)
        if step.self_serving and acc.basis != "presumed":
            return acc._replace(controller=controller, support=support), []  # a party repeating itself
        if acc.basis == "held":
            return acc._replace(controller=controller, support=support, claims=(), denials=()), []
        confirms_claim = acc.basis == "claimed"
        since = acc.since if confirms_claim and acc.since is not None else step.at
        acc = _with_controller(acc, controller, "held", previous=acc.previous, since=since, support=support)
        return _confirm(acc, step, alert_if_first=confirms_claim)
    if step.self_serving:
        return _on_claim(acc, step)
    if acc.basis == "held":
        return _contest(acc, step)
    # a neutral report outweighs a presumption or refutes an unconfirmed claim
    if acc.basis == "claimed":
        previous = acc.previous if acc.previous is not None and hostile(acc.previous, e.actor) else None
    else:
        previous = cur
    acc = _with_controller(acc, e.actor, "held", previous=previous, since=step.at, support=(step.evidence,))
    return _confirm(acc, step, alert_if_first=False)


_HANDLERS: Mapping[str, Callable[[Derivation, _Step], Result]] = {
    "captured": _on_take,
    "recaptured": _on_take,
    "entered": _on_enter,
    "withdrew": _on_withdraw,
    "advancing": _on_threat,
    "besieging": _on_threat,
    "attacked": _on_threat,
    "claimed_control": _on_claim,
    "denied": _on_denied,
    "holds": _on_hold,
}


def _expire(acc: Derivation, rules: AlertRules, now: datetime | None = None) -> Derivation:
    now = acc.latest if now is None else max(now, acc.latest)
    threats = tuple(x for x in acc.threats if x.at >= now - rules.threat_ttl)
    contest_over = acc.contest_at is not None and acc.contest_at < now - rules.contest_ttl
    if len(threats) == len(acc.threats) and not contest_over:
        return acc
    if contest_over:
        return acc._replace(threats=threats, contenders=(), contest_at=None)
    return acc._replace(threats=threats)


def _step(acc: Derivation | None, event: SituationEvent, rules: AlertRules) -> Result:
    at = event.occurred_at.start
    if acc is None:
        acc = Derivation(place=event.place, latest=at)
    else:
        acc = _expire(acc._replace(place=event.place, latest=max(acc.latest, at)), rules)
    government = rules.government_side(event.place.country)
    weight = evidence_weight(event, rules.weights, government)
    step = _Step(
        event=event,
        at=at,
        self_serving=is_self_serving(event, government),
        evidence=_Evidence(event.event_id, weight),
        presumption=_Evidence(event.event_id, rules.weights.presumed * event.confidence),
    )
    candidates: list[AlertCandidate] = []
    if event.action in ("entered", "withdrew") and is_foreign(event):
        candidates.append(force_posture(event))
        cur = acc.controller
        if event.action == "withdrew" and cur is not None and actor_key(cur) == actor_key(event.actor):
            acc = acc._replace(doubt=(*acc.doubt, step.evidence))
    else:
        handler = _on_denied_report if event.stance == "denied" and event.action != "denied" else None
        acc, produced = (handler or _HANDLERS[event.action])(acc, step)
        candidates.extend(produced)
    return acc, candidates


def _derive(events: Iterable[SituationEvent], rules: AlertRules) -> Result:
    acc: Derivation | None = None
    candidates: list[AlertCandidate] = []
    for event in events:
        acc, produced = _step(acc, event, rules)
        candidates.extend(produced)
    if acc is None:
        raise InputError("cannot derive a place from no events")
    return acc, candidates


def _status(acc: Derivation) -> ControlStatus:
    cur = acc.controller
    if cur is None:
        return "unknown"
    if acc.contenders:
        return "contested"
    rival_claim = any(hostile(p.claim.actor, cur) for p in acc.claims)
    if acc.basis == "claimed":
        return "disputed" if acc.denials or rival_claim else "claimed"
    if acc.basis == "held" and rival_claim:
        return "disputed"
    if acc.threats:
        return "threatened"
    return "held" if acc.basis == "held" else "unknown"


def _project(acc: Derivation, version: int) -> ControlState:
    has_controller = acc.controller is not None
    return ControlState(
        place=acc.place,
        status=_status(acc),
        controller=acc.controller,
        previous_controller=acc.previous,
        since=acc.since if has_controller else None,
        confidence=(
            control_confidence((x.weight for x in acc.support), (x.weight for x in acc.doubt))
            if has_controller
            else 0.0
        ),
        claims=[p.claim for p in acc.claims],
        supporting_event_ids=[x.event_id for x in acc.support],
        disputing_event_ids=[x.event_id for x in acc.doubt],
        threats=[x.threat for x in acc.threats],
        updated_at=acc.latest,
        version=version,
    )


# --- the view -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class PlaceView:
    """One place: its events (deduplicated, in ``event_key`` order), the derived
    ``ControlState``, and the alerts already produced.

    Equality is over ``key``, ``events`` and ``state``: the alert ledger records
    what was *said*, which depends on arrival order, not what *is*.
    """

    key: str
    events: tuple[SituationEvent, ...]
    derivation: Derivation = field(repr=False)
    # event_key of the last event: most events arrive in order and only need
    # comparing with it (computing keys was the fold's largest own cost).
    last_key: EventKey = field(repr=False)
    ledger: AlertLedger = field(default_factory=AlertLedger, repr=False)
    event_ids: frozenset[str] = field(default=frozenset(), repr=False)
    # The state, projected when first asked for: a processor folds many events
    # into a place per batch and publishes its state once, and building the
    # ControlState was a quarter of the fold's time (bench/processor.py).
    _projected: list[ControlState] = field(default_factory=list, repr=False)

    @property
    def state(self) -> ControlState:
        if not self._projected:
            self._projected.append(_project(self.derivation, len(self.events)))
        return self._projected[0]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlaceView):
            return NotImplemented
        return self.key == other.key and self.events == other.events and self.state == other.state

    __hash__ = None  # type: ignore[assignment]  # mutable memo inside: not hashable

    @property
    def place(self) -> Place:
        return self.state.place

    @property
    def alert_ids(self) -> frozenset[str]:
        return self.ledger.ids


View = Mapping[str, PlaceView]


def _view(
    key: str,
    events: tuple[SituationEvent, ...],
    acc: Derivation,
    ledger: AlertLedger,
    ids: frozenset[str],
) -> PlaceView:
    return PlaceView(key, events, acc, event_key(events[-1]), ledger, ids)


def fold_place(
    current: PlaceView | None, event: SituationEvent, rules: AlertRules
) -> tuple[PlaceView, list[Alert]]:
    """Fold one event into its place; returns the new place view and the new alerts
    (``emitted_at`` unset). ``current`` is unchanged; a duplicate returns it as is."""
    key = place_key(event.place)
    if current is None:
        acc, candidates = _step(None, event, rules)
        ledger, alerts = AlertLedger().admit(candidates, acc.changes, rules)
        return _view(key, (event,), acc, ledger, frozenset({event.event_id})), alerts
    if current.key != key:
        raise InputError(f"event for place {key!r} folded into the view of {current.key!r}")
    if event.event_id in current.event_ids:
        return _fold_duplicate(current, event, rules)
    if event_key(event) > current.last_key:
        acc, candidates = _step(current.derivation, event, rules)
        events = (*current.events, event)
    else:
        staged = list(current.events)
        insort(staged, event, key=event_key)
        events = tuple(staged)
        acc, candidates = _derive(events, rules)
    ledger, alerts = current.ledger.admit(candidates, acc.changes, rules)
    return _view(key, events, acc, ledger, current.event_ids | {event.event_id}), alerts


def _fold_duplicate(
    current: PlaceView, event: SituationEvent, rules: AlertRules
) -> tuple[PlaceView, list[Alert]]:
    existing = next(e for e in current.events if e.event_id == event.event_id)
    if existing == event or _version_key(existing) >= _version_key(event):
        return current, []
    staged = [e for e in current.events if e.event_id != event.event_id]
    insort(staged, event, key=event_key)
    events = tuple(staged)
    acc, candidates = _derive(events, rules)
    ledger, alerts = current.ledger.admit(candidates, acc.changes, rules)
    return _view(current.key, events, acc, ledger, current.event_ids), alerts


def state_at(place_view: PlaceView, when: datetime, rules: AlertRules) -> ControlState:
    """The place's state with threats and contests aged to ``when`` (a time the
    caller passes in, e.g. now). The fold itself ages them only by the place's own
    events, so a place that goes quiet would otherwise stay threatened forever.
    ``updated_at`` stays the time of the latest event."""
    aged = _expire(place_view.derivation, rules, when)
    if aged is place_view.derivation:
        return place_view.state
    return _project(aged, len(place_view.events))


def fold(view: View, event: SituationEvent, rules: AlertRules) -> tuple[View, list[Alert]]:
    """Fold one event into the whole view. Pure: the input mapping is untouched;
    the result is a new mapping, or the input itself when the event is a duplicate.
    Copying the mapping is O(places); a processor owning its dict should call
    ``fold_place`` and assign the result instead."""
    key = place_key(event.place)
    current = view.get(key)
    place_view, alerts = fold_place(current, event, rules)
    if place_view is current:
        return view, alerts
    return {**view, key: place_view}, alerts


def fold_many(view: View, events: Iterable[SituationEvent], rules: AlertRules) -> tuple[View, list[Alert]]:
    """Fold a batch. The batch is applied in event-time order, so the alerts are
    those of the exact history (one article's "rebels" caption and "HTS" sentence
    give one control_changed naming HTS), not of the batch's arrival order."""
    out = dict(view)
    alerts: list[Alert] = []
    for event in sorted(_dedupe(events), key=event_key):
        key = place_key(event.place)
        place_view, produced = fold_place(out.get(key), event, rules)
        out[key] = place_view
        alerts.extend(produced)
    return out, alerts


def states_after_each(
    events: Iterable[SituationEvent], rules: AlertRules
) -> Iterator[tuple[SituationEvent, ControlState]]:
    """One place's events in event-time order, each with the place's state
    right after it: the same steps as ``replay`` (and so as the processor)."""
    acc: Derivation | None = None
    ordered = sorted(_dedupe(events), key=event_key)
    for version, event in enumerate(ordered, start=1):
        acc, _ = _step(acc, event, rules)
        yield event, _project(acc, version)


def _dedupe(events: Iterable[SituationEvent]) -> list[SituationEvent]:
    """One event per id, the re-parse rule deciding between differing copies."""
    chosen: dict[str, SituationEvent] = {}
    for event in events:
        seen = chosen.get(event.event_id)
        if seen is None or _version_key(event) > _version_key(seen):
            chosen[event.event_id] = event
    return list(chosen.values())


def replay(events: Iterable[SituationEvent], rules: AlertRules) -> tuple[dict[str, PlaceView], list[Alert]]:
    """The view and alerts of a set of events, as if folded one by one in event-time
    order (equal to folding them in any order, up to alerts that an out-of-order
    arrival said early). Derives each place once: O(n log n)."""
    by_place: dict[str, list[SituationEvent]] = {}
    for event in _dedupe(events):
        by_place.setdefault(place_key(event.place), []).append(event)
    views: dict[str, PlaceView] = {}
    tagged: list[tuple[EventKey, int, Alert]] = []
    for key, place_events in by_place.items():
        place_events.sort(key=event_key)
        acc: Derivation | None = None
        ledger = AlertLedger()
        for event in place_events:
            acc, candidates = _step(acc, event, rules)
            ledger, admitted = ledger.admit(candidates, acc.changes, rules)
            order = event_key(event)
            tagged.extend((order, i, alert) for i, alert in enumerate(admitted))
        assert acc is not None
        ids = frozenset(e.event_id for e in place_events)
        views[key] = _view(key, tuple(place_events), acc, ledger, ids)
    tagged.sort(key=lambda item: (item[0], item[1]))
    return views, [alert for _, _, alert in tagged]
