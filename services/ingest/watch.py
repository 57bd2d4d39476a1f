"""Watching feeds and folders: ``sitrep watch`` and the ingest worker.

Each watched source is polled every ``watch_interval_s``: a feed with a
conditional request (its last ``ETag`` and ``Last-Modified``), a folder by
listing it. What a poll finds that is new becomes an *item* (an entry's page,
a file), fetched and published once (``Ledger`` says which items are new and
which are this worker's). At most ``fetch_concurrency`` fetches run at once.

A failing feed is retried later, not given up: after a 429 or 503 when its
``Retry-After`` says, otherwise after twice the interval, then four times, up
to ``watch_max_backoff_s``. A streak of failures is reported once on
``sitrep.deadletter.v1``: at its first failure when the feed is broken (not a
feed, refused, a 404), at its ``fetch_attempts``-th when it may only be busy.

A page that fails transiently is tried again at the next polls,
``fetch_attempts`` times in all; a page that cannot be an article (not HTML,
too large, undecodable, no text, refused address) is dead-lettered at once.
Either way the item is then recorded as seen, so it is not retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from domain.errors import ConfigurationError, FetchFailed, InputError
from schemas.ingest import Outcome
from services.ingest.ledger import RELEASE_WAIT_S, Ledger
from services.ingest.pipeline import Ingestor, KnownArticles
from services.ingest.sources import ArticleInput, InputFailure, files_under, read_file
from services.ingest.web import EntryHints, FeedValidators, fetch_article, fetch_feed
from services.shared.clock import Clock
from services.shared.kafka import ensure_topics, make_producer
from services.shared.settings import IngestSettings

if TYPE_CHECKING:
    from services.ingest.fetch import Fetcher

log = logging.getLogger(__name__)


@dataclass
class Watched:
    """A feed or a folder, and where its polling stands."""

    name: str  # the feed URL, or the folder's absolute path
    kind: Literal["feed", "folder"]
    due: float = 0.0  # event-loop time of the next poll
    failures: int = 0  # in a row
    polls: int = 0
    validators: FeedValidators = field(default_factory=FeedValidators)
    polling: asyncio.Task[None] | None = None


def watched_source(text: str) -> Watched:
    """An http(s) URL is a feed, an existing folder is a folder; else a clear error."""
    scheme = urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        return Watched(text, "feed")
    if "://" in text:
        raise ConfigurationError(f"{text}: only http and https feeds can be watched")
    folder = Path(text)
    if not folder.is_dir():
        raise ConfigurationError(f"{text} is neither an http(s) feed URL nor a folder")
    return Watched(str(folder.resolve()), "folder")


@dataclass(frozen=True)
class Item:
    key: str
    source: str
    page: str | None = None  # the entry's page URL, for a feed item
    file: Path | None = None  # the file, for a folder item
    hints: EntryHints = field(default_factory=EntryHints)


def file_item(path: Path, folder: str) -> Item:
    """A file as an item: its key changes when it is rewritten, so a changed
    file is read again (and published only if its text changed)."""
    stat = path.stat()
    return Item(key=f"{path.resolve().as_uri()}#{stat.st_size}-{stat.st_mtime_ns}", source=folder, file=path)


@dataclass
class WatchStats:
    polls: int = 0
    not_modified: int = 0
    feed_failures: int = 0
    published: int = 0
    duplicates: int = 0
    rejected: int = 0
    retries: int = 0

    def line(self) -> str:
        return (
            f"{self.polls} poll(s) ({self.not_modified} not modified, {self.feed_failures} failed); "
            f"{self.published} article(s) published, {self.duplicates} already known, "
            f"{self.rejected} rejected (see sitrep.deadletter.v1)"
        )


class Watcher:
    def __init__(
        self,
        settings: IngestSettings,
        sources: list[Watched],
        ingestor: Ingestor,
        fetcher: Fetcher,
        ledger: Ledger,
        known: KnownArticles,
    ) -> None:
        self.settings = settings
        self.sources = sources
        self.ingestor = ingestor
        self.fetcher = fetcher
        self.ledger = ledger
        self.known = known
        self.slots = asyncio.Semaphore(settings.fetch_concurrency)
        self.in_flight: dict[str, asyncio.Task[None]] = {}
        self.attempts: Counter[str] = Counter()
        self.stats = WatchStats()

    async def run(self, stop: asyncio.Event, once: bool = False) -> WatchStats:
        """Poll until ``stop`` is set; with ``once``, until every source has
        been polled once and what it found is dealt with."""
        loop = asyncio.get_running_loop()
        try:
            while not stop.is_set():
                now = loop.time()
                for source in self.sources:
                    if source.polling is None and now >= source.due and not (once and source.polls):
                        source.polling = asyncio.create_task(self.poll(source), name=f"poll {source.name}")
                if once and all(s.polls and s.polling is None for s in self.sources) and not self.in_flight:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.2)
        finally:
            await self.drain()
        return self.stats

    async def drain(self) -> None:
        """Let the work in flight finish (bounded), then stop polling."""
        polls = [s.polling for s in self.sources if s.polling is not None]
        for task in polls:
            task.cancel()
        await asyncio.gather(*polls, return_exceptions=True)
        await self.release(None)

    async def release(self, partitions: set[int] | None) -> None:
        """Wait for the items in flight (of ``partitions``, or all) to finish;
        cancel what is still running after ``RELEASE_WAIT_S``."""
        tasks = [
            task
            for key, task in self.in_flight.items()
            if partitions is None or self.ledger.partition(key) in partitions
        ]
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=RELEASE_WAIT_S)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def poll(self, source: Watched) -> None:
        loop = asyncio.get_running_loop()
        try:
            items = await (self.feed_items(source) if source.kind == "feed" else self.folder_items(source))
        except (InputError, OSError) as err:
            await self.poll_failed(source, err)
        else:
            if source.failures:
                log.info("%s answers again", source.name)
            source.failures = 0
            source.due = loop.time() + self.settings.watch_interval_s
            if items:
                await self.known.catch_up()  # a worker that died may have published some of them
            for item in items:
                if self.ledger.may_take(item.key) and item.key not in self.in_flight:
                    task = asyncio.create_task(self.take(item), name=f"take {item.key}")
                    self.in_flight[item.key] = task
                    task.add_done_callback(partial(self.forget, item.key))
        finally:
            source.polls += 1
            self.stats.polls += 1
            source.polling = None

    def forget(self, key: str, _: asyncio.Task[None]) -> None:
        self.in_flight.pop(key, None)

    async def feed_items(self, source: Watched) -> list[Item]:
        async with self.slots:
            feed = await fetch_feed(self.fetcher, source.name, source.validators)
        if feed is None:
            self.stats.not_modified += 1
            return []
        return [
            Item(
                key=entry.key,
                source=source.name,
                page=entry.link,
                hints=EntryHints(title=entry.title, published_at=entry.published_at),
            )
            for entry in feed.entries
        ]

    async def folder_items(self, source: Watched) -> list[Item]:
        paths = await asyncio.to_thread(files_under, Path(source.name))
        items = []
        for path in paths:
            with contextlib.suppress(FileNotFoundError):  # removed while we listed
                items.append(file_item(path, source.name))
        return items

    async def poll_failed(self, source: Watched, error: BaseException) -> None:
        loop = asyncio.get_running_loop()
        source.failures += 1
        self.stats.feed_failures += 1
        interval = self.settings.watch_interval_s
        wait = interval * 2**source.failures
        if isinstance(error, FetchFailed) and error.retry_after is not None:
            wait = max(error.retry_after, interval)
        wait = min(wait, self.settings.watch_max_backoff_s)
        source.due = loop.time() + wait
        log.warning("%s; next try in %.0f s", error, wait)
        # Reported once per streak of failures: at once when the feed is
        # broken, after a few tries when it may only be busy or down a while.
        transient = (isinstance(error, FetchFailed) and error.transient) or isinstance(error, OSError)
        if source.failures == (self.settings.fetch_attempts if transient else 1):
            reason = error if isinstance(error, InputError) else FetchFailed(str(error), transient=True)
            await self.ingestor.reject(InputFailure(source.name, reason, b""))

    async def take(self, item: Item) -> None:
        try:
            try:
                async with self.slots:
                    reads = await self.read(item)
            except FetchFailed as err:
                if err.transient and self.attempts[item.key] + 1 < self.settings.fetch_attempts:
                    self.attempts[item.key] += 1
                    self.stats.retries += 1
                    log.info("%s: %s; tried again at the next poll", item.page, err)
                    return
                reads = [InputFailure(item.page or item.key, err, b"")]
            except InputError as err:
                reads = [InputFailure(item.page or item.key, err, b"")]
            outcome, article_id, reason = await self.publish(reads)
            await self.ledger.record(item.key, item.source, outcome, article_id, reason)
            self.attempts.pop(item.key, None)
        except Exception:
            # A bug or a broker failure: the item is not recorded as seen, so
            # the next poll takes it again.
            log.exception("could not deal with %s; tried again at the next poll", item.key)

    async def read(self, item: Item) -> list[ArticleInput | InputFailure]:
        if item.page is not None:
            return [await fetch_article(self.fetcher, item.page, item.hints, self.settings.max_article_bytes)]
        assert item.file is not None
        return list(read_file(item.file, self.settings.max_article_bytes))

    async def publish(
        self, reads: list[ArticleInput | InputFailure]
    ) -> tuple[Outcome, str | None, str | None]:
        """Publish or dead-letter what an item gave; its outcome for the ledger."""
        outcome: Outcome = "rejected"
        article_id = reason = None
        for read in reads:
            if isinstance(read, InputFailure):
                await self.ingestor.reject(read)
                self.stats.rejected += 1
                reason = reason or str(read.error)
                continue
            done = await self.ingestor.ingest(read)
            article_id = article_id or done.article_id
            if done.duplicate:
                self.stats.duplicates += 1
                outcome = "duplicate" if outcome == "rejected" else outcome
            else:
                self.stats.published += 1
                outcome = "published"
        return outcome, article_id, reason


async def watch(
    settings: IngestSettings,
    names: list[str],
    clock: Clock,
    stop: asyncio.Event | None = None,
    once: bool = False,
    ready: asyncio.Event | None = None,
) -> WatchStats:
    """Run a watching worker until ``stop`` (or SIGINT/SIGTERM) or, with
    ``once``, for one poll of each source. ``ready`` is set once the worker
    has its share of the items and knows which are done."""
    from services.ingest.fetch import Fetcher
    from services.shared.knowledge import load_parser

    if not names:
        raise ConfigurationError("nothing to watch: name feed URLs or folders (SITREP_WATCH for the worker)")
    sources = [watched_source(name) for name in names]
    fetcher = Fetcher(settings)
    for source in sources:
        if source.kind == "feed":
            fetcher.policy.check_url(source.name)
    parser = load_parser()
    await ensure_topics(settings)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(number, stop.set)
    producer = make_producer(settings)
    known = KnownArticles(settings)
    ledger = Ledger(settings, producer, clock)
    async with fetcher:
        await producer.start()
        await known.start()
        try:
            await known.catch_up()
            watcher = Watcher(
                settings, sources, Ingestor(parser, producer, known.ids, clock), fetcher, ledger, known
            )
            await ledger.start(watcher.release)
            if not await ledger.wait_ready(timeout_s=60):
                log.warning("no partition of the ingest group after 60 s; other workers have them all")
            if ready is not None:
                ready.set()
            return await watcher.run(stop, once)
        finally:
            await ledger.stop()
            await known.stop()
            await producer.stop()
            for number in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(number)
