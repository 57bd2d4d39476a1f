"""``CapitalSignal``: what the place-keyed stage tells the country-keyed one.

``capital_threatened`` needs two places at once: the place where a force is
seen and the capital it is near, which live on different partitions of
``sitrep.events.v1``. The processor's first stage (keyed by place) publishes
what the second (keyed by country) needs to ``sitrep.capitals.v1``: every
event within the configured distance of a national capital (an *approach*),
and every new state of a capital itself (*control*). The second stage judges
an approach against whoever holds the capital at the approach's event time.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from schemas.common import SCHEMA_VERSION, Contract, Place
from schemas.control import ControlState
from schemas.event import SituationEvent

SignalKind = Literal["approach", "control"]


class CapitalSignal(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    country: str = Field(min_length=2, max_length=2, description="ISO2 of the capital's country: the key")
    capital: Place
    kind: SignalKind
    event: SituationEvent | None = Field(default=None, description="approach: the event near the capital")
    distance_km: float | None = Field(default=None, ge=0, description="approach: its distance to the capital")
    control: ControlState | None = Field(default=None, description="control: the capital's new state")

    @model_validator(mode="after")
    def _one_payload(self) -> CapitalSignal:
        if self.kind == "approach" and (self.event is None or self.distance_km is None):
            raise ValueError("an approach carries its event and distance_km")
        if self.kind == "control" and self.control is None:
            raise ValueError("a control signal carries the capital's state")
        return self
