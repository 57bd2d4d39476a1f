"""The bodies the HTTP service answers with (beyond the topic contracts in
``schemas/``), each with an example that ``/docs`` shows."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.alert import Alert
from schemas.article import Article
from schemas.control import ControlState
from schemas.event import SituationEvent
from schemas.history import StatusChange

POSITION_DOC = (
    "consistency token: the positions on sitrep.events.v1 this answer reflects "
    "(pass it back as min_position to read at least this far, or as since_position "
    "to get only what changed after it)"
)
OFFSETS_DOC = "the same positions spelled out: 'topic/partition' -> offset"

# One story runs through the examples: HTS takes Hama on 5 December 2024.
HAMA: dict[str, Any] = {
    "id": "geonames:170017",
    "name": "Hama",
    "text": "Hama",
    "lat": 35.13179,
    "lon": 36.75783,
    "country": "SY",
    "precision": "city",
    "admin1": "Hama",
    "is_capital": False,
}
HTS: dict[str, Any] = {"id": "hts", "name": "Hayat Tahrir al-Sham", "side": "sy-opposition", "country": "SY"}
SAA: dict[str, Any] = {"id": "sy-gov", "name": "Syrian government", "side": "sy-gov", "country": "SY"}
POSITION = "eyIwIjo0MiwiMSI6MTcsIjIiOjI5LCIzIjozMX0"
OFFSETS = {
    "sitrep.events.v1/0": 42,
    "sitrep.events.v1/1": 17,
    "sitrep.events.v1/2": 29,
    "sitrep.events.v1/3": 31,
}
STATE: dict[str, Any] = {
    "schema_version": 1,
    "place": HAMA,
    "status": "held",
    "controller": HTS,
    "previous_controller": SAA,
    "since": "2024-12-05T00:00:00Z",
    "confidence": 0.86,
    "claims": [],
    "threats": [],
    "supporting_event_ids": ["5b0e6c1d2f3a4b5c"],
    "disputing_event_ids": [],
    "updated_at": "2024-12-05T00:00:00Z",
    "version": 3,
}
ALERT: dict[str, Any] = {
    "schema_version": 1,
    "alert_id": "c2f1a9e07d5b4c38",
    "kind": "control_changed",
    "severity": "critical",
    "place": HAMA,
    "actor": HTS,
    "previous_controller": SAA,
    "message": "Hama: control changed from Syrian government to Hayat Tahrir al-Sham",
    "event_ids": ["5b0e6c1d2f3a4b5c"],
    "occurred_at": "2024-12-05T00:00:00Z",
    "emitted_at": "2024-12-07T10:00:03Z",
}
CURSOR = "WyJIYW1hIiwiZ2VvbmFtZXM6MTcwMDE3Il0"


def example(body: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [body]})


class ControlList(BaseModel):
    model_config = example(
        {
            "count": 1,
            "position": POSITION,
            "offsets": OFFSETS,
            "as_of": None,
            "known_at": None,
            "since_position": None,
            "next_cursor": None,
            "places": [STATE],
        }
    )

    count: int
    position: str = Field(description=POSITION_DOC)
    offsets: dict[str, int] = Field(description=OFFSETS_DOC)
    as_of: AwareDatetime | None = Field(default=None, description="event time the view was rebuilt at")
    known_at: AwareDatetime | None = Field(default=None, description="record time the log was cut at")
    since_position: str | None = Field(default=None, description="only places changed after this position")
    next_cursor: str | None = Field(
        default=None, description="pass as cursor for the next page; null: last page"
    )
    places: list[ControlState]


class PlaceDetail(BaseModel):
    model_config = example(
        {
            "position": POSITION,
            "offsets": OFFSETS,
            "state": STATE,
            "supporting_events": [],
            "disputing_events": [],
        }
    )

    position: str = Field(description=POSITION_DOC)
    offsets: dict[str, int] = Field(description=OFFSETS_DOC)
    state: ControlState
    supporting_events: list[SituationEvent]
    disputing_events: list[SituationEvent]


class ArticleRef(BaseModel):
    article_id: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published_at: AwareDatetime | None = None


class ProvenancedEvent(BaseModel):
    """An event with where it sits in the log and the article it came from."""

    event: SituationEvent
    partition: int
    offset: int
    recorded_at: AwareDatetime = Field(description="when it entered the log (the record's timestamp)")
    article: ArticleRef | None = Field(default=None, description="None until the article record is read")


class HistoryEntry(BaseModel):
    change: StatusChange
    events: list[ProvenancedEvent] = Field(
        description="the event that made the change, then the events the new state rests on"
    )


class PlaceHistory(BaseModel):
    model_config = example(
        {
            "place_id": "geonames:170017",
            "position": POSITION,
            "offsets": OFFSETS,
            "count": 1,
            "changes": [
                {
                    "change": {
                        "at": "2024-12-05T00:00:00Z",
                        "caused_by": "5b0e6c1d2f3a4b5c",
                        "state": STATE,
                    },
                    "events": [],
                }
            ],
        }
    )

    place_id: str
    position: str = Field(description=POSITION_DOC)
    offsets: dict[str, int] = Field(description=OFFSETS_DOC)
    count: int
    next_cursor: str | None = Field(default=None, description="pass as cursor for later changes; null: last")
    changes: list[HistoryEntry] = Field(description="oldest first")


class EventPage(BaseModel):
    model_config = example({"count": 0, "events": [], "next_cursor": POSITION, "more": False})

    count: int
    events: list[ProvenancedEvent]
    next_cursor: str = Field(description="pass as cursor for the next page; stays valid as new events arrive")
    more: bool = Field(description="whether more events were already known after this page")


class ArticleDetail(BaseModel):
    model_config = example(
        {
            "article": {
                "schema_version": 1,
                "article_id": "1a92ab5bcbb2",
                "text": "On Thursday, HTS captured the key city of Hama.",
                "title": "Rebels take Hama",
                "url": "https://example.org/hama",
                "outlet": "Example News",
                "published_at": "2024-12-06T08:00:00Z",
                "source": "api",
                "country_hint": "SY",
            },
            "events": [],
        }
    )

    article: Article
    events: list[ProvenancedEvent]


class AlertList(BaseModel):
    model_config = example({"count": 1, "position": "eyIwIjo1fQ", "next_cursor": None, "alerts": [ALERT]})

    count: int
    position: str = Field(
        description="positions on sitrep.alerts.v1 read so far: pass as Last-Event-ID (or last_event_id) "
        "to /v1/alerts/stream to get every alert after this list"
    )
    next_cursor: str | None = Field(
        default=None, description="pass as cursor for older alerts; null: no more"
    )
    alerts: list[Alert] = Field(description="newest first")


class ArticleAccepted(BaseModel):
    model_config = example(
        {
            "article_id": "1a92ab5bcbb2",
            "duplicate": False,
            "events": 8,
            "position": POSITION,
            "offsets": OFFSETS,
            "status_url": "/v1/articles/1a92ab5bcbb2",
        }
    )

    article_id: str
    duplicate: bool = Field(description="the article was already known; nothing was published again")
    events: int = Field(description="events parsed from it (0 for a duplicate)")
    position: str = Field(
        description="where its events landed on sitrep.events.v1: pass as min_position to "
        "GET /v1/control to read the view once it reflects them"
    )
    offsets: dict[str, int] = Field(description=OFFSETS_DOC)
    status_url: str


class ErrorBody(BaseModel):
    model_config = example({"error": "not_found", "detail": "no control state for place 'geonames:1'"})

    error: str
    detail: Any = None


class Health(BaseModel):
    model_config = example({"status": "ok"})

    status: str
