"""``SituationEvent``: one control-related statement extracted from an article."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import AwareDatetime, Field

from schemas.common import SCHEMA_VERSION, ActorRef, Contract, Place, Source, TimeSpan

Action = Literal[
    "captured",
    "recaptured",
    "entered",
    "withdrew",
    "advancing",
    "besieging",
    "attacked",
    "claimed_control",
    "denied",
    "holds",
]
ACTIONS: tuple[str, ...] = get_args(Action)

Stance = Literal["asserted", "reported", "claimed", "denied"]


class Distance(Contract):
    """A stated distance: "six miles from the capital", "27km west of Goma"."""

    km: float = Field(ge=0)
    value: float = Field(ge=0)
    unit: Literal["km", "mi"]
    bearing: str | None = Field(default=None, description="e.g. 'west', 'north-east'")
    reference: Place | None = Field(default=None, description="the place the distance is measured from")
    text: str


class Evidence(Contract):
    sentence: str
    sentence_index: int = Field(ge=0)
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    caption: bool = False


class SituationEvent(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: str
    article_id: str
    action: Action
    place: Place
    actor: ActorRef
    counterpart: ActorRef | None = None
    stance: Stance
    attributed_to: Source | None = None
    occurred_at: TimeSpan
    published_at: AwareDatetime | None = Field(
        default=None, description="publication time of the article; orders events with equal occurred_at"
    )
    distance: Distance | None = None
    confidence: float = Field(ge=0, le=1)
    evidence: Evidence
    parser_version: str
