"""``GET /metrics`` in Prometheus' text format.

The pipeline's counters are read off the log at scrape time rather than counted
by each process: the articles and events this replica has read, the processor
group's committed offsets (events folded), the alerts read, the dead letters'
end offsets, the group's lag per partition. So they are the same on every API
replica, survive restarts, and count the work of every ingest worker and
processor, wherever it runs. Request latency is this replica's own.
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from schemas.topics import EVENTS
from services.api.conditional import ANSWERED_BEFORE_ROUTING, ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from services.api.progress import ProcessorWatcher
    from services.api.reader import ViewReader

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class PipelineCollector(Collector):
    def __init__(self, reader: ViewReader, watcher: ProcessorWatcher) -> None:
        self.reader = reader
        self.watcher = watcher

    def collect(self) -> Iterator[Metric]:
        reader, progress = self.reader, self.watcher.progress
        yield CounterMetricFamily(
            "sitrep_articles_ingested", "articles on sitrep.articles.v1 (read by this replica)",
            value=len(reader.log.articles),
        )  # fmt: skip
        yield CounterMetricFamily(
            "sitrep_events_parsed", "event records on sitrep.events.v1 (read by this replica)",
            value=sum(len(logged) for logged in reader.log.partitions.values()),
        )  # fmt: skip
        yield CounterMetricFamily(
            "sitrep_events_folded", "events the processor group has folded and committed",
            value=sum(self.watcher.committed(EVENTS.name).values()),
        )  # fmt: skip
        alerts = CounterMetricFamily(
            "sitrep_alerts_emitted", "distinct alerts on sitrep.alerts.v1", labels=["kind"]
        )
        for kind, n in sorted(Tally(a.kind for a in reader.alerts.values()).items()):
            alerts.add_metric([kind], n)
        yield alerts
        yield CounterMetricFamily(
            "sitrep_dead_letters", "records on sitrep.deadletter.v1", value=progress.dead_letters or 0
        )
        lag = GaugeMetricFamily(
            "sitrep_consumer_lag",
            "records the processor group has yet to commit",
            labels=["topic", "partition"],
        )
        for name, p in sorted(progress.partitions.items()):
            topic, _, partition = name.rpartition("/")
            lag.add_metric([topic, partition], p["lag"])
        yield lag
        places = GaugeMetricFamily("sitrep_places", "places in the view", labels=["status"])
        for status, n in sorted(Tally(s.status for s in reader.control.values()).items()):
            places.add_metric([status], n)
        yield places
        yield GaugeMetricFamily(
            "sitrep_processor_stalled", "1 when events wait and the group's commits stopped moving",
            value=1 if progress.stalled else 0,
        )  # fmt: skip


class Metrics:
    """This replica's registry: the pipeline read off the log, and its requests."""

    def __init__(self, reader: ViewReader, watcher: ProcessorWatcher) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(PipelineCollector(reader, watcher))
        self.latency = Histogram(
            "sitrep_http_request_duration_seconds",
            "time to answer an HTTP request (to the end of the body; a stream counts to its end)",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.posted = Counter(
            "sitrep_articles_posted",
            "articles posted to POST /v1/articles, by outcome",
            ["outcome"],
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class RequestTimer:
    """ASGI middleware: each request's latency, by route template (not raw path,
    so place ids do not explode the label set) and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or scope.get(ANSWERED_BEFORE_ROUTING) or "unmatched"
            self.metrics.latency.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )
