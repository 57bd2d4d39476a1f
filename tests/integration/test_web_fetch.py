"""Fetching pages and feeds from a real HTTP server on loopback: metadata,
extraction, and every way a fetch is refused or fails, each with its reason."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

from domain.errors import (
    AddressRefused,
    BinaryInput,
    FeedUnreadable,
    FetchFailed,
    InputTooLarge,
    NoArticleText,
    UndecodableInput,
    UnsupportedContent,
)
from services.ingest.fetch import Fetcher
from services.ingest.web import EntryHints, FeedValidators, fetch_article, fetch_feed
from services.shared.settings import IngestSettings
from tests.news_site import NewsSite, Route, article_page, atom, news_site, rss

HAMA = [
    "On Thursday, Hayat Tahrir al-Sham captured the city of Hama after days of fighting, the group said.",
    "The Syrian army said its units had redeployed outside the city to protect civilians.",
]


def settings(**overrides: object) -> IngestSettings:
    values: dict[str, object] = {
        "kafka_bootstrap": "unused:9092",
        "fetch_allow_private_addresses": True,
        "fetch_total_timeout_s": 5.0,
        "fetch_read_timeout_s": 2.0,
        **overrides,
    }
    return IngestSettings.model_validate(values)


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with news_site() as running:
        yield running


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(settings()) as client:
        yield client


async def test_a_page_gives_its_text_title_outlet_time_and_canonical_url(
    site: NewsSite, fetcher: Fetcher
) -> None:
    url = site.route(
        "/world/hama",
        Route(
            article_page(
                "Rebels take Hama",
                HAMA,
                published="2024-12-05T16:20:00+00:00",
                outlet="Levant Wire",
                canonical="https://levant.example/world/hama",
            )
        ),
    )
    article = await fetch_article(fetcher, url)
    assert article.text.startswith("Rebels take Hama")
    assert "captured the city of Hama" in article.text
    assert "Most read" not in article.text and "Copyright" not in article.text and "Sport" not in article.text
    assert article.title == "Rebels take Hama"
    assert article.outlet == "Levant Wire"
    assert article.published_at == datetime(2024, 12, 5, 16, 20, tzinfo=UTC)
    assert article.url == "https://levant.example/world/hama"
    assert article.source == url
    headers = site.requests_to("/world/hama")[0]
    assert headers["user-agent"].startswith("Sitrep/")
    assert "text/html" in headers["accept"]


async def test_json_ld_gives_the_time_and_a_bare_page_falls_back_to_the_feed(
    site: NewsSite, fetcher: Fetcher
) -> None:
    with_ld = site.route(
        "/ld", Route(article_page("Hama", HAMA, published="2024-12-05T09:00:00Z", json_ld=True))
    )
    assert (await fetch_article(fetcher, with_ld)).published_at == datetime(2024, 12, 5, 9, tzinfo=UTC)

    bare = site.route("/bare", Route(f"<html><body><p>{HAMA[0]}</p></body></html>".encode()))
    hint = EntryHints(title="From the feed", published_at=datetime(2024, 12, 6, 7, tzinfo=UTC))
    article = await fetch_article(fetcher, bare, hint)
    assert article.text == HAMA[0]
    assert article.title == "From the feed" and article.published_at == hint.published_at
    assert article.outlet is not None and article.outlet.startswith("127.0.0.1")  # no og:site_name: the host


async def test_redirects_are_followed_a_bounded_number_of_times(site: NewsSite) -> None:
    target = site.route("/story", Route(article_page("Hama", HAMA)))
    site.route("/short", Route(status=301, headers={"Location": "/story"}, content_type=None))
    async with Fetcher(settings()) as fetcher:
        article = await fetch_article(fetcher, site.url + "/short")
    assert article.url == target and article.source == site.url + "/short"

    for hop in range(4):
        site.route(
            f"/loop{hop}", Route(status=302, headers={"Location": f"/loop{hop + 1}"}, content_type=None)
        )
    site.route("/loop4", Route(article_page("Hama", HAMA)))
    async with Fetcher(settings(fetch_max_redirects=2)) as fetcher:
        with pytest.raises(FetchFailed, match="more than 2 redirects") as failed:
            await fetch_article(fetcher, site.url + "/loop0")
    assert not failed.value.transient


async def test_a_redirect_to_a_refused_address_is_refused(site: NewsSite) -> None:
    site.route("/to-metadata", Route(status=302, headers={"Location": "http://169.254.169.254/latest/"}))
    site.route("/to-file", Route(status=302, headers={"Location": "file:///etc/passwd"}))
    async with Fetcher(settings()) as fetcher:
        with pytest.raises(AddressRefused, match="metadata"):
            await fetch_article(fetcher, site.url + "/to-metadata")
        with pytest.raises(AddressRefused, match="only http and https"):
            await fetch_article(fetcher, site.url + "/to-file")


async def test_loopback_private_and_link_local_addresses_are_refused_by_default(site: NewsSite) -> None:
    site.route("/page", Route(article_page("Hama", HAMA)))
    port = site.url.rsplit(":", 1)[1]
    async with Fetcher(settings(fetch_allow_private_addresses=False)) as fetcher:
        for url in (
            site.url + "/page",
            f"http://localhost:{port}/page",  # a name that resolves to loopback
            f"http://[::ffff:127.0.0.1]:{port}/page",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://169.254.1.1/",
            "http://[fe80::1]/",
            "http://0.0.0.0/",
        ):
            with pytest.raises(AddressRefused):
                await fetch_article(fetcher, url)
    assert site.hits["/page"] == 0  # refused before any connection


@pytest.mark.parametrize(
    ("route", "error", "reason"),
    [
        (Route(b"%PDF-1.7 ...", "application/pdf"), UnsupportedContent, "application/pdf, not an HTML page"),
        (Route(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/html"), BinaryInput, "binary"),
        (Route(b"<p>Caf\xe9 in Hama</p>", "text/html; charset=utf-8"), UndecodableInput, "not valid utf-8"),
        (Route(b"<p>x</p>", "text/html; charset=klingon"), UndecodableInput, "unknown charset"),
        (Route(b"<html><body><nav>Home</nav></body></html>"), NoArticleText, "no article text"),
        (Route(b"plain words", None), UnsupportedContent, "names no content type"),
    ],
)
async def test_what_is_not_an_html_article_is_refused_with_its_reason(
    site: NewsSite, fetcher: Fetcher, route: Route, error: type[Exception], reason: str
) -> None:
    url = site.route("/odd", route)
    with pytest.raises(error, match=reason):
        await fetch_article(fetcher, url)


async def test_a_declared_charset_is_honoured(site: NewsSite, fetcher: Fetcher) -> None:
    body = f"<html><head><meta charset='windows-1252'></head><body><p>{HAMA[0]} Café.</p></body></html>"
    url = site.route("/latin", Route(body.encode("cp1252"), "text/html"))
    assert "Café" in (await fetch_article(fetcher, url)).text


async def test_oversized_answers_are_cut_off(site: NewsSite) -> None:
    big = b"<p>" + b"Hama " * 5000 + b"</p>"
    declared = site.route("/big", Route(big))
    async with Fetcher(settings(fetch_max_bytes=4096)) as fetcher:
        with pytest.raises(InputTooLarge, match=r"limit of 4,096|the limit is 4,096"):
            await fetch_article(fetcher, declared)
        # A gzip bomb: small on the wire, over the limit once decompressed.
        bomb = site.route(
            "/bomb",
            Route(gzip.compress(b"<p>" + b"a" * 100_000 + b"</p>"), headers={"Content-Encoding": "gzip"}),
        )
        with pytest.raises(InputTooLarge, match="cut off"):
            await fetch_article(fetcher, bomb)


async def test_slow_answers_time_out(site: NewsSite) -> None:
    slow_start = site.route("/slow", Route(article_page("Hama", HAMA), delay_s=3))
    dripping = site.route("/drip", Route(article_page("Hama", HAMA * 20), drip_s=0.2))
    async with Fetcher(settings(fetch_read_timeout_s=1.0, fetch_total_timeout_s=2.0)) as fetcher:
        with pytest.raises(FetchFailed, match="timed out") as slow:
            await fetch_article(fetcher, slow_start)
        assert slow.value.transient
        # Each chunk comes within the read timeout; the whole fetch does not.
        with pytest.raises(FetchFailed, match="within 2 s"):
            await fetch_article(fetcher, dripping)


async def test_error_statuses_say_whether_to_try_again(site: NewsSite, fetcher: Fetcher) -> None:
    busy = site.route("/busy", Route(b"slow down", "text/plain", 429, headers={"Retry-After": "120"}))
    broken = site.route("/broken", Route(b"oops", "text/plain", 500))
    gone = site.route("/gone", Route(b"gone", "text/plain", 410))
    with pytest.raises(FetchFailed, match="HTTP 429") as failed:
        await fetch_article(fetcher, busy)
    assert failed.value.transient and failed.value.retry_after == 120
    with pytest.raises(FetchFailed, match="HTTP 500") as failed:
        await fetch_article(fetcher, broken)
    assert failed.value.transient
    with pytest.raises(FetchFailed, match="HTTP 410") as failed:
        await fetch_article(fetcher, gone)
    assert not failed.value.transient


async def test_rss_and_atom_feeds_give_their_entries(site: NewsSite, fetcher: Fetcher) -> None:
    when = datetime(2024, 12, 5, 16, 0, tzinfo=UTC)
    rss_url = site.route(
        "/rss.xml",
        Route(
            rss("Levant", [("Hama falls", f"{site.url}/a#top", when), ("No link", "", when)]),
            "application/rss+xml",
        ),
    )
    feed = await fetch_feed(fetcher, rss_url, FeedValidators())
    assert feed is not None and feed.title == "Levant"
    assert [(e.link, e.title, e.published_at) for e in feed.entries] == [
        (f"{site.url}/a", "Hama falls", when)
    ]

    atom_url = site.route(
        "/atom.xml", Route(atom("Wire", [("Homs", f"{site.url}/b", when)]), "application/atom+xml")
    )
    feed = await fetch_feed(fetcher, atom_url, FeedValidators())
    assert feed is not None and [e.link for e in feed.entries] == [f"{site.url}/b"]


async def test_a_feed_is_asked_for_again_conditionally(site: NewsSite, fetcher: Fetcher) -> None:
    when = datetime(2024, 12, 5, 16, 0, tzinfo=UTC)
    url = site.route(
        "/feed",
        Route(
            rss("Levant", [("Hama", f"{site.url}/a", when)]),
            "application/rss+xml",
            etag='"v1"',
            last_modified="Thu, 05 Dec 2024 16:00:00 GMT",
        ),
    )
    validators = FeedValidators()
    assert await fetch_feed(fetcher, url, validators) is not None
    assert validators.etag == '"v1"'
    assert await fetch_feed(fetcher, url, validators) is None  # 304
    second = site.requests_to("/feed")[1]
    assert second["if-none-match"] == '"v1"'
    assert second["if-modified-since"] == "Thu, 05 Dec 2024 16:00:00 GMT"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body><p>Not a feed</p></body></html>", "neither RSS nor Atom"),
        (b"this is { not xml", "not XML"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
async def test_what_is_not_a_feed_is_reported(
    site: NewsSite, fetcher: Fetcher, body: bytes, reason: str
) -> None:
    url = site.route("/notfeed", Route(body, "application/xml"))
    with pytest.raises(FeedUnreadable, match=reason):
        await fetch_feed(fetcher, url, FeedValidators())
