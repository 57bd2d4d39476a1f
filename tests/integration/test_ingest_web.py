"""Ingesting from the web on a real broker: `sitrep ingest URL`, and watching
feeds and folders (`sitrep watch`) against a real HTTP server on loopback.

What a user relies on: every new entry is published once; a feed is asked
again conditionally; failures are retried or dead-lettered with a reason and
never stop the worker; a restart fetches nothing twice; two workers on one
feed, or a worker killed mid-feed and restarted, publish every article once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from schemas.topics import ARTICLES, DEADLETTER, EVENTS, SEEN
from services.ingest.runner import ingest_targets
from services.ingest.watch import watch
from services.shared.broker import EmbeddedBroker
from services.shared.clock import utc_now
from services.shared.kafka import ensure_topics
from services.shared.settings import IngestSettings, SitrepSettings
from tests.integration.conftest import broker_settings
from tests.news_site import NewsSite, Route, article_page, news_site, rss
from tests.topics import read_topic
from tests.waiting import eventually

STORIES = [
    "Hayat Tahrir al-Sham fighters captured the city of Hama on Thursday after the army withdrew, "
    "the group said.",
    "Rebels entered Homs on Saturday as government forces pulled out of the city, residents said.",
    "Southern rebels took control of Daraa on Friday, the Syrian Observatory for Human Rights reported.",
    "Kurdish-led forces took over Deir ez-Zor on Friday after government troops left the city.",
    "Rebels entered Damascus on Sunday and said that Bashar al-Assad had left the capital.",
    "Turkish-backed factions seized the town of Tel Rifaat from Kurdish fighters, a war monitor said.",
]
PUBLISHED = datetime(2024, 12, 8, 9, 0, tzinfo=UTC)


def story(number: int, desk: str = "Levant") -> list[str]:
    """A distinct article for each number and desk (its text, hence its id, differs)."""
    return [STORIES[number % len(STORIES)], f"This is dispatch number {number} from our {desk} desk."]


def feed_of(site: NewsSite, name: str, count: int, **page: Any) -> list[str]:
    """A feed at /<name>.xml with ``count`` entries, and their pages; the page URLs."""
    links = []
    for number in range(count):
        page_body = article_page(f"Story {number}", story(number, desk=name))
        links.append(site.route(f"/{name}/{number}", Route(page_body, **page)))
    entries = [(f"Story {n}", link, PUBLISHED - timedelta(hours=n)) for n, link in enumerate(links)]
    site.route(f"/{name}.xml", Route(rss(name, entries), "application/rss+xml", etag=f'"{name}-1"'))
    return links


def web_settings(kafka_settings: SitrepSettings, **overrides: Any) -> IngestSettings:
    values: dict[str, Any] = {
        "kafka_bootstrap": kafka_settings.resolve_bootstrap(),
        "data_dir": kafka_settings.data_dir,
        "fetch_allow_private_addresses": True,  # the test site is on loopback
        "fetch_total_timeout_s": 10.0,
        "watch_interval_s": 0.3,
        "watch_group": f"sitrep-ingest-test-{uuid.uuid4().hex[:8]}",
        **overrides,
    }
    return IngestSettings.model_validate(values)


async def articles_from(settings: SitrepSettings, urls: list[str]) -> Counter[str]:
    """How many times each of ``urls`` was published as an article."""
    wanted = set(urls)
    return Counter(a["source"] for a in await read_topic(settings, ARTICLES.name) if a["source"] in wanted)


async def letters_about(settings: SitrepSettings, prefix: str) -> list[dict[str, Any]]:
    return [d for d in await read_topic(settings, DEADLETTER.name) if d["source_id"].startswith(prefix)]


@pytest.fixture(scope="module")
async def kafka_settings(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[SitrepSettings]:
    """A broker of this module's own: its articles are real events (Hama,
    Daraa, ...) that would change the view other modules' tests check."""
    async with broker_settings(tmp_path_factory.mktemp("ingest-web")) as settings:
        yield settings


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with news_site() as running:
        yield running


@contextlib.asynccontextmanager
async def watching(
    settings: IngestSettings, sources: list[str], ready: asyncio.Event | None = None
) -> AsyncIterator[asyncio.Task[Any]]:
    """A watching worker in the background until the block ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(watch(settings, sources, utc_now, stop=stop, ready=ready))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def test_ingest_url_publishes_the_page_and_dead_letters_a_refused_one(
    kafka_settings: SitrepSettings, site: NewsSite
) -> None:
    url = site.route(
        "/hama",
        Route(
            article_page(
                "Hama falls", story(0, "url"), published="2024-12-05T16:20:00Z", outlet="Levant Wire"
            )
        ),
    )
    summary = await ingest_targets(web_settings(kafka_settings), [url], None)
    assert summary.published == 1 and summary.events >= 1 and not summary.failures
    [article] = [a for a in await read_topic(kafka_settings, ARTICLES.name) if a["source"] == url]
    assert article["title"] == "Hama falls" and article["outlet"] == "Levant Wire"
    assert article["published_at"] == "2024-12-05T16:20:00Z"
    events = [
        e for e in await read_topic(kafka_settings, EVENTS.name) if e["article_id"] == article["article_id"]
    ]
    assert any(e["action"] == "captured" and e["place"]["name"].startswith("Hama") for e in events)

    # By default a loopback address is refused: a dead letter names why.
    refused = site.url + "/hama?again"
    summary = await ingest_targets(
        web_settings(kafka_settings, fetch_allow_private_addresses=False), [refused], None
    )
    assert summary.published == 0 and len(summary.failures) == 1
    [letter] = await letters_about(kafka_settings, refused)
    assert letter["error_type"] == "AddressRefused" and "loopback" in letter["error"]
    assert site.hits["/hama?again"] == 0


async def test_a_watched_feed_is_published_once_asked_again_conditionally_and_not_refetched_after_restart(
    kafka_settings: SitrepSettings, site: NewsSite
) -> None:
    links = feed_of(site, "levant", 4)
    feed = site.url + "/levant.xml"
    settings = web_settings(kafka_settings)
    async with watching(settings, [feed]):
        await eventually(
            lambda: asyncio.sleep(
                0, site.hits["/levant.xml"] >= 3 and all(site.hits[f"/levant/{n}"] for n in range(4))
            ),
            30,
            "pages fetched and the feed polled again",
        )
        await eventually(lambda: _all_published(kafka_settings, links), 30, "articles on the topic")
    assert await articles_from(kafka_settings, links) == Counter({link: 1 for link in links})
    assert all(site.hits[f"/levant/{n}"] == 1 for n in range(4))
    asks = site.requests_to("/levant.xml")
    assert "if-none-match" not in asks[0]
    assert all(a.get("if-none-match") == '"levant-1"' for a in asks[1:])
    assert all(a["user-agent"].startswith("Sitrep/") for a in asks)
    seen = {s["key"]: s for s in await read_topic(kafka_settings, SEEN.name) if s["source"] == feed}
    assert set(seen) == set(links) and {s["outcome"] for s in seen.values()} == {"published"}

    # A restart: the feed is read again (its validators were not kept), its
    # pages are not, and nothing more is published.
    stats = await watch(settings, [feed], utc_now, once=True)
    assert stats.published == 0 and stats.duplicates == 0
    assert all(site.hits[f"/levant/{n}"] == 1 for n in range(4))
    assert await articles_from(kafka_settings, links) == Counter({link: 1 for link in links})


async def test_failures_are_retried_backed_off_or_dead_lettered_and_never_stop_the_worker(
    kafka_settings: SitrepSettings, site: NewsSite
) -> None:
    now = PUBLISHED
    flaky = site.route(
        "/wire/flaky",
        Route(sequence=[Route(b"oops", "text/plain", 500), Route(article_page("Homs", story(1, "wire")))]),
    )
    broken = site.route("/wire/broken", Route(b"oops", "text/plain", 500))
    pdf = site.route("/wire/pdf", Route(b"%PDF-1.7", "application/pdf"))
    good = site.route("/wire/good", Route(article_page("Daraa", story(2, "wire"))))
    entries = [(name, link, now) for name, link in [("f", flaky), ("b", broken), ("p", pdf), ("g", good)]]
    site.route("/wire.xml", Route(rss("wire", entries), "application/rss+xml"))
    # A feed that is busy at first (429, Retry-After 2 s), and one that is not a feed.
    busy_entries = [
        ("Damascus", site.route("/busy/0", Route(article_page("Damascus", story(4, "wire")))), now)
    ]
    site.route(
        "/busy.xml",
        Route(
            sequence=[
                Route(b"slow down", "text/plain", 429, headers={"Retry-After": "2"}),
                Route(rss("busy", busy_entries), "application/rss+xml"),
            ]
        ),
    )
    site.route("/broken.xml", Route(b"<html><body>Not a feed</body></html>", "text/html"))
    settings = web_settings(kafka_settings, fetch_attempts=2)
    sources = [site.url + "/wire.xml", site.url + "/busy.xml", site.url + "/broken.xml"]
    async with watching(settings, sources):
        await eventually(
            lambda: _all_published(kafka_settings, [flaky, good, busy_entries[0][1]]),
            30,
            "the articles that can be published",
        )
        await eventually(
            lambda: asyncio.sleep(0, len(site.times["/broken.xml"]) >= 3), 30, "the broken feed polled again"
        )
        await eventually(lambda: letters_about(kafka_settings, broken), 30, "the broken page dead-lettered")
    assert await articles_from(kafka_settings, [flaky, good, broken, pdf]) == Counter({flaky: 1, good: 1})
    # The flaky page was tried again at the next poll; the broken one twice in all.
    assert site.hits["/wire/flaky"] == 2 and site.hits["/wire/broken"] == 2 and site.hits["/wire/pdf"] == 1
    [gave_up] = await letters_about(kafka_settings, broken)
    assert gave_up["error_type"] == "FetchFailed" and "HTTP 500" in gave_up["error"]
    [not_html] = await letters_about(kafka_settings, pdf)
    assert not_html["error_type"] == "UnsupportedContent" and "application/pdf" in not_html["error"]
    # The busy feed was asked again only after its Retry-After.
    first, second = site.times["/busy.xml"][:2]
    assert second - first >= 1.9
    # The broken feed is reported once per streak of failures, not at every poll,
    # and its polls back off (twice the interval, then four times, ...).
    [unreadable] = await letters_about(kafka_settings, site.url + "/broken.xml")
    assert unreadable["error_type"] == "FeedUnreadable" and "is not a feed" in unreadable["error"]
    assert await letters_about(kafka_settings, site.url + "/busy.xml") == []  # busy once is not news
    polls = site.times["/broken.xml"]
    assert polls[2] - polls[1] > polls[1] - polls[0] >= 0.5


async def test_a_worker_fetches_no_more_pages_at_once_than_its_setting(
    kafka_settings: SitrepSettings, site: NewsSite
) -> None:
    links = feed_of(site, "busyday", 8, delay_s=0.4)
    site.most_active = 0
    stats = await watch(
        web_settings(kafka_settings, fetch_concurrency=3), [site.url + "/busyday.xml"], utc_now, once=True
    )
    assert stats.published == 8 and len(await articles_from(kafka_settings, links)) == 8
    assert site.most_active == 3  # three at a time, never more


async def test_two_workers_on_one_feed_share_it_and_publish_each_article_once(
    kafka_settings: SitrepSettings, site: NewsSite
) -> None:
    site.route("/shared.xml", Route(rss("shared", []), "application/rss+xml"))
    settings = web_settings(kafka_settings, fetch_concurrency=2)
    first_ready, second_ready = asyncio.Event(), asyncio.Event()
    feed = site.url + "/shared.xml"
    async with watching(settings, [feed], first_ready) as one:
        await asyncio.wait_for(first_ready.wait(), 60)
        async with watching(settings, [feed], second_ready) as two:
            await asyncio.wait_for(second_ready.wait(), 60)
            # Both workers have their share now; the feed fills up.
            links = feed_of(site, "shared", 16, delay_s=0.1)
            await eventually(
                lambda: _all_published(kafka_settings, links),
                60,
                "every entry published by one of the workers",
            )
    assert await articles_from(kafka_settings, links) == Counter({link: 1 for link in links})
    assert all(site.hits[f"/shared/{n}"] == 1 for n in range(16)), "no page fetched by both workers"
    split = (one.result().published, two.result().published)
    assert sum(split) == 16 and min(split) > 0, split


async def _all_published(settings: SitrepSettings, links: list[str]) -> bool:
    return len(await articles_from(settings, links)) == len(links)


def start_worker(settings: IngestSettings, feed: str, log_path: Path) -> subprocess.Popen[bytes]:
    """`sitrep watch FEED` as a user starts it, configured through the environment."""
    env = {
        **os.environ,
        "SITREP_KAFKA_BOOTSTRAP": settings.resolve_bootstrap(),
        "SITREP_DATA_DIR": str(settings.data_dir),
        "SITREP_FETCH_ALLOW_PRIVATE_ADDRESSES": "true",
        "SITREP_WATCH_GROUP": settings.watch_group,
        "SITREP_FETCH_CONCURRENCY": "2",
    }
    with open(log_path, "ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli", "watch", feed, "--interval", "0.5"],
            env=env,
            stdout=sink,
            stderr=sink,
            stdin=subprocess.DEVNULL,
        )


async def test_a_worker_killed_mid_feed_and_restarted_publishes_every_article_once(
    site: NewsSite, tmp_path: Path
) -> None:
    # A broker of its own: the embedded broker never expires the session of a
    # member that died without leaving its group (see test_processor_workers),
    # so after the crash it is restarted, as `sitrep run` would be; real Kafka
    # hands the partitions over after the 10 s session timeout instead.
    broker = EmbeddedBroker(tmp_path / "broker")
    await broker.start()
    kafka = SitrepSettings(kafka_bootstrap=broker.bootstrap, data_dir=tmp_path)
    await ensure_topics(kafka)
    # Two pages at a time (start_worker), half a second each: the feed takes
    # about 3 s, so a crash right after the first page is recorded comes with
    # others still to fetch, however loaded the machine is.
    links = feed_of(site, "long", 12, delay_s=0.5)
    settings = web_settings(kafka)
    feed = site.url + "/long.xml"
    log_path = tmp_path / "watch.log"
    worker = start_worker(settings, feed, log_path)

    async def some_page_recorded() -> bool:
        return bool({item["key"] for item in await read_topic(kafka, SEEN.name)} & set(links))

    try:
        await eventually(some_page_recorded, 60, "a page recorded as seen")
        worker.send_signal(signal.SIGKILL)  # no goodbye: mid-fetch, mid-publish
        worker.wait(10)
        done_before = len(await articles_from(kafka, links))
        assert 0 < done_before < 12, log_path.read_text()
        recorded = {item["key"] for item in await read_topic(kafka, SEEN.name)}

        broker.stop()
        broker = EmbeddedBroker(tmp_path / "broker", port=broker.port)
        await broker.start()
        worker = start_worker(settings, feed, log_path)
        await eventually(lambda: _all_published(kafka, links), 90, f"every entry published (log: {log_path})")
        # Two more polls of the feed: room for a duplicate to show up, if there were one.
        polls = len(site.times["/long.xml"])
        await eventually(
            lambda: asyncio.sleep(0, len(site.times["/long.xml"]) >= polls + 2), 30, "two more polls"
        )
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0, log_path.read_text()
        assert await articles_from(kafka, links) == Counter({link: 1 for link in links})
        # A page recorded as seen before the crash was not fetched again; one
        # in flight when it came (fetched, maybe published, not recorded) was.
        hits = {link: site.hits[f"/long/{number}"] for number, link in enumerate(links)}
        assert recorded & set(links), "the crash came before any page was recorded"
        assert all(hits[link] == 1 for link in recorded & set(links)), hits
        assert all(hits[link] in (1, 2) for link in set(links) - recorded), hits
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
        broker.stop()


async def test_a_watched_folder_ingests_each_new_file_once(
    kafka_settings: SitrepSettings, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "hama.txt").write_text(" ".join(story(0, "inbox")))
    (folder / "homs.txt").write_text(" ".join(story(1, "inbox")))
    settings = web_settings(kafka_settings)
    first = await watch(settings, [str(folder)], utc_now, once=True)
    assert (first.published, first.rejected) == (2, 0)

    (folder / "daraa.txt").write_text(" ".join(story(2, "inbox")))
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    second = await watch(settings, [str(folder)], utc_now, once=True)
    assert (second.published, second.rejected) == (1, 1)

    third = await watch(settings, [str(folder)], utc_now, once=True)
    assert (third.published, third.duplicates, third.rejected) == (0, 0, 0)
    sources = Counter(
        a["source"] for a in await read_topic(kafka_settings, ARTICLES.name) if str(folder) in a["source"]
    )
    assert sorted(Path(s).name for s in sources) == ["daraa.txt", "hama.txt", "homs.txt"]
    assert set(sources.values()) == {1}
    assert len(await letters_about(kafka_settings, str(folder / "photo.txt"))) == 1
