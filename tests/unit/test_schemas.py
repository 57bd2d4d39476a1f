"""Wire contracts: round-trips, strictness, and the checked-in JSON Schemas."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from schemas import (
    TOPICS,
    ActorRef,
    Alert,
    Article,
    ControlState,
    DeadLetter,
    Evidence,
    Place,
    SituationEvent,
)
from schemas.capital import CapitalSignal
from schemas.common import TimeSpan
from schemas.export import JSON_DIR, MODELS, drifted, render

T0 = datetime(2024, 12, 5, tzinfo=UTC)
HAMA = Place(id="geonames:170063", name="Hama", text="Hama", lat=35.13, lon=36.76, country="SY")
HTS = ActorRef(id="hts", name="Hayat Tahrir al-Sham", text="HST", side="sy-opposition", country="SY")


def sample_event() -> SituationEvent:
    return SituationEvent(
        event_id="e1",
        article_id="a1",
        action="captured",
        place=HAMA,
        actor=HTS,
        stance="asserted",
        occurred_at=TimeSpan(
            start=T0, end=datetime(2024, 12, 6, tzinfo=UTC), precision="day", text="Thursday"
        ),
        confidence=0.8,
        parser_version="test",
        evidence=Evidence(
            sentence="On Thursday, HST captured the key city of Hama",
            sentence_index=28,
            char_start=10,
            char_end=56,
        ),
    )


@pytest.mark.parametrize(
    "model",
    [
        sample_event(),
        Article(article_id="a1", text="text", published_at=T0),
        ControlState(place=HAMA, status="held", controller=HTS, confidence=0.9, updated_at=T0, version=2),
        Alert(
            alert_id="x",
            kind="control_changed",
            severity="critical",
            place=HAMA,
            actor=HTS,
            message="Hama: control passed",
            event_ids=["e1"],
            occurred_at=T0,
        ),
        DeadLetter(
            source_id="f.txt",
            stage="read",
            error="empty",
            error_type="EmptyInput",
            input="",
            input_size=0,
            occurred_at=T0,
        ),
    ],
    ids=lambda m: type(m).__name__,
)
def test_every_contract_round_trips_through_json(model: object) -> None:
    cls = type(model)
    assert cls.model_validate_json(model.model_dump_json()) == model  # type: ignore[attr-defined]


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Article(article_id="a", text="t", published_at=datetime(2024, 12, 5))  # noqa: DTZ001


def test_unknown_fields_and_versions_are_rejected() -> None:
    data = json.loads(sample_event().model_dump_json())
    with pytest.raises(ValidationError):
        SituationEvent.model_validate({**data, "surprise": 1})
    with pytest.raises(ValidationError):
        SituationEvent.model_validate({**data, "schema_version": 2})


def test_actions_outside_the_contract_are_rejected() -> None:
    data = json.loads(sample_event().model_dump_json())
    with pytest.raises(ValidationError):
        SituationEvent.model_validate({**data, "action": "liberated"})


def test_checked_in_json_schemas_match_the_models() -> None:
    assert drifted() == [], "run `python -m schemas.export` and commit schemas/json/"
    for name, model in MODELS.items():
        assert json.loads((JSON_DIR / name).read_text()) == json.loads(render(model))


def test_topic_registry_names_every_topic_with_its_policy() -> None:
    names = {t.name: t for t in TOPICS}
    assert set(names) == {
        "sitrep.articles.v1",
        "sitrep.events.v1",
        "sitrep.control.v1",
        "sitrep.alerts.v1",
        "sitrep.deadletter.v1",
        "sitrep.capitals.v1",
        "sitrep.ingest.seen.v1",
    }
    assert names["sitrep.control.v1"].cleanup_policy == "compact"
    assert names["sitrep.ingest.seen.v1"].cleanup_policy == "compact"
    assert names["sitrep.capitals.v1"].value is CapitalSignal
    assert all(t.retention_ms == -1 for t in TOPICS)
