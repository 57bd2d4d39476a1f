"""``ControlState``: the materialized view, one record per place."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import SCHEMA_VERSION, ActorRef, Contract, Place, Source
from schemas.event import Action, Stance

ControlStatus = Literal["held", "contested", "claimed", "disputed", "threatened", "unknown"]


class Claim(Contract):
    actor: ActorRef
    action: Action
    stance: Stance
    event_id: str
    source: Source | None = None


class Threat(Contract):
    actor: ActorRef
    action: Action
    event_id: str
    distance_km: float | None = None


class ControlState(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    place: Place
    status: ControlStatus
    controller: ActorRef | None = None
    previous_controller: ActorRef | None = None
    since: AwareDatetime | None = None
    confidence: float = Field(ge=0, le=1)
    claims: list[Claim] = Field(default_factory=list)
    supporting_event_ids: list[str] = Field(default_factory=list)
    disputing_event_ids: list[str] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    updated_at: AwareDatetime = Field(description="event time of the latest event folded into this place")
    version: int = Field(ge=0, description="number of distinct events folded into this place")
