"""Reading whole topics in tests, the way an auditor would: every partition from
its start to its current end, with a plain consumer."""

from __future__ import annotations

import json
from typing import Any

from services.shared.kafka import read_to_end
from services.shared.settings import SitrepSettings


async def read_topic(settings: SitrepSettings, topic: str) -> list[dict[str, Any]]:
    return [json.loads(record.value) async for record in read_to_end(settings, topic) if record.value]
