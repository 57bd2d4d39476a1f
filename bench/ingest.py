"""Ingest throughput: a local feed of 1,000 entries to events on the topic.

    python bench/ingest.py [--entries 1000] [--runs 3]

A fresh embedded broker, and a plain static web server in a process of its own
(``python -m http.server``) serving an RSS feed of N entries and their pages:
~6 kB articles (bench/parse.py's corpus) wrapped in news-site HTML, with a
menu, an aside and a footer for the extractor to drop.

Prints, median of ``--runs``:
- end to end: ``sitrep watch --once`` on the feed (the real worker: feed,
  ledger, fetch, extract, parse, publish), articles/s from its first poll to
  its last article on ``sitrep.articles.v1``, and the CPU it used per article;
- the CPU split: each stage alone over the same pages in the same run, in ms
  of CPU per article: fetch (httpx, 8 at a time), extract (trafilatura and
  our metadata pass), parse, publish (events and article, acks from the broker);
- the baseline: the bare fetch of the same pages (httpx, 8 at a time, nothing
  done with them), and end to end as a ratio of it.
The worker uses whichever parser is importable: run with PYTHONPATH=.compiled
for the compiled one (`make bench` does).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import httpx
from parse import corpus  # bench/parse.py: ~6 kB articles stitched from the fixtures

from schemas.topics import ARTICLES
from services.ingest.fetch import Fetcher
from services.ingest.html_page import extract_page
from services.ingest.pipeline import Ingestor, to_article
from services.ingest.sources import ArticleInput
from services.ingest.watch import watch
from services.shared.broker import EmbeddedBroker, free_port
from services.shared.kafka import ensure_topics, make_producer, total_records
from services.shared.knowledge import load_parser
from services.shared.settings import IngestSettings

PUBLISHED = datetime(2024, 12, 7, 10, tzinfo=UTC)
CONCURRENCY = 8


def page_html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<meta property='og:site_name' content='Bench Wire'>"
        f"<meta property='article:published_time' content='{PUBLISHED.isoformat()}'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
        "<aside><h2>Most read</h2><ul><li>Markets</li><li>Weather</li></ul></aside>"
        "<footer>Copyright Bench Wire</footer></body></html>"
    )


def write_site(folder: Path, run: str, count: int, base: str) -> list[str]:
    """The feed ``<run>.xml`` and its ``count`` pages under ``folder``; the page URLs."""
    pages = folder / run
    pages.mkdir(parents=True)
    links, items = [], []
    for n, article in enumerate(corpus(count)):
        # The run's tag makes every text, hence every article id, new to the broker.
        (pages / f"{n}.html").write_text(page_html(f"Story {n}", f"Run {run}.\n{article.text}"), "utf-8")
        link = f"{base}/{run}/{n}.html"
        links.append(link)
        when = format_datetime(PUBLISHED - timedelta(minutes=n))
        items.append(f"<item><title>Story {n}</title><link>{link}</link><pubDate>{when}</pubDate></item>")
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>'
        f"<link>{base}/</link><description>bench</description>{''.join(items)}</channel></rss>"
    )
    (folder / f"{run}.xml").write_text(feed, "utf-8")
    return links


async def bare_fetch(settings: IngestSettings, links: list[str]) -> tuple[float, list[bytes]]:
    """The baseline: fetch every page, 8 at a time, with plain httpx."""
    slots = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY * 2)) as client:

        async def one(url: str) -> bytes:
            async with slots:
                return (await client.get(url)).content

        start = time.perf_counter()
        bodies = await asyncio.gather(*(one(url) for url in links))
        return time.perf_counter() - start, list(bodies)


async def stage_split(settings: IngestSettings, links: list[str]) -> dict[str, float]:
    """CPU ms per article of each stage alone, over the same pages."""
    count = len(links)
    slots = asyncio.Semaphore(CONCURRENCY)
    split: dict[str, float] = {}
    async with Fetcher(settings) as fetcher:

        async def one(url: str) -> bytes:
            async with slots:
                return (await fetcher.get(url, accept="text/html")).body

        cpu = time.process_time()
        bodies = await asyncio.gather(*(one(url) for url in links))
        split["fetch"] = (time.process_time() - cpu) * 1000 / count

    cpu = time.process_time()
    pages = [extract_page(body.decode("utf-8"), url=url) for body, url in zip(bodies, links, strict=True)]
    split["extract"] = (time.process_time() - cpu) * 1000 / count

    parser = load_parser()
    articles = [
        to_article(ArticleInput(url, page.text, page.title, url, page.outlet, PUBLISHED))
        for page, url in zip(pages, links, strict=True)
    ]
    # The split's own copies: tagged again so the publish stage adds new records.
    articles = [a.model_copy(update={"article_id": a.article_id + "-split"}) for a in articles]
    cpu = time.process_time()
    parsed = [parser.parse(article, PUBLISHED) for article in articles]
    split["parse"] = (time.process_time() - cpu) * 1000 / count

    producer = make_producer(settings)
    await producer.start()
    try:
        ingestor = Ingestor(parser, producer, set(), lambda: datetime.now(UTC))
        cpu = time.process_time()
        for article, events in zip(articles, parsed, strict=True):
            await ingestor.publish(article, events)
        await producer.flush()
        split["publish"] = (time.process_time() - cpu) * 1000 / count
    finally:
        await producer.stop()
    split["events per article"] = sum(len(e) for e in parsed) / count
    split["page kB"] = sum(len(b) for b in bodies) / count / 1000
    return split


async def end_to_end(settings: IngestSettings, feed: str, count: int) -> tuple[float, float]:
    """``sitrep watch --once`` on the feed: articles/s from its first poll to
    its last publication, and CPU ms per article over the same span."""
    ready = asyncio.Event()
    before = await total_records(settings, ARTICLES.name)
    task = asyncio.create_task(watch(settings, [feed], lambda: datetime.now(UTC), once=True, ready=ready))
    await ready.wait()  # parser loaded, group joined: the clock starts at the first poll
    start, cpu = time.perf_counter(), time.process_time()
    stats = await task
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    published = await total_records(settings, ARTICLES.name) - before
    if stats.published != count or published != count:
        raise SystemExit(f"published {stats.published} ({published} on the topic) of {count}: {stats.line()}")
    return count / elapsed, used * 1000 / count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-ingest-") as tmp:
        root = Path(tmp)
        site = root / "site"
        site.mkdir()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(site), str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            asyncio.run(measure(root, site, f"http://127.0.0.1:{port}", args.entries, args.runs))
        finally:
            server.terminate()
            server.wait(10)


async def measure(root: Path, site: Path, base: str, entries: int, runs: int) -> None:
    broker = EmbeddedBroker(root / "broker")
    await broker.start()
    try:
        settings = IngestSettings(
            kafka_bootstrap=broker.bootstrap,
            data_dir=root,
            fetch_allow_private_addresses=True,
            fetch_concurrency=CONCURRENCY,
            log_level="WARNING",
        )
        await ensure_topics(settings)
        rates, cpus, bares, splits = [], [], [], []
        for number in range(runs):
            run = f"r{number}-{uuid.uuid4().hex[:6]}"
            links = write_site(site, run, entries, base)
            bare_s, _ = await bare_fetch(settings, links)
            bares.append(entries / bare_s)
            splits.append(await stage_split(settings, links))
            run_settings = settings.model_copy(update={"watch_group": f"bench-{run}"})
            rate, cpu_ms = await end_to_end(run_settings, f"{base}/{run}.xml", entries)
            rates.append(rate)
            cpus.append(cpu_ms)
            print(f"run {number + 1}: {rate:,.0f} articles/s end to end; bare fetch {bares[-1]:,.0f}/s")
    finally:
        broker.stop()
    rate, bare = statistics.median(rates), statistics.median(bares)
    print(f"\n{entries} feed entries, {runs} runs (medians); parser: {parser_build()}")
    cpu_ms = statistics.median(cpus)
    print(f"end to end (sitrep watch --once): {rate:,.0f} articles/s, {cpu_ms:.2f} ms CPU/article")
    print(
        f"baseline (bare httpx fetch, {CONCURRENCY} at a time): {bare:,.0f} pages/s; ratio {rate / bare:.2f}"
    )
    print("CPU per article, each stage alone:")
    for stage in ("fetch", "extract", "parse", "publish"):
        print(f"  {stage:8} {statistics.median(s[stage] for s in splits):6.2f} ms")
    events = statistics.median(s["events per article"] for s in splits)
    size = statistics.median(s["page kB"] for s in splits)
    print(f"  ({events:.1f} events/article, {size:.1f} kB/page)")


def parser_build() -> str:
    import domain.parser

    return "compiled (mypyc)" if not domain.parser.__file__.endswith(".py") else "interpreted"


if __name__ == "__main__":
    main()
