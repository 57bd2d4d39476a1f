"""``sitrep reparse``: the current parser run again over every article on
``sitrep.articles.v1``, into a topic of its own, and the view it gives set
against the view of the events on ``sitrep.events.v1``.

The article log is the raw record; the event log is one parser's reading of it.
Re-reading the articles with a better parser, into a new topic, lets the two
readings be folded side by side and their difference audited before the new
parser is trusted: ingest workers that run it publish to ``sitrep.events.v1``
from then on, and the old events stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from domain.alert_rules import AlertRules
from domain.errors import ConfigurationError, InputError
from domain.history import view_as_of
from domain.ids import place_key
from schemas.article import Article
from schemas.event import SituationEvent
from schemas.topics import ARTICLES, EVENTS, TopicSpec
from services.audit.replay import diff_views, read_event_log
from services.shared.codec import decode, encode, encode_key
from services.shared.kafka import ensure_topics, make_producer, read_to_end, record_time, total_records
from services.shared.settings import SitrepSettings
from services.shared.terminal import ProgressBar


class Parser(Protocol):
    def parse(self, article: Article, reference_time: datetime) -> list[SituationEvent]: ...


@dataclass
class Reparse:
    topic: str
    articles: int = 0
    events: int = 0
    rejected: list[str] = field(default_factory=list)  # article record: reason
    differences: list[str] = field(default_factory=list)  # new view against the old, one line each


def reparse_topic(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{EVENTS.name}.reparse-{stamp}"


async def reparse(
    settings: SitrepSettings,
    parser: Parser,
    rules: AlertRules,
    into: str,
    on_article: Callable[[], None] | None = None,
) -> Reparse:
    """Parse every article again into ``into`` (a new, empty topic), then diff the views."""
    spec = TopicSpec(into, EVENTS.key, SituationEvent, "delete", -1, settings.partitions)
    await ensure_topics(settings, [spec])
    if held := await total_records(settings, into):
        raise ConfigurationError(f"{into} already holds {held} record(s); reparse into a new topic")
    result = Reparse(into)
    producer = make_producer(settings)
    await producer.start()
    try:
        async for record in read_to_end(settings, ARTICLES.name):
            try:
                article = decode(record.value, Article)
                # The time ingest read it, as ingest used for an undated article.
                reference = article.published_at or record_time(record.timestamp)
                events = parser.parse(article, reference)
            except InputError as err:
                result.rejected.append(f"{ARTICLES.name}/{record.partition}/{record.offset}: {err}")
                continue
            for event in events:
                await producer.send(into, encode(event), key=encode_key(place_key(event.place)))
            result.articles += 1
            result.events += len(events)
            if on_article is not None:
                on_article()
        await producer.flush()
    finally:
        await producer.stop()
    old = await read_event_log(settings, EVENTS.name)
    new = await read_event_log(settings, into)
    result.differences = diff_views(
        view_as_of(new.recorded, rules), view_as_of(old.recorded, rules), names=("new", "old")
    )
    return result


async def reparse_with_progress(
    settings: SitrepSettings, parser: Parser, rules: AlertRules, into: str
) -> Reparse:
    bar = ProgressBar("reparse", await total_records(settings, ARTICLES.name), "articles")
    try:
        return await reparse(settings, parser, rules, into, bar.advance)
    finally:
        bar.close()
