"""Reading RSS (0.9x, 1.0, 2.0) and Atom feeds with feedparser.

feedparser copes with the malformed feeds news sites publish and with every
date format they use; it is given the bytes we fetched (it never fetches
anything itself) and does not load external entities. A body that is not a
feed at all is a ``FeedUnreadable`` with the reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag

import feedparser

from domain.errors import FeedUnreadable


@dataclass(frozen=True)
class FeedEntry:
    link: str  # the article's page, absolute, without a #fragment
    title: str | None
    published_at: datetime | None

    @property
    def key(self) -> str:
        """What identifies the entry across polls, feeds and workers: its page."""
        return self.link


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    entries: list[FeedEntry]


def entry_time(entry: Any) -> datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(field)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def read_feed(body: bytes, url: str, media_type: str = "") -> Feed:
    """The entries of a feed fetched from ``url``, in the feed's order;
    entries without a link are skipped (there is no page to read)."""
    headers = {"content-location": url}
    if media_type:
        headers["content-type"] = media_type
    parsed = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not parsed.version:
        problem = parsed.get("bozo_exception")
        reason = f"not XML ({problem})" if problem else "neither RSS nor Atom"
        raise FeedUnreadable(f"{url} is not a feed: {reason}")
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            continue
        entries.append(
            FeedEntry(
                link=urldefrag(link.strip())[0], title=entry.get("title"), published_at=entry_time(entry)
            )
        )
    return Feed(url=url, title=parsed.feed.get("title"), entries=entries)
