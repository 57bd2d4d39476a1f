"""``Alert``: something a subscriber should hear about now."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import SCHEMA_VERSION, ActorRef, Contract, Place

AlertKind = Literal[
    "control_changed",
    "claim_unconfirmed",
    "claim_disputed",
    "contested",
    "threat",
    "capital_threatened",
    "force_posture",
]
Severity = Literal["info", "warning", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "critical")  # least to most severe


def severity_rank(severity: Severity) -> int:
    """0 for info, up to 2 for critical: for ``min_severity`` filters."""
    return SEVERITIES.index(severity)


class Alert(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    alert_id: str = Field(description="deterministic: the same facts always give the same id")
    kind: AlertKind
    severity: Severity
    place: Place
    actor: ActorRef | None = None
    previous_controller: ActorRef | None = None
    message: str
    event_ids: list[str]
    occurred_at: AwareDatetime
    emitted_at: AwareDatetime | None = Field(default=None, description="set by the processor when published")
