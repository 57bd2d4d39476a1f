"""The fold's second stage: capital watches keyed by country."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.alert_rules import AlertRules
from domain.capitals import (
    CapitalWatch,
    approach_signal,
    capital_signals,
    control_signal,
    fold_capital,
    replay_capitals,
    replay_stages,
)
from domain.fold import replay
from schemas import ActorRef, Alert, Place, SituationEvent
from schemas.capital import CapitalSignal
from schemas.control import ControlState
from tests.unit.test_fold import (
    DAMASCUS,
    GOV,
    HAMA,
    HOMS,
    HTS,
    REBELS,
    RULES,
    RUSSIA,
    SEED_EVENTS,
    SOHR,
    SOR,
    TODAY,
    ZAKYAH,
    make_event,
    miles,
    stream_stages,
)

DOUMA = Place(id="geonames:170017", name="Douma", text="Douma", lat=33.5711, lon=36.4026, country="SY")
DEC = {d: datetime(2024, 12, d, tzinfo=UTC) for d in range(1, 15)}


def approach(action: str, actor: ActorRef, day: int, place: Place = DOUMA, n: int = 0) -> CapitalSignal:
    event = make_event(action, place, actor, when=DEC[day], article=f"a{day}-{n}", sentence=n)  # type: ignore[arg-type]
    signal = approach_signal(event, RULES)
    assert signal is not None
    return signal


def damascus_state(*events: SituationEvent) -> ControlState:
    """The capital's state after ``events``, from the first stage's own fold."""
    views, _ = replay(events, RULES)
    (view,) = views.values()
    return view.state


def control(*events: SituationEvent) -> CapitalSignal:
    signal = control_signal(damascus_state(*events), RULES)
    assert signal is not None
    return signal


FALL = make_event("captured", DAMASCUS, HTS, when=DEC[8], counterpart=GOV, source=SOHR, stance="reported")


def fold_all(signals: list[CapitalSignal], rules: AlertRules = RULES) -> tuple[CapitalWatch, list[Alert]]:
    watch: CapitalWatch | None = None
    alerts: list[Alert] = []
    for signal in signals:
        watch, produced = fold_capital(watch, signal, rules)
        alerts.extend(produced)
    assert watch is not None
    return watch, alerts


# --- the first stage's signals ------------------------------------------------------------------------


def test_an_event_near_the_capital_is_an_approach_whoever_makes_it() -> None:
    event = make_event(
        "advancing", DAMASCUS, REBELS, distance=miles(6, DAMASCUS, "six miles from the capital")
    )
    signal = approach_signal(event, RULES)
    assert signal is not None
    assert (signal.country, signal.capital, signal.kind, signal.event) == ("SY", DAMASCUS, "approach", event)
    assert signal.distance_km == pytest.approx(9.66)
    # the government's own forces too: whether they are hostile depends on who holds the capital
    assert approach_signal(make_event("advancing", DOUMA, GOV), RULES) is not None


@pytest.mark.parametrize(
    ("action", "place", "actor", "stance"),
    [
        ("advancing", DAMASCUS, RUSSIA, "asserted"),  # no known side: no alarm
        ("advancing", HOMS, HTS, "asserted"),  # ~140 km away
        ("withdrew", DAMASCUS, HTS, "asserted"),  # leaving is no threat
        ("advancing", DAMASCUS, HTS, "denied"),
    ],
)
def test_no_approach(action: str, place: Place, actor: ActorRef, stance: str) -> None:
    event = make_event(action, place, actor, stance=stance)  # type: ignore[arg-type]
    assert approach_signal(event, RULES) is None


def test_no_approach_without_a_known_capital() -> None:
    assert approach_signal(make_event("attacked", DAMASCUS, HTS), AlertRules()) is None


def test_capital_threat_km_is_the_threshold() -> None:
    event = make_event("claimed_control", ZAKYAH, SOR, distance=miles(16, DAMASCUS, "16 miles from Damascus"))
    narrow = AlertRules(capitals={"SY": DAMASCUS}, government_sides={"SY": "sy-gov"}, capital_threat_km=20.0)
    assert approach_signal(event, narrow) is None
    assert approach_signal(event, RULES) is not None


def test_only_the_capitals_state_is_handed_on() -> None:
    assert control_signal(damascus_state(FALL), RULES) is not None
    hama = make_event("captured", HAMA, HTS, when=DEC[5], source=SOHR, stance="reported")
    (state,) = (v.state for v in replay([hama], RULES)[0].values())
    assert control_signal(state, RULES) is None
    assert capital_signals([hama], [state], RULES) == []


# --- the second stage: hostile to whoever holds the capital ----------------------------------------------


def test_rebels_near_the_governments_capital_threaten_it() -> None:
    _, alerts = fold_all([approach("advancing", HTS, 7)])
    (alert,) = alerts
    assert (alert.kind, alert.severity, alert.place, alert.actor) == (
        "capital_threatened",
        "critical",
        DAMASCUS,
        HTS,
    )
    assert alert.message == "Damascus: Hayat Tahrir al-Sham advancing on Douma, 12.3 km from the capital"
    # with no government side known, nobody is known to be hostile
    assert fold_all([approach("advancing", HTS, 7)], AlertRules(capitals={"SY": DAMASCUS}))[1] == []


def test_once_the_rebels_hold_the_capital_their_own_moves_do_not_threaten_it() -> None:
    watch, alerts = fold_all([control(FALL), approach("entered", HTS, 9), approach("advancing", SOR, 9, n=1)])
    assert watch.side_at(DEC[9], RULES) == "sy-opposition"
    assert alerts == []  # HTS and the Southern Operations Room are on one side


def test_after_the_fall_the_governments_forces_are_the_threat() -> None:
    _, alerts = fold_all([control(FALL), approach("attacked", GOV, 10)])
    assert [(a.kind, a.actor) for a in alerts] == [("capital_threatened", GOV)]


def test_an_approach_is_judged_at_its_own_event_time() -> None:
    # an article about 7 December arriving after the fall: the government held the capital then
    watch, alerts = fold_all([control(FALL), approach("advancing", HTS, 7)])
    assert watch.side_at(DEC[7], RULES) == "sy-gov"
    assert [a.actor for a in alerts] == [HTS]


def test_news_of_the_fall_arriving_late_rejudges_recent_approaches() -> None:
    watch, alerts = fold_all([approach("attacked", GOV, 9)])
    assert alerts == []  # the government near its own capital, as far as was known
    _, alerts = fold_capital(watch, control(FALL), RULES)
    assert [a.actor for a in alerts] == [GOV]


def test_an_older_state_of_the_capital_does_not_replace_a_newer_one() -> None:
    before = make_event("holds", DAMASCUS, GOV, when=DEC[1], source=SOHR, stance="reported")
    newer, older = control(before, FALL), control(before)
    for order in ([newer, older], [older, newer]):
        watch, _ = fold_all(order)
        assert watch.holder == newer.control


def test_approaches_expire_after_the_threat_ttl() -> None:
    watch, _ = fold_all([approach("advancing", HTS, 1), approach("advancing", HTS, 7, n=1)])
    assert [a.event.occurred_at.start for a in watch.approaches] == [DEC[7]]
    assert RULES.threat_ttl < timedelta(days=6)


def test_the_same_approach_twice_is_one() -> None:
    signal = approach("advancing", HTS, 7)
    watch, first = fold_all([signal])
    again, second = fold_capital(watch, signal, RULES)
    assert again is watch and len(first) == 1 and second == []


# --- both stages together ----------------------------------------------------------------------------------


def capital_ids(alerts: list[Alert]) -> list[str]:
    return sorted(a.alert_id for a in alerts if a.kind == "capital_threatened")


def test_seed_article_both_stages_streamed_equal_replay() -> None:
    view, watches, alerts = stream_stages(SEED_EVENTS)
    r_view, r_watches, r_alerts = replay_stages(SEED_EVENTS, RULES)
    assert dict(view) == r_view and watches == r_watches
    assert capital_ids(alerts) == capital_ids(r_alerts) and capital_ids(alerts)
    assert {a.occurred_at for a in r_alerts if a.kind == "capital_threatened"} == {TODAY}


# --- properties ---------------------------------------------------------------------------------------------

SIGNALS = [
    *(
        approach(a, actor, d, n=i)
        for i, (a, actor, d) in enumerate(
            [
                ("advancing", HTS, 6),
                ("attacked", GOV, 9),
                ("advancing", SOR, 7),
                ("entered", HTS, 8),
                ("attacked", GOV, 10),
            ]
        )
    ),
    control(make_event("holds", DAMASCUS, GOV, when=DEC[1], source=SOHR, stance="reported")),
    control(make_event("holds", DAMASCUS, GOV, when=DEC[1], source=SOHR, stance="reported"), FALL),
]


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_arrival_order_and_repeats_do_not_change_the_watch(data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(SIGNALS), min_size=1, unique_by=id))
    repeats = data.draw(st.lists(st.sampled_from(chosen), max_size=4))
    shuffled = data.draw(st.permutations(chosen + repeats))
    watch, alerts = fold_all(shuffled)
    reference, _ = replay_capitals(chosen, RULES)
    assert watch == reference[watch.country]
    assert len({a.alert_id for a in alerts}) == len(alerts), "an alert was said twice"
    assert all(a.kind == "capital_threatened" and a.place == DAMASCUS for a in alerts)
