"""``sitrep ingest``: read files, folders and page URLs; publish articles and
their events; report each failure."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from domain.errors import InputError
from services.ingest.pipeline import Ingestor, known_article_ids
from services.ingest.sources import ArticleInput, InputFailure, count_inputs, read_paths
from services.shared.clock import utc_now
from services.shared.kafka import ensure_topics, make_producer
from services.shared.positions import Positions, encode_position
from services.shared.settings import IngestSettings, SitrepSettings
from services.shared.terminal import ProgressBar


@dataclass
class IngestSummary:
    published: int = 0
    duplicates: int = 0
    events: int = 0
    failures: list[str] = field(default_factory=list)
    position: Positions = field(default_factory=dict)  # where the events landed on sitrep.events.v1

    def line(self) -> str:
        landed = f"; position {encode_position(self.position)}" if self.position else ""
        return (
            f"ingested {self.published} new article(s) with {self.events} event(s); "
            f"{self.duplicates} already known; {len(self.failures)} rejected (see sitrep.deadletter.v1)"
            f"{landed}"
        )


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


async def read_targets(
    limits: IngestSettings, targets: list[str]
) -> AsyncIterator[ArticleInput | InputFailure]:
    """What each target gives: a URL is fetched (one article), a path is read
    (a file, or every supported file of a folder)."""
    from services.ingest.fetch import Fetcher
    from services.ingest.web import fetch_article

    async with Fetcher(limits) as fetcher:
        for target in targets:
            if is_url(target):
                try:
                    yield await fetch_article(fetcher, target, max_bytes=limits.max_article_bytes)
                except InputError as err:
                    yield InputFailure(target, err, b"")
            else:
                for item in read_paths([Path(target)], limits.max_article_bytes):
                    yield item


async def ingest_targets(
    settings: SitrepSettings,
    targets: Sequence[str | Path],
    published_at: datetime | None,
    progress: bool = False,
) -> IngestSummary:
    """Publish every article the targets give: page URLs, files, folders.
    With ``progress``, a progress bar on stderr when it is a terminal (the
    inputs are counted first, only then)."""
    from services.shared.knowledge import load_parser

    limits = (
        settings
        if isinstance(settings, IngestSettings)
        else IngestSettings(data_dir=settings.data_dir, kafka_bootstrap=settings.resolve_bootstrap())
    )
    names = [str(target) for target in targets]
    paths = [Path(name) for name in names if not is_url(name)]
    parser = load_parser()
    await ensure_topics(settings)
    known = await known_article_ids(settings)
    producer = make_producer(settings)
    await producer.start()
    summary = IngestSummary()
    total = count_inputs(paths) + (len(names) - len(paths)) if progress and sys.stderr.isatty() else 0
    bar = ProgressBar("ingest", total, "articles")
    try:
        ingestor = Ingestor(parser, producer, known, utc_now, published_at)
        async for item in read_targets(limits, names):
            if isinstance(item, InputFailure):
                await ingestor.reject(item)
                summary.failures.append(str(item))
                bar.write(f"sitrep: {item}")
            else:
                outcome = await ingestor.ingest(item)
                if outcome.duplicate:
                    summary.duplicates += 1
                else:
                    summary.published += 1
                    summary.events += outcome.events
            bar.advance()
        await producer.flush()
        summary.position = ingestor.position
    finally:
        bar.close()
        await producer.stop()
    return summary
