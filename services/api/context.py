"""What every route of the HTTP service answers from, built once per app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import HTTPException

from domain.alert_rules import AlertRules
from schemas.topics import EVENTS
from services.api.conditional import AnswerCache, Validators
from services.api.freshness import Freshness
from services.api.metrics import Metrics
from services.api.progress import ProcessorWatcher
from services.api.reader import ViewReader
from services.api.submissions import Submissions
from services.shared.positions import decode_position, encode_position
from services.shared.settings import ApiSettings

POSITION_HEADER = "X-Sitrep-Position"


@dataclass
class ApiContext:
    settings: ApiSettings
    reader: ViewReader
    watcher: ProcessorWatcher
    freshness: Freshness
    rules: AlertRules
    validators: Validators
    metrics: Metrics
    submissions: Submissions
    clock: Callable[[], datetime]
    answers: AnswerCache = field(default_factory=AnswerCache)
    stopping: list[bool] = field(default_factory=lambda: [False])  # set when the app shuts down

    async def await_position(self, min_position: str | None, wait_s: float) -> None:
        """Wait until the view reflects ``min_position`` (503 if it does not in time)."""
        if min_position is None:
            return
        if not await self.freshness.wait_for(decode_position(min_position), wait_s):
            raise HTTPException(
                503,
                f"the view has not reached min_position within {wait_s:g} s "
                f"(it reflects {encode_position(self.freshness.position())}); retry later",
            )


def offsets_of(token: str) -> dict[str, int]:
    return {f"{EVENTS.name}/{p}": n for p, n in sorted(decode_position(token).items())}
