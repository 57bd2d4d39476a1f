"""Building blocks shared by several contracts: places, actors, sources, time spans."""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

SCHEMA_VERSION: Final = 1


class Contract(BaseModel):
    """Base of every wire model: immutable, and strict about unknown fields so a
    typo in a producer is caught at its source rather than silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


PlacePrecision = Literal["country", "region", "city", "facility", "unknown"]


class Place(Contract):
    """A resolved (or unresolvable) place. ``id`` is ``geonames:<id>``; for
    countries ``country:<ISO2>``; for a town GeoNames cities500 lacks, from
    Sitrep's own supplement, ``place:<ISO2>.<name>``. It is ``None`` when the
    gazetteer has no match, and the mention is kept rather than dropped."""

    id: str | None
    name: str
    text: str = Field(description="surface form in the article")
    lat: float | None = None
    lon: float | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    precision: PlacePrecision = "city"
    admin1: str | None = None
    is_capital: bool = False


class ActorRef(Contract):
    """An actor as the registry knows it; ``text`` is the surface form when the
    reference comes from an article."""

    id: str | None
    name: str
    text: str | None = None
    side: str | None = Field(default=None, description="side in the conflict, e.g. 'sy-opposition'")
    country: str | None = Field(
        default=None, description="ISO2 home country; differs from the place's for a foreign force"
    )
    generic: bool = Field(
        default=False, description="a generic reference ('rebels', 'regime forces') mapped to a side"
    )


SourceKind = Literal[
    "party", "government", "monitor", "news_agency", "outlet", "resident", "official", "unknown"
]


class Source(Contract):
    """Who a statement is attributed to."""

    name: str
    kind: SourceKind = "unknown"


TimePrecision = Literal["hour", "part_of_day", "day", "week", "month", "year"]


class TimeSpan(Contract):
    """When something happened, as an interval ``[start, end)`` in UTC."""

    start: AwareDatetime
    end: AwareDatetime
    precision: TimePrecision = "day"
    text: str | None = None


def ensure_aware(value: datetime) -> datetime:
    """Reject naive datetimes at the boundary: every time in Sitrep is zone-aware."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return value
