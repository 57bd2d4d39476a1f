"""Alert rules: which changes of the view a subscriber hears about, and their settings.

The fold (``domain.fold``) decides *when* something happened; this module says
what the alert looks like, how severe it is, which id it gets, and whether it
was already said.

Kinds and severities
--------------------
====================  ========  ===================================================
kind                  severity  raised when
====================  ========  ===================================================
control_changed       critical  the confirmed controlling side of a place changes
                                (a neutral capture, or a neutral report confirming a
                                claim); never for a same-side refinement ("rebels"
                                → "Hayat Tahrir al-Sham")
claim_unconfirmed     warning   a party claims control that no neutral report backs
claim_disputed        warning   a pending claim is denied
contested             warning   a hostile force is inside a held place, or two
                                hostile sides are both reported holding it
threat                warning   a hostile actor starts advancing on, besieging or
                                attacking a place (once per threat episode)
capital_threatened    critical  an actor hostile to the capital's holder is within
                                ``capital_threat_km`` of its country's capital
force_posture         info      a foreign force (actor country ≠ place country)
                                withdraws from or enters a place
====================  ========  ===================================================

Only control_changed sets ``previous_controller``; the other kinds name the
current holder in the message.

Capital threat
--------------
An event counts when its action shows presence or pressure (captured,
recaptured, entered, advancing, besieging, attacked, claimed_control, holds; not
withdrew or denied, and not a denied stance), its actor has a known side that
differs from the side holding ``capitals[country]`` at the event's time, and its
distance to ``capitals[country]`` is at most ``capital_threat_km``. Who holds
the capital is the capital's own control state (a second, country-keyed stage:
``domain.capitals``); until that state names a controller, the holder is
``government_sides[country]``. So rebels near Damascus threaten it while the
government holds it, and stop threatening it once they hold it themselves;
the government's forces then would. The distance is, first match wins:

1. the stated distance when its reference place is the capital ("six miles from
   the capital" → 9.66 km);
2. zero when the event place is the capital itself;
3. the great-circle distance between the event place and the capital;
4. an upper bound from a stated distance to another reference place:
   ``km + d(reference, capital)`` (triangle inequality).

An actor with no known side is not judged hostile: an unknown allegiance must not
raise the alarm of highest severity.

Alert identity
--------------
``alert_id = ids.alert_id(kind, place_key, subject, day)`` where ``subject`` is
what the alert is about (the new controller's *side* for control_changed, the
threat actor and action for threat, …) and ``day`` the UTC day of the fact. The
controller's side rather than its id, and never the previous controller, so that
"rebels took Hama" and "HTS took Hama" on the same day are one change, and a late
article revealing who held Hama before does not produce a second alert.

Because a late event can shift the *day* of a fact, ids alone are not enough.
``AlertLedger`` keeps what was already said and also drops:

- a control_changed to side S when an alert to S was already given within the
  same tenure of S (between the neighbouring changes to other sides in the
  re-derived history);
- any other kind whose (kind, subject) was already alerted within
  ``realert_window`` of event time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from domain.confidence import StanceWeights
from domain.errors import ConfigurationError
from domain.geo import distance_km, same_place
from domain.ids import alert_id, name_key, place_key
from schemas.alert import Alert, AlertKind, Severity
from schemas.common import ActorRef, Place
from schemas.control import Claim
from schemas.event import SituationEvent

SEVERITY: Mapping[AlertKind, Severity] = {
    "control_changed": "critical",
    "claim_unconfirmed": "warning",
    "claim_disputed": "warning",
    "contested": "warning",
    "threat": "warning",
    "capital_threatened": "critical",
    "force_posture": "info",
}

PRESSURE_ACTIONS = frozenset(
    {"captured", "recaptured", "entered", "advancing", "besieging", "attacked", "claimed_control", "holds"}
)

_VERBS: Mapping[str, str] = {
    "captured": "captured",
    "recaptured": "recaptured",
    "entered": "entered",
    "withdrew": "withdrew from",
    "advancing": "advancing on",
    "besieging": "besieging",
    "attacked": "attacking",
    "claimed_control": "claims control of",
    "denied": "denies",
    "holds": "holds",
}


@dataclass(frozen=True)
class AlertRules:
    """Settings of the fold and the alert rules; all times are event time.

    - ``capitals``: ISO2 → the national capital (a ``Place``, ideally with
      coordinates).
    - ``government_sides``: ISO2 → side id of that country's government
      (``"SY"`` → ``"sy-gov"``). Actors of another known side are hostile to it.
    - ``capital_threat_km``: a hostile actor this close to a capital raises
      capital_threatened.
    - ``threat_ttl``: a threat not renewed within this span of the place's latest
      event time stops counting (the place is no longer "threatened").
    - ``contest_ttl``: likewise for a hostile force reported inside a place.
    - ``realert_window``: an alert of the same kind and subject at a place is not
      repeated within this span (control_changed uses tenure instead). Keep it
      at most ``threat_ttl``, so that a new threat episode always alerts.
    - ``weights``: stance weights of the confidence function (``domain.confidence``).
    """

    capitals: Mapping[str, Place] = field(default_factory=dict)
    government_sides: Mapping[str, str] = field(default_factory=dict)
    capital_threat_km: float = 50.0
    threat_ttl: timedelta = timedelta(days=3)
    contest_ttl: timedelta = timedelta(days=7)
    realert_window: timedelta = timedelta(days=3)
    weights: StanceWeights = field(default_factory=StanceWeights)

    def __post_init__(self) -> None:
        if self.capital_threat_km < 0:
            raise ConfigurationError(f"capital_threat_km must be ≥ 0, got {self.capital_threat_km}")
        for name in ("threat_ttl", "contest_ttl"):
            if getattr(self, name) <= timedelta(0):
                raise ConfigurationError(f"{name} must be positive, got {getattr(self, name)}")
        if self.realert_window < timedelta(0):
            raise ConfigurationError(f"realert_window must be ≥ 0, got {self.realert_window}")
        w = self.weights
        for name in ("neutral_report", "asserted", "reported", "self_claim", "presumed"):
            if not 0.0 <= getattr(w, name) <= 1.0:
                raise ConfigurationError(f"weights.{name} must be within [0, 1], got {getattr(w, name)}")

    def government_side(self, country: str | None) -> str | None:
        return self.government_sides.get(country.upper()) if country else None

    def capital(self, country: str | None) -> Place | None:
        return self.capitals.get(country.upper()) if country else None


# --- sides and hostility ---------------------------------------------------------------------------


def side_of(actor: ActorRef) -> str:
    """The side an actor fights on; an actor without a registered side is its own side."""
    if actor.side:
        return actor.side
    if actor.id:
        return f"actor:{actor.id}"
    return f"name:{name_key(actor.name)}"


def actor_key(actor: ActorRef) -> str:
    """Identity of one actor (finer than its side)."""
    return actor.id or f"name:{name_key(actor.name)}"


def hostile(a: ActorRef, b: ActorRef) -> bool:
    """Actors of the same side are not hostile to each other."""
    return side_of(a) != side_of(b)


def refine(current: ActorRef, incoming: ActorRef) -> ActorRef:
    """Of two same-side actors, the one the view should name: a specific actor
    refines a generic one ("rebels" → "Hayat Tahrir al-Sham"), never the reverse."""
    if current.generic and not incoming.generic:
        return incoming
    return current


def is_foreign(event: SituationEvent) -> bool:
    """A force acting outside its home country ("Russia … from Tartus")."""
    home, where = event.actor.country, event.place.country
    return home is not None and where is not None and home.upper() != where.upper()


# --- candidates and their builders ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    """An alert the fold would raise, with what the ledger needs to deduplicate it."""

    alert: Alert
    subject: str
    at: datetime


def _day(at: datetime) -> str:
    return at.astimezone(UTC).date().isoformat()


def _candidate(
    kind: AlertKind,
    place: Place,
    subject: str,
    at: datetime,
    message: str,
    event_ids: Sequence[str],
    actor: ActorRef | None = None,
    previous: ActorRef | None = None,
) -> AlertCandidate:
    return AlertCandidate(
        alert=Alert(
            alert_id=alert_id(kind, place_key(place), subject, _day(at)),
            kind=kind,
            severity=SEVERITY[kind],
            place=place,
            actor=actor,
            previous_controller=previous,
            message=message,
            event_ids=list(event_ids),
            occurred_at=at,
        ),
        subject=subject,
        at=at,
    )


def control_changed(
    place: Place, controller: ActorRef, previous: ActorRef | None, since: datetime, event: SituationEvent
) -> AlertCandidate:
    source = f"from {previous.name} " if previous is not None else ""
    return _candidate(
        "control_changed",
        place,
        side_of(controller),
        since,
        f"{place.name}: control passed {source}to {controller.name}",
        [event.event_id],
        actor=controller,
        previous=previous,
    )


def claim_unconfirmed(place: Place, event: SituationEvent, controller: ActorRef | None) -> AlertCandidate:
    held = f" (held by {controller.name})" if controller is not None else ""
    return _candidate(
        "claim_unconfirmed",
        place,
        side_of(event.actor),
        event.occurred_at.start,
        f"{place.name}: {event.actor.name} claims control, unconfirmed{held}",
        [event.event_id],
        actor=event.actor,
    )


def claim_disputed(
    place: Place, claim: Claim, claimed_at: datetime, denial: SituationEvent, denier: str
) -> AlertCandidate:
    return _candidate(
        "claim_disputed",
        place,
        side_of(claim.actor),
        claimed_at,
        f"{place.name}: {claim.actor.name}'s claim of control is denied by {denier}",
        [claim.event_id, denial.event_id],
        actor=claim.actor,
    )


def contested(
    place: Place, controller: ActorRef, contender: ActorRef, event: SituationEvent
) -> AlertCandidate:
    return _candidate(
        "contested",
        place,
        side_of(contender),
        event.occurred_at.start,
        f"{place.name}: contested between {controller.name} and {contender.name}",
        [event.event_id],
        actor=contender,
    )


def threat(
    place: Place, event: SituationEvent, controller: ActorRef | None, km: float | None
) -> AlertCandidate:
    where = f", {km:.1f} km away" if km is not None else ""
    held = f" (held by {controller.name})" if controller is not None else ""
    return _candidate(
        "threat",
        place,
        f"{actor_key(event.actor)}|{event.action}",
        event.occurred_at.start,
        f"{place.name}: {event.actor.name} {_VERBS[event.action]} {place.name}{where}{held}",
        [event.event_id],
        actor=event.actor,
    )


def force_posture(event: SituationEvent) -> AlertCandidate:
    place, actor = event.place, event.actor
    return _candidate(
        "force_posture",
        place,
        f"{actor_key(actor)}|{event.action}",
        event.occurred_at.start,
        f"{place.name}: foreign force {actor.name} {_VERBS[event.action]} {place.name}; control unchanged",
        [event.event_id],
        actor=actor,
    )


def distance_to(event: SituationEvent, capital: Place) -> float | None:
    """Distance from the event's place to ``capital`` (see "Capital threat")."""
    stated = event.distance
    if stated is not None and stated.reference is not None and same_place(stated.reference, capital):
        return stated.km
    if same_place(event.place, capital):
        return 0.0
    direct = distance_km(event.place, capital)
    if direct is not None:
        return direct
    if stated is not None and stated.reference is not None:
        via = distance_km(stated.reference, capital)
        if via is not None:
            return stated.km + via
    return None


def near_capital(event: SituationEvent, rules: AlertRules) -> tuple[str, Place, float] | None:
    """(country, capital, km) when the event shows presence or pressure within
    ``capital_threat_km`` of its country's capital; who is hostile to whom is
    judged later, against the capital's holder (``domain.capitals``)."""
    if event.action not in PRESSURE_ACTIONS or event.stance == "denied" or event.actor.side is None:
        return None
    country = event.place.country
    if country is None and event.distance is not None and event.distance.reference is not None:
        country = event.distance.reference.country
    capital = rules.capital(country)
    if country is None or capital is None:
        return None
    km = distance_to(event, capital)
    if km is None or km > rules.capital_threat_km:
        return None
    return country.upper(), capital, km


def capital_threatened(event: SituationEvent, capital: Place, km: float) -> AlertCandidate:
    """The capital_threatened alert of a hostile event ``km`` from ``capital``.
    Its place is the capital; one per approaching place and side per day."""
    verb = _VERBS[event.action]
    if same_place(event.place, capital):
        what = f"{event.actor.name} {verb} the capital" + (f", {km:.1f} km away" if km > 0 else "")
    else:
        what = f"{event.actor.name} {verb} {event.place.name}, {km:.1f} km from the capital"
    return _candidate(
        "capital_threatened",
        capital,
        f"{place_key(event.place)}|{event.actor.side}",
        event.occurred_at.start,
        f"{capital.name}: {what}",
        [event.event_id],
        actor=event.actor,
    )


# --- what was already said ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertRecord:
    kind: AlertKind
    subject: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AlertLedger:
    """The alerts a place has already produced (immutable; ``admit`` returns a new one)."""

    ids: frozenset[str] = frozenset()
    records: tuple[AlertRecord, ...] = ()

    def admit(
        self,
        candidates: Sequence[AlertCandidate],
        changes: Sequence[tuple[str, datetime]],
        rules: AlertRules,
    ) -> tuple[AlertLedger, list[Alert]]:
        """Keep the candidates not said before, in order; ``changes`` is the
        (side, since) history of control changes of the derivation that produced
        them, used to recognise a tenure already alerted."""
        ids, records = set(self.ids), list(self.records)
        admitted: list[Alert] = []
        for cand in candidates:
            alert = cand.alert
            if alert.alert_id in ids or _said_before(cand, records, changes, rules):
                continue
            ids.add(alert.alert_id)
            records.append(AlertRecord(alert.kind, cand.subject, cand.at))
            admitted.append(alert)
        if not admitted:
            return self, []
        return AlertLedger(frozenset(ids), tuple(records)), admitted


def _said_before(
    cand: AlertCandidate,
    records: Sequence[AlertRecord],
    changes: Sequence[tuple[str, datetime]],
    rules: AlertRules,
) -> bool:
    kind = cand.alert.kind
    same = [r for r in records if r.kind == kind and r.subject == cand.subject]
    if not same:
        return False
    if kind != "control_changed":
        return any(abs(r.at - cand.at) < rules.realert_window for r in same)
    lo, hi = _tenure(cand, changes)
    return any((lo is None or r.at > lo) and (hi is None or r.at < hi) for r in same)


def _tenure(
    cand: AlertCandidate, changes: Sequence[tuple[str, datetime]]
) -> tuple[datetime | None, datetime | None]:
    """The open interval between the changes before and after this one."""
    for i in range(len(changes) - 1, -1, -1):
        if changes[i] == (cand.subject, cand.at):
            lo = changes[i - 1][1] if i > 0 else None
            hi = changes[i + 1][1] if i + 1 < len(changes) else None
            return lo, hi
    return None, None
