"""The parts of web ingest that need no network: the address policy, reading
Retry-After and times, feeds from bytes, and where an item belongs."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

import pytest

from domain.errors import AddressRefused, ConfigurationError, FeedUnreadable
from services.ingest.addresses import AddressPolicy
from services.ingest.feeds import read_feed
from services.ingest.fetch import retry_after_seconds
from services.ingest.html_page import extract_page, page_time, read_time
from services.ingest.ledger import partition_of
from services.ingest.watch import watched_source


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("100.64.0.1", "private"),  # carrier-grade NAT
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:10.0.0.1", "private"),  # an IPv4 address in IPv6 clothing
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("0.0.0.0", "not a unicast"),
        ("224.0.0.1", "not a unicast"),
    ],
)
def test_non_public_addresses_are_refused(address: str, why: str) -> None:
    reason = AddressPolicy().refusal(ipaddress.ip_address(address))
    assert reason is not None and why in reason


def test_public_addresses_are_allowed_and_the_setting_allows_private_but_never_metadata() -> None:
    policy = AddressPolicy()
    assert policy.refusal(ipaddress.ip_address("93.184.216.34")) is None
    assert policy.refusal(ipaddress.ip_address("2606:2800:220:1::1")) is None
    relaxed = AddressPolicy(allow_private=True)
    assert relaxed.refusal(ipaddress.ip_address("127.0.0.1")) is None
    assert relaxed.refusal(ipaddress.ip_address("10.1.1.1")) is None
    assert relaxed.refusal(ipaddress.ip_address("169.254.169.254")) == "a cloud metadata address"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/feed", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.com", "only http and https"),
        ("http:///path-only", "has no host"),
        ("https://user:secret@example.com/", "credentials"),
        ("http://example.com:99999/", "not a valid URL"),
        ("http://127.0.0.1/", "loopback"),
        ("http://[::1]:8080/", "loopback"),
    ],
)
def test_urls_refused_before_any_traffic(url: str, reason: str) -> None:
    with pytest.raises(AddressRefused, match=reason):
        AddressPolicy().check_url(url)


def test_a_named_host_is_checked_when_connecting_not_before() -> None:
    AddressPolicy().check_url("https://news.example.org/story")  # no lookup, no error


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2024, 12, 8, 12, 0, tzinfo=UTC).timestamp()
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Sun, 08 Dec 2024 12:05:00 GMT", now) == 300
    assert retry_after_seconds("Sun, 08 Dec 2024 11:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_times_as_pages_and_feeds_state_them() -> None:
    assert read_time("2024-12-05T16:20:00Z") == datetime(2024, 12, 5, 16, 20, tzinfo=UTC)
    assert read_time("Thu, 05 Dec 2024 16:20:00 +0000") == datetime(2024, 12, 5, 16, 20, tzinfo=UTC)
    assert read_time("2024-12-05T16:20:00") is None  # no timezone: could be a day off
    assert read_time("last Thursday") is None
    page = extract_page(
        "<html><head><meta property='article:published_time' content='2024-12-05T16:20:00+02:00'></head>"
        "<body><article><p>Rebels entered the city of Hama on Thursday, the group said.</p></article>"
        "</body></html>"
    )
    assert page_time(page) == datetime(2024, 12, 5, 14, 20, tzinfo=UTC)


def test_a_time_element_gives_the_publication_time_when_no_meta_tag_does() -> None:
    page = extract_page(
        "<html><body><article><h1>Hama</h1><time datetime='2024-12-05T18:00:00Z'>5 December</time>"
        "<p>Rebels entered the city of Hama on Thursday, the group said.</p></article></body></html>"
    )
    assert page_time(page) == datetime(2024, 12, 5, 18, tzinfo=UTC)


def test_a_page_without_main_content_keeps_its_paragraphs_not_its_menus() -> None:
    page = extract_page(
        "<html><body><nav>Menu Home World</nav><article><p>Rebels entered Hama.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    assert page.text == "Rebels entered Hama."


def test_feed_entries_are_absolute_links_without_fragments() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>/world/a#comments</link>"
        b"<pubDate>Thu, 05 Dec 2024 14:00:00 GMT</pubDate></item>"
        b"<item><title>No date</title><link>https://other.example/b</link></item>"
        b"</channel></rss>"
    )
    feed = read_feed(body, "https://news.example/feed.xml")
    assert [(e.link, e.published_at) for e in feed.entries] == [
        ("https://news.example/world/a", datetime(2024, 12, 5, 14, tzinfo=UTC)),
        ("https://other.example/b", None),
    ]


def test_an_empty_feed_is_a_feed_and_a_page_is_not() -> None:
    empty = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
    assert read_feed(empty, "https://x.example/atom").entries == []
    with pytest.raises(FeedUnreadable, match="is not a feed"):
        read_feed(b"<html><body>hello</body></html>", "https://x.example/")


def test_an_items_partition_is_kafkas_default_for_its_key() -> None:
    # The Java client's murmur2 partitioner gives these for 4 partitions; a
    # worker in any language reads the same share.
    keys = [f"https://news.example/story/{n}" for n in range(200)]
    partitions = [partition_of(key, 4) for key in keys]
    assert set(partitions) == {0, 1, 2, 3}
    assert partitions == [partition_of(key, 4) for key in keys]  # stable


def test_what_can_be_watched(tmp_path: object) -> None:
    assert watched_source("https://news.example/rss").kind == "feed"
    assert watched_source(str(tmp_path)).kind == "folder"
    with pytest.raises(ConfigurationError, match="only http and https"):
        watched_source("ftp://news.example/rss")
    with pytest.raises(ConfigurationError, match="neither"):
        watched_source("/no/such/folder")
