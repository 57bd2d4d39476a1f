"""The services' wall clock. The domain never reads the time (it is passed in);
the services read it through ``utc_now``, and take a ``Clock`` where a test
may want to pass one of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
