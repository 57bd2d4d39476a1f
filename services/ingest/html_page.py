"""Article text and metadata from an HTML page, with the standard library only.

Good enough for saved article pages: title, publication time (meta tags,
JSON-LD, ``<time>``) and the text of paragraphs and headings. Fetching and
richer extraction of live pages belong to the URL/feed ingest worker.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

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


def extract_page(html: str) -> PageText:
    page = PageText()
    page.feed(html)
    page.close()
    return page
