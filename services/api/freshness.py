"""Which events the served view reflects, and waiting for it to reach a position.

The processor publishes a batch's control records and waits for the broker to
take them before its group commits the batch's offsets. So once this replica
has read ``sitrep.control.v1`` up to the end offsets taken *after* seeing a
commit, its view reflects every event before that commit: that commit is the
view's position (a lower bound; it may reflect more). A client that passes the
position its ingest returned as ``?min_position=`` reads its own writes.

Commits come every ``SITREP_COMMIT_INTERVAL_S``; the processor's control records
say it sooner. Each names the events it reflects, and the last of a batch's
records in a partition says the batch is out (``BATCH_COMPLETE_HEADER``), so a
replica that has read it reflects every event before that offset in that
partition, as soon as the processor has flushed the batch. The view's position
is the furthest of the two.
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
WAIT_POLL_S = 0.25
READ_POLL_S = 0.025


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
                await asyncio.sleep(READ_POLL_S)
            self.reflected = furthest(self.reflected, committed)

    def position(self) -> Positions:
        """What the view reflects: the furthest of the group's commit (above) and
        of the processor's batch-complete records this replica has read (the
        reader's ``records_reflect``), which come sooner than a commit."""
        return furthest(self.reflected, self.reader.records_reflect)

    async def wait_for(self, wanted: Positions, timeout_s: float) -> bool:
        """Whether the view reached ``wanted`` within ``timeout_s``: rechecked
        at each batch of control records read, and at least every
        ``WAIT_POLL_S`` for the commits the background refresh picks up."""
        deadline = time.monotonic() + timeout_s
        while True:
            arrival = self.reader.control_arrival()
            if reaches(self.position(), wanted):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrival.wait(), timeout=min(left, WAIT_POLL_S))
