"""The control fold: the seed-article scenario and the rules one by one."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from domain.alert_rules import AlertRules
from domain.capitals import CapitalWatch, capital_signals, fold_capital, replay_stages
from domain.errors import InputError
from domain.fold import PlaceView, View, event_key, fold, fold_many, fold_place, replay, state_at
from domain.geo import KM_PER_MILE
from domain.ids import event_id, place_key
from schemas import ActorRef, Alert, Distance, Evidence, Place, SituationEvent, Source, TimeSpan
from schemas.event import Action, Stance

# --- reference data of the seed article (Syria, 2024-12-07) ---------------------------------------

DAMASCUS = Place(
    id="geonames:170654",
    name="Damascus",
    text="Damascus",
    lat=33.5102,
    lon=36.2913,
    country="SY",
    is_capital=True,
)
HAMA = Place(id="geonames:170063", name="Hama", text="Hama", lat=35.1318, lon=36.7578, country="SY")
HOMS = Place(id="geonames:169577", name="Homs", text="Homs", lat=34.7268, lon=36.7234, country="SY")
DARAA = Place(id="geonames:170592", name="Daraa", text="Daraa", lat=32.6189, lon=36.1021, country="SY")
TARTUS = Place(id="geonames:163345", name="Tartus", text="Tartus", lat=34.8890, lon=35.8866, country="SY")
ZAKYAH = Place(id=None, name="Zakyah", text="Zakyah", country="SY")  # not in the gazetteer

GOV = ActorRef(id="sy-gov", name="Syrian government", side="sy-gov", country="SY")
REBELS = ActorRef(id="sy-rebels", name="rebels", side="sy-opposition", country="SY", generic=True)
HTS = ActorRef(id="hts", name="Hayat Tahrir al-Sham", side="sy-opposition", country="SY")
SOR = ActorRef(id="sy-sor", name="Southern Operations Room", side="sy-opposition", country="SY")
RUSSIA = ActorRef(id="ru", name="Russia", country="RU")

SOHR = Source(name="Syrian Observatory for Human Rights", kind="monitor")
STATE_TV = Source(name="state television", kind="government")
MILITARY = Source(name="Syrian military", kind="government")

RULES = AlertRules(capitals={"SY": DAMASCUS}, government_sides={"SY": "sy-gov"})

PUBLISHED = datetime(2024, 12, 7, 10, tzinfo=UTC)
TODAY = datetime(2024, 12, 7, tzinfo=UTC)  # undated statements: the day of publication
THURSDAY = datetime(2024, 12, 5, tzinfo=UTC)
FRIDAY_EVENING = datetime(2024, 12, 6, 17, tzinfo=UTC)
LATE_FRIDAY = datetime(2024, 12, 6, 20, tzinfo=UTC)


def make_event(
    action: Action,
    place: Place,
    actor: ActorRef,
    *,
    when: datetime = TODAY,
    precision: str = "day",
    counterpart: ActorRef | None = None,
    stance: Stance = "asserted",
    source: Source | None = None,
    distance: Distance | None = None,
    confidence: float = 0.8,
    published: datetime | None = PUBLISHED,
    article: str = "seed",
    sentence: int = 0,
    caption: bool = False,
    parser_version: str = "test",
) -> SituationEvent:
    """A hand-built event, as the parser would emit it."""
    span = timedelta(hours=6) if precision == "part_of_day" else timedelta(days=1)
    return SituationEvent(
        event_id=event_id(article, sentence, action, place_key(place), actor.id or actor.name),
        article_id=article,
        action=action,
        place=place,
        actor=actor,
        counterpart=counterpart,
        stance=stance,
        attributed_to=source,
        occurred_at=TimeSpan(start=when, end=when + span, precision="day"),
        published_at=published,
        distance=distance,
        confidence=confidence,
        evidence=Evidence(
            sentence=f"{actor.name} {action} {place.name}",
            sentence_index=sentence,
            char_start=0,
            char_end=1,
            caption=caption,
        ),
        parser_version=parser_version,
    )


def miles(value: float, reference: Place | None, text: str) -> Distance:
    return Distance(km=round(value * KM_PER_MILE, 2), value=value, unit="mi", reference=reference, text=text)


def stream(events: Sequence[SituationEvent], rules: AlertRules = RULES) -> tuple[View, list[Alert]]:
    """Fold one event at a time through both stages, as the processor does:
    the place's fold, then the signals it hands on to its country's watch."""
    view, _, alerts = stream_stages(events, rules)
    return view, alerts


def stream_places(events: Sequence[SituationEvent], rules: AlertRules = RULES) -> tuple[View, list[Alert]]:
    """Fold one event at a time through the first stage only (places)."""
    view: View = {}
    alerts: list[Alert] = []
    for event in events:
        view, produced = fold(view, event, rules)
        alerts.extend(produced)
    return view, alerts


def stream_stages(
    events: Sequence[SituationEvent], rules: AlertRules = RULES
) -> tuple[View, dict[str, CapitalWatch], list[Alert]]:
    view: View = {}
    watches: dict[str, CapitalWatch] = {}
    alerts: list[Alert] = []
    for event in events:
        before = view.get(place_key(event.place))
        view, produced = fold(view, event, rules)
        alerts.extend(produced)
        after = view[place_key(event.place)]
        changed = [after.state] if before is None or after.state != before.state else []
        for signal in capital_signals([event], changed, rules):
            watches[signal.country], produced = fold_capital(watches.get(signal.country), signal, rules)
            alerts.extend(produced)
    return view, watches, alerts


def state_of(view: View, place: Place) -> PlaceView:
    return view[place_key(place)]


def kinds(alerts: Sequence[Alert], place: Place | None = None) -> list[str]:
    return [a.kind for a in alerts if place is None or place_key(a.place) == place_key(place)]


# --- the acceptance scenario ----------------------------------------------------------------------

HAMA_EVENTS = [
    make_event("captured", HAMA, REBELS, when=THURSDAY, counterpart=GOV, sentence=3, caption=True),
    make_event("captured", HAMA, HTS, when=THURSDAY, counterpart=GOV, sentence=28),
]
DARAA_EVENTS = [
    make_event("captured", DARAA, SOR, when=FRIDAY_EVENING, precision="part_of_day", sentence=12),
    make_event("withdrew", DARAA, GOV, when=FRIDAY_EVENING, precision="part_of_day", sentence=12),
]
ZAKYAH_EVENTS = [
    make_event(
        "claimed_control",
        ZAKYAH,
        SOR,
        stance="claimed",
        source=Source(name="Southern Operations Room", kind="party"),
        distance=miles(16, DAMASCUS, "16 miles from Damascus"),
        sentence=14,
    ),
]
HOMS_EVENTS = [
    make_event("holds", HOMS, GOV, stance="reported", source=STATE_TV, sentence=31),
    make_event("advancing", HOMS, REBELS, sentence=5, caption=True),
    make_event("advancing", HOMS, HTS, sentence=30),
    make_event(
        "besieging",
        HOMS,
        HTS,
        when=LATE_FRIDAY,
        precision="part_of_day",
        stance="claimed",
        source=Source(name="Hayat Tahrir al-Sham", kind="party"),
        sentence=33,
    ),
]
DAMASCUS_EVENTS = [
    make_event(
        "advancing", DAMASCUS, REBELS, distance=miles(6, DAMASCUS, "six miles from the capital"), sentence=0
    ),
    make_event("attacked", DAMASCUS, REBELS, sentence=2),
    make_event("withdrew", DAMASCUS, GOV, stance="reported", source=SOHR, sentence=20),
    make_event("denied", DAMASCUS, GOV, source=MILITARY, sentence=21),
]
TARTUS_EVENTS = [
    make_event("holds", TARTUS, GOV, sentence=40),
    make_event("withdrew", TARTUS, RUSSIA, sentence=44),
]
SEED_EVENTS = HAMA_EVENTS + DARAA_EVENTS + ZAKYAH_EVENTS + HOMS_EVENTS + DAMASCUS_EVENTS + TARTUS_EVENTS


def check_seed_view(view: View) -> None:
    hama = state_of(view, HAMA).state
    assert (hama.status, hama.controller, hama.previous_controller) == ("held", HTS, GOV)
    assert hama.since == THURSDAY

    daraa = state_of(view, DARAA).state
    assert (daraa.status, daraa.controller) == ("held", SOR)
    assert daraa.previous_controller == GOV

    zakyah = state_of(view, ZAKYAH).state
    assert (zakyah.status, zakyah.controller) == ("claimed", SOR)
    assert [c.actor for c in zakyah.claims] == [SOR]

    homs = state_of(view, HOMS).state
    assert (homs.status, homs.controller) == ("threatened", GOV)
    assert {(t.actor.id, t.action) for t in homs.threats} == {
        ("sy-rebels", "advancing"),
        ("hts", "advancing"),
        ("hts", "besieging"),
    }

    damascus = state_of(view, DAMASCUS).state
    assert (damascus.status, damascus.controller) == ("threatened", GOV)
    assert [t.distance_km for t in damascus.threats if t.action == "advancing"] == [pytest.approx(9.66)]

    tartus = state_of(view, TARTUS).state
    assert (tartus.status, tartus.controller) == ("held", GOV)


def check_seed_alerts(alerts: Sequence[Alert]) -> None:
    assert len({a.alert_id for a in alerts}) == len(alerts), "an alert was said twice"
    assert all(a.emitted_at is None for a in alerts)
    changed = [a for a in alerts if a.kind == "control_changed"]
    assert sorted(place_key(a.place) for a in changed) == sorted([place_key(HAMA), place_key(DARAA)])
    assert kinds(alerts, ZAKYAH) == ["claim_unconfirmed"]
    assert "threat" in kinds(alerts, HOMS)
    assert "control_changed" not in kinds(alerts, HOMS) + kinds(alerts, DAMASCUS) + kinds(alerts, TARTUS)
    assert kinds(alerts, TARTUS) == ["force_posture"]
    capital = [a for a in alerts if a.kind == "capital_threatened"]
    assert {a.place for a in capital} == {DAMASCUS}
    sources = {e.place.name for a in capital for e in SEED_EVENTS if e.event_id in a.event_ids}
    assert {"Zakyah", "Damascus"} <= sources
    assert all(a.severity == "critical" for a in capital + changed)


def test_seed_scenario_by_replay() -> None:
    view, _, alerts = replay_stages(SEED_EVENTS, RULES)
    check_seed_view(view)
    check_seed_alerts(alerts)
    (hama,) = [a for a in alerts if a.kind == "control_changed" and a.place == HAMA]
    assert hama.message == "Hama: control passed from Syrian government to Hayat Tahrir al-Sham"
    assert hama.actor == HTS and hama.previous_controller == GOV
    assert hama.occurred_at == THURSDAY


@pytest.mark.parametrize("seed", range(8))
def test_seed_scenario_in_any_arrival_order(seed: int) -> None:
    events = list(SEED_EVENTS)
    random.Random(seed).shuffle(events)
    view, alerts = stream(events)
    check_seed_view(view)
    check_seed_alerts(alerts)
    assert dict(view) == replay(SEED_EVENTS, RULES)[0]


@pytest.mark.parametrize("order", list(itertools.permutations(range(2))))
def test_hama_one_change_to_hts_whatever_the_order(order: tuple[int, ...]) -> None:
    events = [HAMA_EVENTS[i] for i in order]
    for view, alerts in (replay(events, RULES), fold_many({}, events, RULES)):
        changed = [a for a in alerts if a.kind == "control_changed"]
        assert [(a.actor, a.previous_controller) for a in changed] == [(HTS, GOV)]
        assert state_of(view, HAMA).state.controller == HTS
    view, alerts = stream(events)
    changed = [a for a in alerts if a.kind == "control_changed"]
    # one alert whatever the order; folded one at a time, it names whoever was known first
    assert len(changed) == 1 and changed[0].actor is not None
    assert changed[0].actor.side == "sy-opposition"
    assert state_of(view, HAMA).state.controller == HTS


def test_capital_threat_from_stated_distance_and_from_the_capital_itself() -> None:
    _, _, alerts = replay_stages(ZAKYAH_EVENTS + DAMASCUS_EVENTS[:1], RULES)
    capital = {a.message for a in alerts if a.kind == "capital_threatened"}
    assert capital == {
        "Damascus: Southern Operations Room claims control of Zakyah, 25.8 km from the capital",
        "Damascus: rebels advancing on the capital, 9.7 km away",
    }


# --- event time, idempotence -------------------------------------------------------------------------


def test_old_article_arriving_late_does_not_revert_a_capture() -> None:
    capture = make_event("captured", HAMA, HTS, when=datetime(2024, 12, 5, tzinfo=UTC), counterpart=GOV)
    old = make_event(
        "holds",
        HAMA,
        GOV,
        when=datetime(2024, 12, 1, tzinfo=UTC),
        published=datetime(2024, 12, 1, tzinfo=UTC),
        article="old",
    )
    view, first = stream([capture])
    view, late = fold(view, old, RULES)
    state = state_of(view, HAMA).state
    assert (state.status, state.controller, state.previous_controller) == ("held", HTS, GOV)
    assert late == [] and kinds(first) == ["control_changed"]
    assert state.updated_at == capture.occurred_at.start and state.version == 2
    assert [e.event_id for e in state_of(view, HAMA).events] == [old.event_id, capture.event_id]


def test_a_later_capture_is_a_change() -> None:
    retake = make_event(
        "recaptured", HAMA, GOV, when=datetime(2024, 12, 9, tzinfo=UTC), counterpart=HTS, article="later"
    )
    view, alerts = stream([*reversed(HAMA_EVENTS), retake])
    state = state_of(view, HAMA).state
    assert (state.controller, state.previous_controller, state.since) == (GOV, HTS, retake.occurred_at.start)
    assert [(a.actor, a.previous_controller) for a in alerts if a.kind == "control_changed"] == [
        (HTS, GOV),
        (GOV, HTS),
    ]


def test_folding_an_event_twice_changes_nothing() -> None:
    view, _ = stream(SEED_EVENTS)
    for event in SEED_EVENTS:
        again, alerts = fold(view, event, RULES)
        assert again is view and alerts == []


def test_fold_is_pure() -> None:
    view, _ = stream(HAMA_EVENTS)
    before = dict(view)
    new_view, _ = fold(view, DARAA_EVENTS[0], RULES)
    assert dict(view) == before and place_key(DARAA) not in view
    assert place_key(DARAA) in new_view


def test_reparsed_event_with_same_id_is_resolved_deterministically() -> None:
    v1 = make_event("captured", HAMA, HTS, when=THURSDAY, parser_version="1")
    v2 = v1.model_copy(update={"parser_version": "2", "counterpart": GOV})
    a, _ = stream([v1, v2])
    b, _ = stream([v2, v1])
    assert a == b
    assert state_of(a, HAMA).events == (v2,)
    assert state_of(a, HAMA).state.previous_controller == GOV


def test_wrong_place_view_is_refused() -> None:
    view, _ = stream(HAMA_EVENTS)
    with pytest.raises(InputError):
        fold_place(state_of(view, HAMA), DARAA_EVENTS[0], RULES)


def test_late_event_does_not_repeat_a_change_with_a_revised_date() -> None:
    hts = make_event("captured", HAMA, HTS, when=datetime(2024, 12, 5, tzinfo=UTC), counterpart=GOV)
    earlier = make_event("captured", HAMA, REBELS, when=datetime(2024, 12, 4, tzinfo=UTC), article="b")
    view, alerts = stream([hts, earlier])
    assert kinds(alerts) == ["control_changed"]
    assert state_of(view, HAMA).state.since == datetime(2024, 12, 4, tzinfo=UTC)


def test_event_key_orders_by_event_time_then_publication() -> None:
    a = make_event(
        "holds", HAMA, GOV, when=THURSDAY, published=datetime(2024, 12, 6, tzinfo=UTC), article="a"
    )
    b = make_event(
        "holds", HAMA, GOV, when=THURSDAY, published=datetime(2024, 12, 7, tzinfo=UTC), article="b"
    )
    c = make_event("holds", HAMA, GOV, when=datetime(2024, 12, 4, tzinfo=UTC), article="c")
    assert sorted([b, c, a], key=event_key) == [c, a, b]


# --- claims and denials --------------------------------------------------------------------------------

CLAIM = make_event("claimed_control", ZAKYAH, SOR, stance="claimed", sentence=1)


def test_claim_then_denial_is_disputed() -> None:
    denial = make_event("denied", ZAKYAH, GOV, source=MILITARY, sentence=2)
    view, alerts = stream([CLAIM, denial])
    state = state_of(view, ZAKYAH).state
    assert (state.status, state.controller) == ("disputed", SOR)
    assert denial.event_id in state.disputing_event_ids
    assert kinds(alerts) == ["claim_unconfirmed", "claim_disputed"]
    disputed = alerts[-1]
    assert disputed.event_ids == [CLAIM.event_id, denial.event_id]
    assert (
        disputed.message
        == "Zakyah: Southern Operations Room's claim of control is denied by Syrian government"
    )


def test_denied_stance_disputes_the_actors_claim() -> None:
    denial = make_event("captured", ZAKYAH, SOR, stance="denied", source=MILITARY, sentence=2)
    view, alerts = stream([CLAIM, denial])
    assert state_of(view, ZAKYAH).state.status == "disputed"
    assert "denied by Syrian military" in alerts[-1].message


def test_asserted_capture_settles_a_disputed_claim() -> None:
    denial = make_event("denied", ZAKYAH, GOV, sentence=2)
    capture = make_event(
        "captured", ZAKYAH, SOR, when=TODAY + timedelta(days=1), counterpart=GOV, article="b"
    )
    view, alerts = stream([CLAIM, denial, capture])
    state = state_of(view, ZAKYAH).state
    assert (state.status, state.controller, state.claims, state.disputing_event_ids) == ("held", SOR, [], [])
    (changed,) = [a for a in alerts if a.kind == "control_changed"]
    assert changed.actor == SOR


def test_neutral_report_confirms_a_claim_and_dates_the_change_to_it() -> None:
    report = make_event(
        "holds", ZAKYAH, SOR, stance="reported", source=SOHR, when=TODAY + timedelta(days=1), article="b"
    )
    view, alerts = stream([CLAIM, report])
    state = state_of(view, ZAKYAH).state
    assert (state.status, state.since) == ("held", TODAY)
    assert kinds(alerts) == ["claim_unconfirmed", "control_changed"]


def test_neutral_report_refutes_a_claim() -> None:
    report = make_event(
        "holds", ZAKYAH, GOV, stance="reported", source=SOHR, when=TODAY + timedelta(days=1), article="b"
    )
    view, alerts = stream([CLAIM, report])
    state = state_of(view, ZAKYAH).state
    assert (state.status, state.controller, state.claims) == ("held", GOV, [])
    assert "control_changed" not in kinds(alerts)


def test_rival_claim_against_a_holder_is_disputed_and_holder_kept() -> None:
    hold = make_event("holds", HOMS, GOV, when=THURSDAY)
    claim = make_event("claimed_control", HOMS, HTS, stance="claimed", sentence=1)
    view, alerts = stream([hold, claim])
    state = state_of(view, HOMS).state
    assert (state.status, state.controller) == ("disputed", GOV)
    assert claim.event_id in state.disputing_event_ids
    assert alerts[-1].kind == "claim_unconfirmed"
    assert (
        alerts[-1].message
        == "Homs: Hayat Tahrir al-Sham claims control, unconfirmed (held by Syrian government)"
    )


def test_partys_own_capture_is_a_claim() -> None:
    boast = make_event("captured", HOMS, HTS, stance="claimed", counterpart=GOV)
    view, alerts = stream([boast])
    state = state_of(view, HOMS).state
    assert (state.status, state.controller, state.previous_controller) == ("claimed", HTS, GOV)
    assert kinds(alerts) == ["claim_unconfirmed"]


# --- specificity and sides ---------------------------------------------------------------------------


def test_generic_capture_does_not_replace_a_specific_controller() -> None:
    later = make_event("captured", HAMA, REBELS, when=THURSDAY + timedelta(days=1), article="b")
    view, alerts = stream([HAMA_EVENTS[1], later])
    state = state_of(view, HAMA).state
    assert state.controller == HTS and state.since == THURSDAY
    assert later.event_id in state.supporting_event_ids
    assert kinds(alerts) == ["control_changed"]


def test_specific_actor_refines_a_generic_controller_without_a_change() -> None:
    later = make_event("holds", HAMA, HTS, when=THURSDAY + timedelta(days=1), article="b")
    view, alerts = stream([HAMA_EVENTS[0], later])
    state = state_of(view, HAMA).state
    assert (state.controller, state.previous_controller, state.since) == (HTS, GOV, THURSDAY)
    assert kinds(alerts) == ["control_changed"]


def test_same_side_actors_are_not_threats() -> None:
    view, alerts = stream([HAMA_EVENTS[1], make_event("advancing", HAMA, REBELS, sentence=9)])
    assert state_of(view, HAMA).state.status == "held"
    assert kinds(alerts) == ["control_changed"]


# --- threats ------------------------------------------------------------------------------------------


def test_threat_marks_a_held_place_threatened_until_the_ttl_runs_out() -> None:
    hold = make_event("holds", HOMS, GOV, when=THURSDAY)
    siege = make_event("besieging", HOMS, HTS, when=THURSDAY + timedelta(hours=1), sentence=1)
    view, alerts = stream([hold, siege])
    assert state_of(view, HOMS).state.status == "threatened"
    assert alerts[-1].kind == "threat"
    assert alerts[-1].message == "Homs: Hayat Tahrir al-Sham besieging Homs (held by Syrian government)"

    quiet = make_event("holds", HOMS, GOV, when=THURSDAY + timedelta(days=3, hours=2), article="b")
    view, alerts = fold(view, quiet, RULES)
    state = state_of(view, HOMS).state
    assert (state.status, state.threats) == ("held", [])


def test_renewed_threat_keeps_counting_and_is_not_realerted() -> None:
    days = [
        make_event(
            "besieging", HOMS, HTS, when=THURSDAY + timedelta(days=d), counterpart=GOV, article=f"d{d}"
        )
        for d in range(6)
    ]
    view, alerts = stream(days)
    state = state_of(view, HOMS).state
    assert (state.status, state.controller) == ("threatened", GOV)
    assert kinds(alerts) == ["threat"]
    assert [t.event_id for t in state.threats] == [days[-1].event_id]


def test_threat_against_unknown_place_presumes_the_counterpart() -> None:
    view, alerts = stream([make_event("attacked", HOMS, HTS, counterpart=GOV)])
    state = state_of(view, HOMS).state
    assert (state.status, state.controller) == ("threatened", GOV)
    assert state.confidence < 0.3
    assert kinds(alerts) == ["threat"]


def test_capture_ends_the_captors_threats() -> None:
    capture = make_event("captured", HOMS, HTS, when=TODAY + timedelta(days=1), counterpart=GOV, article="b")
    view, _ = stream([*HOMS_EVENTS, capture])
    state = state_of(view, HOMS).state
    assert (state.status, state.controller, state.threats) == ("held", HTS, [])


# --- withdrawals, entries, contests -----------------------------------------------------------------


def test_controller_withdrawal_alone_hands_the_place_to_no_one() -> None:
    hold = make_event("holds", DARAA, GOV, when=THURSDAY, stance="reported", source=SOHR)
    view, _ = stream([hold])
    before = state_of(view, DARAA).state
    view, alerts = fold(view, make_event("withdrew", DARAA, GOV, sentence=5), RULES)
    after = state_of(view, DARAA).state
    assert (after.status, after.controller) == ("held", GOV)
    assert after.confidence < before.confidence
    assert alerts == [] and len(after.disputing_event_ids) == 1


def test_hostile_entry_is_contested_until_a_capture() -> None:
    hold = make_event("holds", HOMS, GOV, when=THURSDAY)
    entry = make_event("entered", HOMS, HTS, when=FRIDAY_EVENING, sentence=1)
    view, alerts = stream([hold, entry])
    state = state_of(view, HOMS).state
    assert (state.status, state.controller) == ("contested", GOV)
    assert kinds(alerts) == ["contested"]
    view, alerts = fold(view, make_event("captured", HOMS, HTS, counterpart=GOV, sentence=2), RULES)
    state = state_of(view, HOMS).state
    assert (state.status, state.controller, state.previous_controller) == ("held", HTS, GOV)
    assert kinds(alerts) == ["control_changed"]


def test_contest_lapses_without_renewal() -> None:
    hold = make_event("holds", HOMS, GOV, when=THURSDAY)
    entry = make_event("entered", HOMS, HTS, when=FRIDAY_EVENING, sentence=1)
    quiet = make_event("holds", HOMS, GOV, when=FRIDAY_EVENING + timedelta(days=8), article="b")
    view, _ = stream([hold, entry, quiet])
    assert state_of(view, HOMS).state.status == "held"


def test_two_sides_reported_holding_is_contested() -> None:
    a = make_event("holds", HOMS, GOV, when=THURSDAY)
    b = make_event("holds", HOMS, HTS, stance="reported", source=SOHR, sentence=1)
    view, _ = stream([a, b])
    assert state_of(view, HOMS).state.status == "contested"


def test_intruder_withdrawal_ends_the_contest() -> None:
    hold = make_event("holds", HOMS, GOV, when=THURSDAY)
    entry = make_event("entered", HOMS, HTS, when=FRIDAY_EVENING, sentence=1)
    out = make_event("withdrew", HOMS, HTS, sentence=2)
    view, _ = stream([hold, entry, out])
    assert state_of(view, HOMS).state.status == "held"


def test_foreign_force_is_posture_not_control() -> None:
    view, alerts = stream([make_event("entered", TARTUS, RUSSIA), *TARTUS_EVENTS])
    state = state_of(view, TARTUS).state
    assert (state.status, state.controller, state.disputing_event_ids) == ("held", GOV, [])
    assert kinds(alerts) == ["force_posture", "force_posture"]
    assert alerts[-1].severity == "info"
    assert alerts[-1].message == "Tartus: foreign force Russia withdrew from Tartus; control unchanged"


# --- confidence ---------------------------------------------------------------------------------------


def test_confidence_ranks_sources_and_accumulates() -> None:
    def conf(*events: SituationEvent) -> float:
        view, _ = replay(events, RULES)
        return state_of(view, HAMA).state.confidence

    monitor = make_event("captured", HAMA, HTS, when=THURSDAY, stance="reported", source=SOHR)
    asserted = make_event("captured", HAMA, HTS, when=THURSDAY, article="b")
    boast = make_event("captured", HAMA, HTS, when=THURSDAY, stance="claimed", article="c")
    assert conf(monitor) > conf(asserted) > conf(boast) > 0
    assert conf(monitor, asserted) > conf(monitor)
    assert conf(monitor, asserted) < 1
    less_sure = asserted.model_copy(update={"confidence": 0.4})
    assert conf(less_sure) < conf(asserted)


def test_unknown_place_has_no_confidence() -> None:
    view, _ = stream([make_event("advancing", HOMS, HTS)])
    state = state_of(view, HOMS).state
    assert (state.status, state.controller, state.confidence) == ("unknown", None, 0.0)


def test_state_at_ages_threats_to_a_given_time() -> None:
    view, _ = stream(HOMS_EVENTS)
    homs = state_of(view, HOMS)
    assert state_at(homs, TODAY + timedelta(days=1), RULES) == homs.state
    aged = state_at(homs, TODAY + timedelta(days=4), RULES)
    assert (aged.status, aged.threats, aged.updated_at) == ("held", [], homs.state.updated_at)
    assert state_at(homs, THURSDAY, RULES) == homs.state  # never younger than its events


def test_foreign_withdrawal_alone_gives_no_controller() -> None:
    view, alerts = stream(TARTUS_EVENTS[1:])
    state = state_of(view, TARTUS).state
    assert (state.status, state.controller) == ("unknown", None)
    assert kinds(alerts) == ["force_posture"]


def test_foreign_controller_withdrawing_is_doubt_not_a_handover() -> None:
    kherson = Place(
        id="geonames:706448", name="Kherson", text="Kherson", lat=46.6354, lon=32.6169, country="UA"
    )
    russian_forces = ActorRef(id="ru-forces", name="Russian forces", side="ru", country="RU")
    capture = make_event("captured", kherson, russian_forces, when=THURSDAY)
    leave = make_event("withdrew", kherson, russian_forces, sentence=1)
    view, alerts = stream([capture, leave])
    state = state_of(view, kherson).state
    assert (state.status, state.controller, state.disputing_event_ids) == (
        "held",
        russian_forces,
        [leave.event_id],
    )
    assert kinds(alerts) == ["control_changed", "force_posture"]
