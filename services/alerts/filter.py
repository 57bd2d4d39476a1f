"""Which alerts a subscriber wants: the one filter behind ``sitrep alerts``,
``GET /v1/alerts`` and the alert stream."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from schemas.alert import Alert, AlertKind, Severity, severity_rank


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Alerts of any of ``kinds`` (all kinds when empty), at ``min_severity`` or
    above (the order of ``schemas.alert.SEVERITIES``), about ``place`` (a place
    id) when one is given."""

    kinds: frozenset[AlertKind] = frozenset()
    min_severity: Severity | None = None
    place: str | None = None

    @classmethod
    def of(
        cls, kinds: Collection[AlertKind] | None, min_severity: Severity | None, place: str | None = None
    ) -> AlertFilter:
        return cls(frozenset(kinds or ()), min_severity, place)

    def matches(self, alert: Alert) -> bool:
        if self.kinds and alert.kind not in self.kinds:
            return False
        if self.min_severity is not None and severity_rank(alert.severity) < severity_rank(self.min_severity):
            return False
        return self.place is None or alert.place.id == self.place
