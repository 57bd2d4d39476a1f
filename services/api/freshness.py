"""Which events the served view reflects, and waiting for it to reach a position.

The processor publishes a batch's control records and waits for the broker to
take them before its group commits the batch's offsets. So once this replica
has read ``sitrep.control.v1`` up to the end offsets taken *after* seeing a
commit, its view reflects every event before that commit: that commit is the
view's position (a lower bound; it may reflect more). A client that passes the
position its ingest returned as ``?min_position=`` reads its own writes. How
soon depends on the processor's commit interval (``SITREP_COMMIT_INTERVAL_S``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from schemas.topics import CONTROL, EVENTS
from services.api.progress import ProcessorWatcher
from services.api.reader import ViewReader
from services.shared.positions import Positions, furthest, reaches

log = logging.getLogger(__name__)

REFRESH_EVERY_S = 1.0
WAIT_POLL_S = 0.05


class Freshness:
    def __init__(self, watcher: ProcessorWatcher, reader: ViewReader) -> None:
        self.watcher = watcher
        self.reader = reader
        self.reflected: Positions = {}
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="view-freshness")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception as err:  # the next round tries again; /readyz shows broker trouble
                log.warning("could not refresh the view's position: %s", err)
            await asyncio.sleep(REFRESH_EVERY_S)

    async def refresh(self, timeout_s: float = 5.0) -> None:
        async with self._lock:
            await self.watcher.poll()  # the one query of the group's commits; it also refreshes the lag
            committed = self.watcher.committed(EVENTS.name)
            ends = await self.watcher.end_positions(CONTROL.name)
            deadline = time.monotonic() + timeout_s
            while not self.reader.has_read(CONTROL.name, ends):
                if time.monotonic() >= deadline:
                    return
                await asyncio.sleep(WAIT_POLL_S / 2)
            self.reflected = furthest(self.reflected, committed)

    async def wait_for(self, wanted: Positions, timeout_s: float) -> bool:
        """Whether the view reached ``wanted`` within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while not reaches(self.reflected, wanted):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            await self.refresh(timeout_s=left)
            if not reaches(self.reflected, wanted):
                await asyncio.sleep(min(WAIT_POLL_S, max(deadline - time.monotonic(), 0)))
        return True
