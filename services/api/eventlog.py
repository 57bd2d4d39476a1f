"""The API's copy of the event log and the articles: what the audit routes
answer from (``/v1/events``, ``/v1/articles/…``, a place's history, ``as_of``).

Events are kept in log order, partition by partition. A cursor is the position
reached in each partition, so a page is the next events after it in that
order: events that arrive while a client pages through land after its cursor in
their partition, so each event is served exactly once, none skipped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from domain.history import Recorded
from domain.ids import place_key
from schemas.article import Article
from schemas.event import SituationEvent
from services.shared.positions import decode_position, encode_position


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    event: SituationEvent
    partition: int
    offset: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class EventFilter:
    place: str | None = None  # place id (its key)
    actor: str | None = None  # actor id, or name (case-insensitive)
    action: str | None = None
    since: datetime | None = None  # event time, inclusive
    until: datetime | None = None  # event time, inclusive

    def admits(self, event: SituationEvent) -> bool:
        if self.place is not None and place_key(event.place) != self.place:
            return False
        if self.actor is not None:
            wanted = self.actor.casefold()
            actor = event.actor
            if (actor.id or "").casefold() != wanted and actor.name.casefold() != wanted:
                return False
        if self.action is not None and event.action != self.action:
            return False
        start = event.occurred_at.start
        if self.since is not None and start < self.since:
            return False
        return self.until is None or start <= self.until


@dataclass
class Page:
    events: list[LoggedEvent]
    cursor: str  # where the next page starts; also valid once this page is the last one
    more: bool  # whether events after ``cursor`` were already known when this page was cut


@dataclass
class EventLog:
    # partition -> its events in offset order (offsets ascending)
    partitions: dict[int, list[LoggedEvent]] = field(default_factory=dict)
    # event id -> the latest copy logged (a re-parse logs an event again)
    latest: dict[str, LoggedEvent] = field(default_factory=dict)
    by_place: dict[str, dict[str, None]] = field(default_factory=dict)  # place key -> event ids, ordered
    by_article: dict[str, dict[str, None]] = field(default_factory=dict)  # article id -> event ids
    articles: dict[str, Article] = field(default_factory=dict)

    def add(self, event: SituationEvent, partition: int, offset: int, recorded_at: datetime) -> None:
        logged = LoggedEvent(event, partition, offset, recorded_at)
        self.partitions.setdefault(partition, []).append(logged)
        self.latest[event.event_id] = logged
        self.by_place.setdefault(place_key(event.place), {})[event.event_id] = None
        self.by_article.setdefault(event.article_id, {})[event.event_id] = None

    def add_article(self, article: Article) -> None:
        self.articles.setdefault(article.article_id, article)

    def recorded(self) -> Iterator[Recorded]:
        """Every event with its record time, for the fold."""
        for partition in sorted(self.partitions):
            for logged in self.partitions[partition]:
                yield Recorded(logged.event, logged.recorded_at)

    def of_place(self, key: str) -> list[LoggedEvent]:
        return [self.latest[i] for i in self.by_place.get(key, {})]

    def of_article(self, article_id: str) -> list[LoggedEvent]:
        found = [self.latest[i] for i in self.by_article.get(article_id, {})]
        return sorted(found, key=lambda x: (x.event.evidence.sentence_index, x.event.event_id))

    def page(self, wanted: EventFilter, cursor: str | None, limit: int) -> Page:
        """Up to ``limit`` events after ``cursor`` that ``wanted`` admits, in log order."""
        positions = decode_position(cursor) if cursor else {}
        found: list[LoggedEvent] = []
        more = False
        for partition in sorted(self.partitions):
            logged = self.partitions[partition]
            start = bisect_right(logged, positions.get(partition, 0) - 1, key=lambda x: x.offset)
            for item in logged[start:]:
                if len(found) == limit:
                    more = True
                    break
                positions[partition] = item.offset + 1
                if wanted.admits(item.event):
                    found.append(item)
            if more:
                break
        return Page(found, encode_position(positions), more)
