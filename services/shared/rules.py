"""The alert rules of a deployment, from its settings and its reference data."""

from __future__ import annotations

from datetime import timedelta

from domain.alert_rules import AlertRules
from domain.confidence import StanceWeights
from services.shared.settings import RuleSettings


def build_rules(settings: RuleSettings) -> AlertRules:
    from services.shared.knowledge import capitals, government_sides

    return AlertRules(
        capitals=capitals(),
        government_sides=government_sides(),
        capital_threat_km=settings.capital_threat_km,
        threat_ttl=timedelta(hours=settings.threat_ttl_hours),
        contest_ttl=timedelta(hours=settings.contest_ttl_hours),
        realert_window=timedelta(hours=settings.realert_window_hours),
        weights=StanceWeights(
            neutral_report=settings.weight_neutral_report,
            asserted=settings.weight_asserted,
            reported=settings.weight_reported,
            self_claim=settings.weight_self_claim,
            presumed=settings.weight_presumed,
        ),
    )
