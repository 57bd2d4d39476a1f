"""Ingest: article inputs → parse → ``sitrep.articles.v1`` + ``sitrep.events.v1``.

An article is published at most once: its id is a hash of its normalized text,
and the ids already on ``sitrep.articles.v1`` are read before publishing.
Events go out before their article, so the article record marks a completed
ingest; a crash in between re-publishes the same events (same ids) next time,
which the idempotent fold absorbs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aiokafka import AIOKafkaProducer

from domain import ids
from schemas.article import Article
from schemas.deadletter import Stage
from schemas.event import SituationEvent
from schemas.topics import ARTICLES, DEADLETTER, EVENTS
from services.ingest.sources import ArticleInput, InputFailure
from services.shared.clock import Clock
from services.shared.codec import encode, encode_key
from services.shared.deadletter import dead_letter
from services.shared.kafka import end_offsets, make_consumer
from services.shared.positions import Positions
from services.shared.settings import SitrepSettings

if TYPE_CHECKING:
    from domain.parser import ArticleParser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOutcome:
    source: str
    article_id: str
    events: int
    duplicate: bool


def to_article(item: ArticleInput) -> Article:
    return Article(
        article_id=ids.article_id(item.text),
        text=item.text,
        title=item.title,
        url=item.url,
        outlet=item.outlet,
        published_at=item.published_at,
        source=item.source,
        country_hint=item.country_hint,
    )


class KnownArticles:
    """The ids of every article on ``sitrep.articles.v1``, kept current by
    reading what was added since the last call: a worker that takes over
    from one that died learns the articles it published just before."""

    def __init__(self, settings: SitrepSettings) -> None:
        self.ids: set[str] = set()
        self.consumer = make_consumer(settings)
        self._assigned = False

    async def start(self) -> None:
        await self.consumer.start()

    async def stop(self) -> None:
        await self.consumer.stop()

    async def catch_up(self) -> None:
        ends = await end_offsets(self.consumer, ARTICLES.name)
        if not self._assigned:
            self.consumer.assign(list(ends))
            await self.consumer.seek_to_beginning(*ends)
            self._assigned = True
        pending = {tp: end for tp, end in ends.items() if await self.consumer.position(tp) < end}
        while pending:
            for tp, records in (await self.consumer.getmany(*pending, timeout_ms=1000)).items():
                for record in records:
                    if record.key is not None:
                        self.ids.add(record.key.decode("utf-8", "replace"))
                if tp in pending and await self.consumer.position(tp) >= pending[tp]:
                    del pending[tp]


async def known_article_ids(settings: SitrepSettings) -> set[str]:
    """Ids of every article already on the log (its keys)."""
    known = KnownArticles(settings)
    await known.start()
    try:
        await known.catch_up()
    finally:
        await known.stop()
    return known.ids


class Ingestor:
    """Publishes articles and their events; dead-letters what it cannot use."""

    def __init__(
        self,
        parser: ArticleParser,
        producer: AIOKafkaProducer,
        known_ids: set[str],
        clock: Clock,
        default_published_at: datetime | None = None,
    ) -> None:
        self.parser = parser
        self.producer = producer
        self.known_ids = known_ids
        self.clock = clock
        self.default_published_at = default_published_at
        # Where this ingestor's events landed on sitrep.events.v1: a reader that
        # waits for the view to reach it reads its own writes (?min_position=).
        self.position: Positions = {}

    async def ingest(self, item: ArticleInput) -> IngestOutcome:
        article = to_article(item)
        if article.published_at is None and self.default_published_at is not None:
            article = article.model_copy(update={"published_at": self.default_published_at})
        if article.article_id in self.known_ids:
            return IngestOutcome(item.source, article.article_id, 0, duplicate=True)
        reference = article.published_at or self.clock()
        events = self.parser.parse(article, reference)
        await self.publish(article, events)
        log.info("ingested %s: article %s, %d events", item.source, article.article_id[:12], len(events))
        return IngestOutcome(item.source, article.article_id, len(events), duplicate=False)

    async def publish(self, article: Article, events: list[SituationEvent]) -> Positions:
        """Publish a parsed article: its events, then the article itself (the
        record that marks the ingest complete). Returns where its events landed."""
        sent = [
            await self.producer.send(EVENTS.name, encode(event), key=encode_key(ids.place_key(event.place)))
            for event in events
        ]
        await self.producer.send_and_wait(ARTICLES.name, encode(article), key=encode_key(article.article_id))
        landed_at: Positions = {}
        for delivery in sent:
            landed = await delivery
            landed_at[landed.partition] = max(landed_at.get(landed.partition, 0), landed.offset + 1)
            self.position[landed.partition] = max(self.position.get(landed.partition, 0), landed.offset + 1)
        self.known_ids.add(article.article_id)
        return landed_at

    async def reject(self, failure: InputFailure, stage: Stage = "read") -> None:
        letter = dead_letter(failure.source, stage, failure.error, failure.raw, self.clock())
        await self.producer.send_and_wait(DEADLETTER.name, encode(letter), key=encode_key(failure.source))
        log.warning("dead-lettered %s", failure)
