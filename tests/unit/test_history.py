"""The past of the view (domain.history): timelines, as_of, known_at; and the
API's event log pages (services.api.eventlog) with cursors that stay stable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.fold import replay
from domain.history import Recorded, known_events, timeline, view_as_of
from domain.ids import place_key
from schemas.event import SituationEvent
from services.api.eventlog import EventFilter, EventLog
from services.shared.positions import InvalidPosition, decode_position, encode_position, reaches
from tests.unit.test_fold import (
    GOV,
    HAMA,
    HTS,
    MILITARY,
    RULES,
    SEED_EVENTS,
    SOHR,
    THURSDAY,
    make_event,
)
from tests.unit.test_fold_properties import histories

LOGGED = datetime(2024, 12, 7, 12, tzinfo=UTC)


def logged(
    events: list[SituationEvent], start: datetime = LOGGED, step: timedelta = timedelta(minutes=1)
) -> list[Recorded]:
    return [Recorded(e, start + i * step) for i, e in enumerate(events)]


def test_hama_timeline_tells_the_fall_once_with_its_cause() -> None:
    events = [
        make_event("holds", HAMA, GOV, when=THURSDAY - timedelta(days=3), source=MILITARY, sentence=1),
        make_event("claimed_control", HAMA, HTS, when=THURSDAY, stance="claimed", sentence=2),
        make_event("denied", HAMA, GOV, when=THURSDAY + timedelta(hours=2), source=MILITARY, sentence=3),
        make_event(
            "captured",
            HAMA,
            HTS,
            when=THURSDAY + timedelta(hours=5),
            counterpart=GOV,
            source=SOHR,
            stance="reported",
            sentence=4,
        ),
        make_event("captured", HAMA, HTS, when=THURSDAY + timedelta(days=1), counterpart=GOV, sentence=5),
    ]
    changes = timeline(reversed(events), RULES)  # arrival order does not matter
    story = [(c.state.status, c.state.controller.id if c.state.controller else None) for c in changes]
    # a rival claim disputes the holder; the neutral report of the capture settles it
    assert story == [("held", "sy-gov"), ("disputed", "sy-gov"), ("held", "hts")]
    assert [c.caused_by for c in changes] == [events[0].event_id, events[1].event_id, events[3].event_id]
    # the fifth event adds confidence, not a change
    assert changes[-1].at == THURSDAY + timedelta(hours=5)
    assert replay(events, RULES)[0][place_key(HAMA)].state.status == "held"


def test_as_of_before_the_first_event_is_empty() -> None:
    log = logged(SEED_EVENTS)
    first = min(e.occurred_at.start for e in SEED_EVENTS)
    assert view_as_of(log, RULES, as_of=first - timedelta(seconds=1)) == {}
    assert view_as_of(log, RULES, known_at=LOGGED - timedelta(seconds=1)) == {}


def test_without_cuts_the_view_is_the_replay() -> None:
    views, _ = replay(SEED_EVENTS, RULES)
    assert view_as_of(logged(SEED_EVENTS), RULES) == {k: v.state for k, v in views.items()}


def test_known_at_leaves_out_what_was_logged_later() -> None:
    early = [make_event("holds", HAMA, GOV, when=THURSDAY - timedelta(days=1), source=MILITARY, sentence=1)]
    late = [make_event("captured", HAMA, HTS, when=THURSDAY, counterpart=GOV, source=SOHR, sentence=2)]
    log = [*logged(early), Recorded(late[0], LOGGED + timedelta(days=2))]
    then = view_as_of(log, RULES, as_of=THURSDAY + timedelta(days=1), known_at=LOGGED + timedelta(days=1))
    now = view_as_of(log, RULES, as_of=THURSDAY + timedelta(days=1))
    assert then[place_key(HAMA)].controller == GOV  # on day 1 we did not know yet
    controller = now[place_key(HAMA)].controller
    assert controller is not None and controller.id == "hts"


@settings(max_examples=100, deadline=None)
@given(history=histories(), cut=st.integers(0, 12))
def test_known_at_equals_replaying_what_was_logged_by_then(history: list[SituationEvent], cut: int) -> None:
    log = logged(history)
    known_at = LOGGED + timedelta(minutes=cut) - timedelta(seconds=1)
    expected, _ = replay(history[:cut], RULES)
    assert view_as_of(log, RULES, known_at=known_at) == {k: v.state for k, v in expected.items()}
    assert known_events(log, known_at=known_at) == history[:cut]


# --- the API's event log ----------------------------------------------------------------------------


def test_position_tokens_round_trip_and_reject_junk() -> None:
    positions = {0: 12, 3: 0, 1: 7}
    assert decode_position(encode_position(positions)) == positions
    for junk in ("!!!", "bm90IGpzb24", encode_position({0: 1})[:-3] + "@@", "W10"):
        with pytest.raises(InvalidPosition):
            decode_position(junk)
    assert reaches({0: 5, 1: 2}, {0: 5}) and not reaches({0: 4}, {0: 5, 1: 0})


@settings(max_examples=150, deadline=None)
@given(
    arrivals=st.lists(st.tuples(st.integers(0, 3), st.integers(0, len(SEED_EVENTS) - 1)), max_size=40),
    reads=st.lists(st.integers(1, 5), max_size=40),
    data=st.data(),
)
def test_paging_while_events_arrive_serves_each_event_once(
    arrivals: list[tuple[int, int]], reads: list[int], data: st.DataObject
) -> None:
    """Events land on random partitions between page reads: following next_cursor
    serves every event exactly once, in log order within each partition."""
    log = EventLog()
    offsets = {p: 0 for p in range(4)}
    served: list[tuple[int, int]] = []
    cursor: str | None = None
    pending = list(arrivals)
    for size in [*reads, 1000]:
        for _ in range(data.draw(st.integers(0, 3))):
            if pending:
                partition, which = pending.pop(0)
                log.add(SEED_EVENTS[which], partition, offsets[partition], LOGGED)
                offsets[partition] += 1
        page = log.page(EventFilter(), cursor, size)
        assert len(page.events) <= size
        served.extend((x.partition, x.offset) for x in page.events)
        cursor = page.cursor
    while pending:  # whatever arrived after the last read shows on the next one
        partition, which = pending.pop(0)
        log.add(SEED_EVENTS[which], partition, offsets[partition], LOGGED)
        offsets[partition] += 1
    served.extend((x.partition, x.offset) for x in log.page(EventFilter(), cursor, 1000).events)
    assert sorted(served) == sorted((p, o) for p, n in offsets.items() for o in range(n))
    assert len(served) == len(set(served))


def test_filters_pick_place_actor_action_and_event_time() -> None:
    log = EventLog()
    for offset, event in enumerate(SEED_EVENTS):
        log.add(event, 0, offset, LOGGED)
    hama = log.page(EventFilter(place=place_key(HAMA)), None, 100).events
    assert {x.event.place.name for x in hama} == {"Hama"} and len(hama) == 2
    by_name = log.page(EventFilter(actor="hayat tahrir al-sham"), None, 100).events
    by_id = log.page(EventFilter(actor="hts"), None, 100).events
    assert by_name == by_id and all(x.event.actor.id == "hts" for x in by_id)
    denials = log.page(EventFilter(action="denied"), None, 100).events
    assert [x.event.action for x in denials] == ["denied"]
    since = log.page(EventFilter(since=THURSDAY + timedelta(days=2)), None, 100).events
    assert all(x.event.occurred_at.start >= THURSDAY + timedelta(days=2) for x in since) and since
