"""Properties of the fold's first stage (places) over small random histories:
arrival order and repetition never change the view, and folding one at a time
equals replay. The second stage (capitals) has its own in test_capitals.py."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.fold import event_key, fold_many, replay
from domain.ids import place_key
from schemas import ActorRef, Evidence, SituationEvent, Source, TimeSpan
from schemas.event import ACTIONS
from tests.unit.test_fold import (
    DAMASCUS,
    GOV,
    HAMA,
    HOMS,
    HTS,
    MILITARY,
    REBELS,
    RULES,
    RUSSIA,
    SOHR,
    SOR,
    THURSDAY,
    miles,
)
from tests.unit.test_fold import stream_places as stream

PLACES = [HAMA, HOMS, DAMASCUS]
ACTORS = [GOV, REBELS, HTS, SOR, RUSSIA]
SOURCES = [None, SOHR, MILITARY, Source(name="Hayat Tahrir al-Sham", kind="party")]


@st.composite
def events(draw: st.DrawFn, index: int) -> SituationEvent:
    place = draw(st.sampled_from(PLACES))
    start = THURSDAY + timedelta(days=draw(st.integers(0, 9)), hours=draw(st.sampled_from([0, 12])))
    published = draw(st.one_of(st.none(), st.integers(0, 2).map(lambda d: start + timedelta(days=d))))
    counterpart: ActorRef | None = draw(st.sampled_from([None, GOV, HTS]))
    distance = draw(st.sampled_from([None, miles(6, DAMASCUS, "six miles from the capital")]))
    return SituationEvent(
        event_id=f"e{index:03d}",
        article_id=f"a{index % 3}",
        action=draw(st.sampled_from(ACTIONS)),
        place=place,
        actor=draw(st.sampled_from(ACTORS)),
        counterpart=counterpart,
        stance=draw(st.sampled_from(["asserted", "reported", "claimed", "denied"])),
        attributed_to=draw(st.sampled_from(SOURCES)),
        occurred_at=TimeSpan(start=start, end=start + timedelta(days=1)),
        published_at=published,
        distance=distance,
        confidence=draw(st.sampled_from([0.5, 0.8, 1.0])),
        evidence=Evidence(sentence="…", sentence_index=index, char_start=0, char_end=1),
        parser_version="test",
    )


@st.composite
def histories(draw: st.DrawFn) -> list[SituationEvent]:
    size = draw(st.integers(1, 12))
    return [draw(events(i)) for i in range(size)]


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(history=histories(), data=st.data())
def test_arrival_order_does_not_change_the_view(history: list[SituationEvent], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(history))
    reference, reference_alerts = replay(history, RULES)
    assert replay(shuffled, RULES) == (reference, reference_alerts)
    view, alerts = stream(shuffled)
    assert dict(view) == reference
    assert len({a.alert_id for a in alerts}) == len(alerts), "an alert was said twice"
    # whatever was said by replay was said by the stream too (perhaps earlier, under a revised id)
    said = {(a.kind, place_key(a.place), a.actor.side if a.actor else None) for a in alerts}
    for alert in reference_alerts:
        assert (alert.kind, place_key(alert.place), alert.actor.side if alert.actor else None) in said


@PROPERTY
@given(history=histories(), data=st.data())
def test_repeating_events_changes_nothing(history: list[SituationEvent], data: st.DataObject) -> None:
    repeats = data.draw(st.lists(st.sampled_from(history), max_size=len(history)))
    noisy = data.draw(st.permutations(history + repeats))
    view, alerts = stream(noisy)
    assert dict(view) == replay(history, RULES)[0]
    assert len({a.alert_id for a in alerts}) == len(alerts)


@PROPERTY
@given(history=histories())
def test_incremental_folding_in_event_time_order_equals_replay(history: list[SituationEvent]) -> None:
    in_order = sorted(history, key=event_key)
    assert stream(in_order) == replay(history, RULES)
    assert fold_many({}, list(reversed(history)), RULES) == replay(history, RULES)


@PROPERTY
@given(history=histories())
def test_batches_compose(history: list[SituationEvent]) -> None:
    half = len(history) // 2
    view, first = fold_many({}, history[:half], RULES)
    view, second = fold_many(view, history[half:], RULES)
    assert dict(view) == replay(history, RULES)[0]
    assert len({a.alert_id for a in first + second}) == len(first + second)


@PROPERTY
@given(history=histories())
def test_every_state_is_consistent(history: list[SituationEvent]) -> None:
    view, alerts = replay(history, RULES)
    for key, place_view in view.items():
        state = place_view.state
        mine = [e for e in history if place_key(e.place) == key]
        assert state.version == len(mine) == len(place_view.events)
        assert state.updated_at == max(e.occurred_at.start for e in mine)
        assert list(place_view.events) == sorted(mine, key=event_key)
        assert 0.0 <= state.confidence <= 1.0
        if state.controller is None:
            assert state.status == "unknown" and state.since is None
        if state.status == "threatened":
            assert state.threats
        if state.status in ("claimed", "disputed"):
            assert state.claims
        for t in state.threats:
            assert state.controller is None or t.actor.side != state.controller.side
    assert all(a.emitted_at is None for a in alerts)
