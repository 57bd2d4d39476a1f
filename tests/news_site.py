"""A real HTTP server on loopback for the ingest tests: pages, feeds, and the
ways real sites misbehave (slow answers, 304s, 429s, 500s, redirects,
oversized and binary bodies). Routes are set per test; every request is
counted and its headers kept, so a test can say what was fetched and how."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # before the answer starts
    drip_s: float = 0.0  # between chunks of the body: a slow sender
    etag: str | None = None  # answers If-None-Match with 304
    last_modified: str | None = None  # answers If-Modified-Since with 304
    # Successive answers: each request takes the next one; the last repeats.
    sequence: list[Route] | None = None


class NewsSite:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.seen_headers: list[tuple[str, dict[str, str]]] = []
        self.times: dict[str, list[float]] = {}  # time.monotonic() of each request, by path
        self.active = 0  # requests being answered now
        self.most_active = 0  # the most ever answered at once
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url + path

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        with self._lock:
            count = self.hits[path]
            self.hits[path] += 1
            self.seen_headers.append((path, {k.lower(): v for k, v in request.headers.items()}))
            self.times.setdefault(path, []).append(time.monotonic())
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            self._answer(request, path, count)
        finally:
            with self._lock:
                self.active -= 1

    def _answer(self, request: BaseHTTPRequestHandler, path: str, count: int) -> None:
        route = self.routes.get(path, Route(b"not found", "text/plain", 404))
        if route.sequence:
            route = route.sequence[min(count, len(route.sequence) - 1)]
        time.sleep(route.delay_s)
        if (route.etag and request.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and request.headers.get("If-Modified-Since") == route.last_modified
        ):
            request.send_response(304)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_response(route.status)
        if route.content_type:
            request.send_header("Content-Type", route.content_type)
        if route.etag:
            request.send_header("ETag", route.etag)
        if route.last_modified:
            request.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(route.body)))
        request.end_headers()
        try:
            if route.drip_s:
                for start in range(0, len(route.body), 16):
                    request.wfile.write(route.body[start : start + 16])
                    request.wfile.flush()
                    time.sleep(route.drip_s)
            else:
                request.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout, a size limit): what the test wants

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.seen_headers if seen == path]


@contextmanager
def news_site() -> Iterator[NewsSite]:
    site = NewsSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    published: str | None = None,
    outlet: str | None = None,
    canonical: str | None = None,
    json_ld: bool = False,
) -> bytes:
    """An article page as news sites write them: metadata in the head, the
    story inside <article>, a menu and a footer around it."""
    head = [f"<title>{escape(title)} | {escape(outlet or 'News')}</title>"]
    if outlet:
        head.append(f'<meta property="og:site_name" content="{escape(outlet)}">')
    if canonical:
        head.append(f'<meta property="og:url" content="{escape(canonical)}">')
    head.append(f'<meta property="og:title" content="{escape(title)}">')
    if published and not json_ld:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if published and json_ld:
        head.append(
            '<script type="application/ld+json">'
            f'{{"@type": "NewsArticle", "headline": "{escape(title)}", "datePublished": "{published}"}}'
            "</script>"
        )
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'>{''.join(head)}</head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a> | <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<aside><h2>Most read</h2><ul><li>Markets rally</li><li>Weather warning</li></ul></aside>"
        "<footer>Copyright News Ltd. All rights reserved.</footer></body></html>"
    ).encode()


def rss(title: str, entries: list[tuple[str, str, datetime]]) -> bytes:
    """RSS 2.0 with (title, link, published) entries."""
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{format_datetime(published)}</pubDate></item>"
        for t, link, published in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://example.invalid/</link><description>news</description>{items}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[tuple[str, str, datetime]]) -> bytes:
    """Atom 1.0 with (title, link, updated) entries."""
    items = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/><id>{escape(link)}</id>'
        f"<updated>{published.isoformat()}</updated></entry>"
        for t, link, published in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2024-12-08T00:00:00Z</updated>{items}</feed>"
    ).encode()
