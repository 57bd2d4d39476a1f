"""The HTTP service's pure parts: ETag matching, cursors, reading a posted body,
a control record's position header."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from aiokafka import ConsumerRecord
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InputError, InputTooLarge
from schemas.common import Place
from schemas.control import ControlState
from schemas.topics import BATCH_COMPLETE_HEADER, CONTROL, EVENTS_POSITION_HEADER
from services.api.conditional import family_of, matches
from services.api.cursors import decode_cursor, encode_cursor
from services.api.reader import ViewReader, reflected_position
from services.api.submissions import InvalidSubmission, UnsupportedContent, read_submission
from services.shared.codec import encode
from services.shared.settings import SitrepSettings


def test_if_none_match_compares_weakly_and_takes_lists_and_star() -> None:
    assert matches('"abc"', '"abc"')
    assert matches('W/"abc"', '"abc"')
    assert matches('"x", "abc"', '"abc"')
    assert matches("*", '"abc"')
    assert not matches('"abd"', '"abc"')
    assert not matches("", '"abc"')


def test_each_answer_belongs_to_the_family_it_is_computed_from() -> None:
    assert family_of("/v1/control") == "state"
    assert family_of("/v1/control/geonames:170017") == "state"
    assert family_of("/v1/control/geonames:170017/history") == "log"
    assert family_of("/v1/events") == "log"
    assert family_of("/v1/articles/abc") == "log"
    assert family_of("/v1/alerts") == "alerts"
    assert family_of("/v1/alerts/stream") is None  # a stream has no ETag
    assert family_of("/metrics") is None


@given(st.lists(st.text(max_size=30), min_size=1, max_size=3))
def test_a_cursor_gives_back_its_key(key: list[str]) -> None:
    assert decode_cursor(encode_cursor(key), len(key)) == key


@pytest.mark.parametrize("token", ["", "!!!", encode_cursor(["a"]), "WzEsMl0"])
def test_a_foreign_cursor_is_refused_with_a_reason(token: str) -> None:
    with pytest.raises(InputError, match="cursor"):
        decode_cursor(token, 2)


def record(headers: list[tuple[str, bytes]]) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord("sitrep.control.v1", 0, 5, 0, 0, b"k", b"v", None, 1, 1, headers)


def test_a_control_record_names_the_events_it_reflects_or_not() -> None:
    assert reflected_position(record([(EVENTS_POSITION_HEADER, b"3:120")])) == (3, 120)
    assert reflected_position(record([])) is None
    assert reflected_position(record([(EVENTS_POSITION_HEADER, b"garbage")])) is None


def control_record(partition: int, headers: list[tuple[str, bytes]]) -> ConsumerRecord[bytes, bytes]:
    state = ControlState(
        place=Place(id="geonames:170017", name="Hama", text="Hama", country="SY"),
        status="unknown",
        confidence=0.0,
        updated_at=datetime(2024, 12, 5, tzinfo=UTC),
        version=1,
    )
    return ConsumerRecord(CONTROL.name, partition, 0, 0, 0, b"k", encode(state), None, 1, 1, headers)


def test_the_view_reflects_a_batch_once_its_last_state_is_read() -> None:
    reader = ViewReader(SitrepSettings())
    reader._take(control_record(2, [(EVENTS_POSITION_HEADER, b"2:10")]))
    assert reader.records_reflect == {}  # more states of that batch may follow
    reader._take(control_record(2, [(EVENTS_POSITION_HEADER, b"2:10"), (BATCH_COMPLETE_HEADER, b"1")]))
    assert reader.records_reflect == {2: 10}
    # A state published to another partition number than its events' (topics
    # with different partition counts) says nothing about the rest of the batch.
    reader._take(control_record(1, [(EVENTS_POSITION_HEADER, b"3:7"), (BATCH_COMPLETE_HEADER, b"1")]))
    assert reader.records_reflect == {2: 10}
    assert reader.changed_since("geonames:170017", {3: 7}) is False
    assert reader.changed_since("geonames:170017", {3: 6}) is True


def test_a_posted_text_carries_its_metadata_from_the_query() -> None:
    item = read_submission(
        b"Rebels captured the town of Saraqib on Friday, a monitor said.",
        "text/plain; charset=utf-8",
        {"title": "Saraqib", "published_at": "2024-11-29T10:00:00Z", "country_hint": "SY"},
        10_000,
    )
    assert item.title == "Saraqib" and item.country_hint == "SY" and item.source == "api"
    assert item.published_at is not None and item.published_at.tzinfo is not None


def test_a_posted_page_is_reduced_to_its_text() -> None:
    page = b"<html><body><nav>Menu</nav><article><p>Rebels entered Hama.</p></article></body></html>"
    item = read_submission(page, "text/html", {}, 10_000)
    assert "Rebels entered Hama" in item.text and "<p>" not in item.text and "Menu" not in item.text


@pytest.mark.parametrize(
    ("body", "query", "field"),
    [
        (b"{}", {}, "text"),
        (json.dumps({"text": "a", "html": "<p>b</p>"}).encode(), {}, "html"),
        (json.dumps({"text": "a", "published_at": "2024-11-29T10:00:00"}).encode(), {}, "published_at"),
        (b"[1, 2]", {}, "body"),
    ],
)
def test_an_invalid_envelope_names_the_field(body: bytes, query: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidSubmission) as caught:
        read_submission(body, "application/json", query, 10_000)
    assert any(f["field"] == field for f in caught.value.fields), caught.value.fields


def test_a_bad_query_field_is_named_as_such() -> None:
    with pytest.raises(InvalidSubmission) as caught:
        read_submission(b"Rebels took Hama.", "text/plain", {"published_at": "soon"}, 10_000)
    assert caught.value.fields[0]["field"] == "query.published_at"


def test_other_media_types_and_oversized_texts_are_refused() -> None:
    with pytest.raises(UnsupportedContent):
        read_submission(b"x", "application/pdf", {}, 10_000)
    with pytest.raises(InputTooLarge):
        read_submission(json.dumps({"text": "word " * 1000}).encode(), "application/json", {}, 1000)
