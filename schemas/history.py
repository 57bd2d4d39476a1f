"""Audit answers: a place's status timeline."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from schemas.common import Contract
from schemas.control import ControlState


class StatusChange(Contract):
    """One change of a place's status or controller, and the event that made it."""

    at: AwareDatetime = Field(description="event time of the event that made the change")
    caused_by: str = Field(description="event_id of that event")
    state: ControlState = Field(description="the place's state right after it")
