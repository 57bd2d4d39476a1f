"""The fold process: a processor worker's stages, run in a child process.

faust spends about 100 µs of CPU delivering each event to an agent (its stream
machinery, not Kafka: bench/processor.py's bare faust agent), and folding and
publishing an event costs about as much again. In one process the two add up;
here the faust process only iterates, hands each batch's raw records to the
fold process through a pipe, and acknowledges the batch's events once the fold
process says their results are on the broker. The next batch is handed over
while the last one is being folded, so the two processes work at once.

Nothing about delivery changes: offsets are committed only for events whose
states and alerts are out (at-least-once), a batch is folded whole and in
order, and during a rebalance faust waits until every event handed over is
acknowledged, so a partition's next owner starts after its last results.

The pipe carries frames: a 4-byte length, then a pickle. Both ends are this
module, started together, so pickle is safe here and much cheaper than JSON.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import struct
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from domain.alert_rules import AlertRules
from domain.errors import FoldProcessFailed
from services.processor.stages import Record, Stages
from services.shared.settings import ProcessorSettings

log = logging.getLogger(__name__)

Stage = Literal["places", "capitals"]
_LENGTH = struct.Struct(">I")


def _frame(message: tuple[Any, ...]) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(payload)) + payload


async def _read_frame(reader: asyncio.StreamReader) -> tuple[Any, ...] | None:
    """The next message, or None at the end of the stream."""
    try:
        head = await reader.readexactly(_LENGTH.size)
        (length,) = _LENGTH.unpack(head)
        message: tuple[Any, ...] = pickle.loads(await reader.readexactly(length))
    except asyncio.IncompleteReadError:
        return None
    return message


class FoldProcess:
    """The faust process's end: starts the child, hands it batches, and tells
    when each is done."""

    def __init__(
        self,
        settings: ProcessorSettings,
        rules: AlertRules,
        on_gone: Callable[[BaseException], Awaitable[None]],
    ) -> None:
        """``on_gone`` is called if the child ends before it is stopped: the
        worker must stop then (a supervisor restarts it), or it would sit on its
        partitions folding nothing."""
        self.settings = settings
        self.rules = rules
        self._on_gone = on_gone
        self._stopping = False
        self._proc: asyncio.subprocess.Process | None = None
        self._replies: asyncio.Task[None] | None = None
        self._waiting: dict[int, asyncio.Future[None]] = {}
        self._sequence = 0
        self._gone: BaseException | None = None
        self._starting = asyncio.Lock()

    async def start(self) -> None:
        """Start the child, unless it is started already (both agents call this)."""
        async with self._starting:
            if self._proc is None:
                await self._start()

    async def _start(self) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.processor.offload",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            # Larger than a batch of records, so that handing one over rarely waits.
            limit=64 * 1024 * 1024,
        )
        await self._send(("start", self.settings, self.rules))
        self._replies = asyncio.create_task(self._read_replies(), name="fold-process-replies")

    async def fold(self, stage: Stage, records: Sequence[Record]) -> asyncio.Future[None]:
        """Hand a batch over; the future is done when its results are on the broker."""
        if self._gone is not None:
            raise FoldProcessFailed(f"the fold process is gone: {self._gone}")
        self._sequence += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[self._sequence] = done
        await self._send(("fold", self._sequence, stage, list(records)))
        return done

    async def forget(self, places: set[int], capitals: set[int]) -> None:
        await self._send(("forget", places, capitals))

    async def stop(self) -> None:
        self._stopping = True
        proc = self._proc
        if proc is None:
            return
        if proc.stdin is not None and not proc.stdin.is_closing():
            proc.stdin.close()  # the child stops at the end of its input
        try:
            await asyncio.wait_for(proc.wait(), timeout=10)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        if self._replies is not None:
            await asyncio.gather(self._replies, return_exceptions=True)

    async def _send(self, message: tuple[Any, ...]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(_frame(message))
        await self._proc.stdin.drain()

    async def _read_replies(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        reader = self._proc.stdout
        while (message := await _read_frame(reader)) is not None:
            kind, sequence = message[0], message[1]
            done = self._waiting.pop(sequence)
            if kind == "done":
                done.set_result(None)
            else:
                done.set_exception(FoldProcessFailed(message[2]))
        code = await self._proc.wait()
        self._gone = gone = FoldProcessFailed(f"the fold process exited with status {code}")
        for done in self._waiting.values():
            done.set_exception(gone)
        self._waiting.clear()
        if not self._stopping:
            log.error("%s; stopping this worker", gone)
            await self._on_gone(gone)


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """The child's end: fold each batch it is given, in order, and say when its
    results are on the broker, in order too. A batch is folded while the
    results of the one before are still on their way."""
    start = await _read_frame(reader)
    if start is None:
        return
    _, settings, rules = start
    stages = Stages(settings, rules)
    await stages.start()
    replies: asyncio.Task[None] | None = None
    try:
        while (message := await _read_frame(reader)) is not None:
            if message[0] == "forget":
                stages.forget(message[1], message[2])
                continue
            _, sequence, stage, records = message
            try:
                if stage == "places":
                    delivered = await stages.fold_places(records)
                else:
                    delivered = await stages.fold_capitals(records)
            except Exception as err:
                # The views may now be half-folded: report, and stop. The faust
                # process stops too, and the next start rebuilds from the log.
                log.exception("folding a batch of %s failed", stage)
                await _reply(writer, ("failed", sequence, f"{type(err).__name__}: {err}"))
                return
            replies = asyncio.create_task(_reply_when(delivered, sequence, replies, reader, writer))
        if replies is not None:
            await replies
    finally:
        await stages.stop()


async def _reply_when(
    delivered: asyncio.Future[Any],
    sequence: int,
    before: asyncio.Task[None] | None,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    """Say that batch ``sequence`` is on the broker, after every batch before it.
    If a batch's results are lost, no later batch is said to be done either (the
    chain fails with it), and the fold process stops reading: the faust process
    stops then, and the next start folds again from the last commit."""
    if before is not None:
        await before
    try:
        await delivered
    except Exception as err:
        log.exception("publishing the results of batch %d failed", sequence)
        await _reply(writer, ("failed", sequence, f"{type(err).__name__}: {err}"))
        reader.feed_eof()
        raise
    await _reply(writer, ("done", sequence))


async def _reply(writer: asyncio.StreamWriter, message: tuple[Any, ...]) -> None:
    writer.write(_frame(message))
    await writer.drain()


async def _main() -> None:
    loop = asyncio.get_running_loop()
    # Frames go out on a copy of stdout; stdout itself then points at stderr, so
    # that nothing printed by accident can corrupt them.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    reader = asyncio.StreamReader(limit=64 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin.buffer)
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, out)
    writer = asyncio.StreamWriter(transport, protocol, reader, loop)
    await serve(reader, writer)


def main() -> None:
    import gc

    from services.shared.logging import configure_logging

    configure_logging("processor-fold", ProcessorSettings().log_level)
    # As in the faust process (services/cli.py): folding allocates many
    # short-lived objects, and the collector's default thresholds cost more
    # than anything else.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    asyncio.run(_main())


if __name__ == "__main__":
    main()
