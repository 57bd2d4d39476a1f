"""The topic registry: every topic Sitrep reads or writes, with its key and value."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from schemas.alert import Alert
from schemas.article import Article
from schemas.capital import CapitalSignal
from schemas.control import ControlState
from schemas.deadletter import DeadLetter
from schemas.event import SituationEvent
from schemas.ingest import SeenItem

DEFAULT_PARTITIONS = 4


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str
    value: type[BaseModel]
    cleanup_policy: str  # "delete" or "compact"
    retention_ms: int  # -1: forever
    partitions: int = DEFAULT_PARTITIONS

    @property
    def config(self) -> dict[str, str]:
        return {"cleanup.policy": self.cleanup_policy, "retention.ms": str(self.retention_ms)}


ARTICLES = TopicSpec("sitrep.articles.v1", "article_id", Article, "delete", -1)
EVENTS = TopicSpec("sitrep.events.v1", "place id", SituationEvent, "delete", -1)
CONTROL = TopicSpec("sitrep.control.v1", "place id", ControlState, "compact", -1)
ALERTS = TopicSpec("sitrep.alerts.v1", "place id", Alert, "delete", -1)
DEADLETTER = TopicSpec("sitrep.deadletter.v1", "source id", DeadLetter, "delete", -1)
# Internal to the processor: its place-keyed stage to its country-keyed one.
# Kept forever, like the event log it is derived from, so a worker can rebuild
# its capital watches from it.
CAPITALS = TopicSpec("sitrep.capitals.v1", "country ISO2", CapitalSignal, "delete", -1)
# The ingest workers' record of the feed entries and files they have dealt
# with, keyed by item; its partitions are how workers share the items (a worker
# deals with the items of the partitions its consumer group gives it).
SEEN = TopicSpec("sitrep.ingest.seen.v1", "item key", SeenItem, "compact", -1)

# A header on each sitrep.control.v1 record: "<partition>:<offset>", the
# partition of sitrep.events.v1 the place's events are on and the offset just
# past the last event folded when the state was published. Optional for
# readers (a record without it is taken as changed at any position).
EVENTS_POSITION_HEADER = "sitrep-events-position"
# On the last sitrep.control.v1 record the processor publishes for a batch of one
# partition of sitrep.events.v1: every state that batch changed is on the topic
# before it. With as many partitions in both topics (a place's events and its
# state then share a partition number), a reader that has read it reflects every
# event before the offset its position header names.
BATCH_COMPLETE_HEADER = "sitrep-batch-complete"

TOPICS: tuple[TopicSpec, ...] = (ARTICLES, EVENTS, CONTROL, ALERTS, DEADLETTER, CAPITALS, SEEN)


def topic_for(name: str) -> TopicSpec:
    for spec in TOPICS:
        if spec.name == name:
            return spec
    raise KeyError(name)
