"""Articles and feeds from URLs: fetch, check what came back, decode, extract.

``fetch_article`` turns a page URL into an ``ArticleInput`` (or raises the
``InputError`` a dead letter will carry); ``fetch_feed`` turns a feed URL into
its entries, with a conditional request when the feed was read before.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from domain.errors import BinaryInput, FeedUnreadable, NoArticleText, UndecodableInput, UnsupportedContent
from domain.screening import MAX_ARTICLE_BYTES, screen_text
from services.ingest.feeds import Feed, read_feed
from services.ingest.fetch import Fetched, Fetcher
from services.ingest.html_page import extract_page, read_time
from services.ingest.sources import ArticleInput

# Fewer words than this is a menu, a paywall stub or an error page, not a story.
MIN_ARTICLE_WORDS = 8
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9"
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(fetched: Fetched) -> str:
    """The header's charset, else the page's ``<meta charset>``, else UTF-8."""
    if fetched.charset:
        return fetched.charset
    found = _META_CHARSET.search(fetched.body[:4096])
    return found.group(1).decode("ascii").lower() if found else "utf-8"


def page_html(fetched: Fetched) -> str:
    """The page as text, or why it is not an HTML page we can read."""
    body = fetched.body
    if fetched.media_type and fetched.media_type not in PAGE_TYPES:
        raise UnsupportedContent(f"{fetched.url} is {fetched.media_type}, not an HTML page")
    if b"\x00" in body[:8192]:
        raise BinaryInput(f"{fetched.url} is binary content (NUL bytes), not a page")
    if not fetched.media_type and b"<" not in body[:1024]:
        raise UnsupportedContent(f"{fetched.url} names no content type and does not look like HTML")
    charset = declared_charset(fetched)
    try:
        codec = codecs.lookup(charset).name
    except LookupError as err:
        raise UndecodableInput(f"{fetched.url} declares an unknown charset {charset!r}") from err
    try:
        return body.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as err:
        raise UndecodableInput(
            f"{fetched.url} is not valid {charset} (byte 0x{body[err.start]:02x} at offset {err.start})"
        ) from err


@dataclass(frozen=True)
class EntryHints:
    """What a feed says about an entry, used where the page itself is silent."""

    title: str | None = None
    published_at: datetime | None = None


async def fetch_article(
    fetcher: Fetcher, url: str, hints: EntryHints = EntryHints(), max_bytes: int = MAX_ARTICLE_BYTES
) -> ArticleInput:
    fetched = await fetcher.get(url, accept=PAGE_ACCEPT)
    return article_from_page(url, fetched, hints, max_bytes)


def article_from_page(url: str, fetched: Fetched, hints: EntryHints, max_bytes: int) -> ArticleInput:
    page = extract_page(page_html(fetched), url=fetched.url)
    words = len(page.text.split())
    if words < MIN_ARTICLE_WORDS:
        raise NoArticleText(f"{fetched.url} has no article text ({words} word(s) outside menus and footers)")
    published = read_time(page.published) or hints.published_at or read_time(page.day_guessed)
    return ArticleInput(
        source=url,
        text=screen_text(page.text, max_bytes),
        title=page.title or hints.title,
        url=page.url or fetched.url,
        outlet=page.outlet or urlsplit(fetched.url).hostname,
        published_at=published,
    )


@dataclass
class FeedValidators:
    """What the last answer of a feed said, for the next conditional request."""

    etag: str | None = None
    last_modified: str | None = None


async def fetch_feed(fetcher: Fetcher, url: str, validators: FeedValidators) -> Feed | None:
    """The feed's entries, or None when it has not changed since the answer
    ``validators`` remember (which are updated from this answer)."""
    fetched = await fetcher.get(
        url, accept=FEED_ACCEPT, etag=validators.etag, last_modified=validators.last_modified
    )
    if fetched.not_modified:
        return None
    if b"\x00" in fetched.body[:8192] and not fetched.body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FeedUnreadable(f"{url} is binary content, not a feed")
    feed = read_feed(fetched.body, fetched.url, fetched.media_type)
    validators.etag = fetched.etag
    validators.last_modified = fetched.last_modified
    return feed
