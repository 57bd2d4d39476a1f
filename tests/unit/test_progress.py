"""When is the processor stalled? Events waiting, and commits not moving."""

from __future__ import annotations

import time

from services.api.progress import ProcessorProgress


def test_a_processor_with_no_lag_is_never_stalled() -> None:
    progress = ProcessorProgress(
        "g", lag=0, last_progress_monotonic=time.monotonic() - 3600, stall_after_s=30
    )
    assert not progress.stalled


def test_waiting_events_and_old_progress_mean_stalled() -> None:
    progress = ProcessorProgress("g", lag=5, last_progress_monotonic=time.monotonic() - 31, stall_after_s=30)
    assert progress.stalled
    assert progress.as_dict()["stalled"] is True


def test_recent_progress_with_lag_is_catching_up() -> None:
    progress = ProcessorProgress("g", lag=5, last_progress_monotonic=time.monotonic() - 1, stall_after_s=30)
    assert not progress.stalled
