"""Article text and metadata from an HTML page.

The text is trafilatura's reading of the page's main content: it drops the
menus, cookie banners, related-story lists and comments that a live news page
wraps an article in. The metadata come from our own pass over the markup
(``PageText``): the publication *time* from meta tags, JSON-LD or ``<time>``
(trafilatura keeps only the date, and the parser resolves "on Thursday" against
it), the title, the outlet and the canonical URL; trafilatura fills what the
page does not declare. When trafilatura finds no main content (a bare saved
page, a fragment), the text of the page's paragraphs and headings is used.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import trafilatura
from trafilatura.settings import Document, use_config

# trafilatura logs every page it finds too short at WARNING; what we do with
# such a page (the fallback, or a dead letter) is reported by us.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "header", "form", "aside"}
_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "li",
    "blockquote",
    "figcaption",
    "div",
    "br",
    "tr",
    "section",
    "article",
}
_PUBLISHED_META = {
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "dc.date.issued",
    "sailthru.date",
}


class PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.outlet: str | None = None
        self.published: str | None = None
        self.url: str | None = None
        self._skip_depth = 0
        self._in_title = False
        self._in_jsonld = False
        self._jsonld: list[str] = []
        self._chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True
            return
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = a.get("content", "").strip()
            if name in _PUBLISHED_META and content and not self.published:
                self.published = content
            elif name == "og:title" and content:
                self.title = content
            elif name == "og:site_name" and content:
                self.outlet = content
            elif name == "og:url" and content:
                self.url = content
        elif tag == "time" and a.get("datetime") and not self.published:
            self.published = a["datetime"]
        if tag in _BLOCKS:
            self._chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_jsonld:
            self._in_jsonld = False
            self._read_jsonld("".join(self._jsonld))
            self._jsonld.clear()
            return
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        if tag in _BLOCKS:
            self._chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self._jsonld.append(data)
        elif self._in_title:
            self.title = self.title or data.strip() or None
        elif not self._skip_depth:
            self._chunks.append(data)

    def _read_jsonld(self, raw: str) -> None:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            return
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                self.published = self.published or item.get("datePublished")
                self.title = self.title or item.get("headline")

    @property
    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._chunks).split("\n"))
        return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # as the page's markup declares it
    url: str | None = None
    # trafilatura's reading of the day (markup, URL, text): weaker than a
    # declared time or a feed entry's date, so only the last resort.
    day_guessed: str | None = None


# trafilatura's defaults are for crawling at large. Ours: a short story (a
# news brief) is still the story, not a reason to fall back to the whole
# page's text with its menus; and a date the text mentions is not the day the
# page was published, so the day is only guessed from markup and URL.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
_CONFIG.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def extract_page(html: str, url: str | None = None) -> Page:
    """The article in ``html``: its main text, title, outlet, publication time
    and canonical URL. ``url`` is where the page was fetched from, if it was."""
    marked = PageText()
    marked.feed(html)
    marked.close()
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, config=_CONFIG
    )
    main = extracted if isinstance(extracted, Document) else None
    text = (main.text or "").strip() if main is not None else ""
    guessed = None
    if main is not None and main.date and _DATE_ONLY.match(main.date):
        # Only a day is known: noon UTC keeps "on Thursday" on the right day
        # in every timezone the article could have been written in.
        guessed = f"{main.date}T12:00:00+00:00"
    return Page(
        text=text or marked.text,
        title=marked.title or (main.title if main is not None else None),
        outlet=marked.outlet or (main.sitename if main is not None else None),
        published=marked.published,
        url=marked.url or url,
        day_guessed=guessed,
    )


def read_time(value: str | None) -> datetime | None:
    """A timezone-aware time from what a page or feed states: ISO 8601 or the
    RFC 822 dates of feeds and mail. None when it is absent, unreadable or has
    no timezone (a time without one could be off by a day)."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo is not None else None


def page_time(page: Page) -> datetime | None:
    """When the page says it was published; trafilatura's day as a last resort."""
    return read_time(page.published) or read_time(page.day_guessed)
