"""Polling that costs nothing when nothing changed: ETags and ``304``.

An answer is a function of its URL and of how far this replica has read the
topics it answers from (and, for live state, of the position it reflects). So
the ETag is a hash of the URL and those positions: the same URL gives the same
ETag exactly as long as its body cannot have changed, and two replicas that have
read as far give the same one.

Handlers set the ETag on the answer they build (read in the same step as the
body, with no ``await`` between, so it never names a newer view than the body
shows). ``ConditionalMiddleware`` answers a matching ``If-None-Match`` before
routing, the cheapest request a dashboard can make, and serves an answer
already encoded for the current ETag (``AnswerCache``) the same way.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

from schemas.topics import ALERTS, ARTICLES, CONTROL, EVENTS
from services.api.freshness import Freshness
from services.api.reader import ViewReader

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Set on the scope of a request answered 304 before routing: its path, for the metrics.
ANSWERED_BEFORE_ROUTING = "sitrep.answered_before_routing"

# How routes document the 304 in OpenAPI.
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the If-None-Match ETag is still current"},
}

# Bodies smaller than this go uncompressed: gzip would save little.
GZIP_FROM_BYTES = 1024

# Revalidate every time (the ETag makes that cheap); shared caches may keep it.
CACHE_CONTROL = "no-cache"

# What each family of answers is computed from.
STATE, ALERT_LIST, LOG = "state", "alerts", "log"
_TOPICS = {
    STATE: (CONTROL.name, EVENTS.name),
    ALERT_LIST: (ALERTS.name,),
    LOG: (EVENTS.name, ARTICLES.name),
}


def family_of(path: str) -> str | None:
    """Which family a GET path belongs to; None for answers without an ETag."""
    if path == "/v1/control" or (path.startswith("/v1/control/") and not path.endswith("/history")):
        return STATE
    if path.endswith("/history") or path == "/v1/events" or path.startswith("/v1/articles/"):
        return LOG
    if path == "/v1/alerts":
        return ALERT_LIST
    return None


class Validators:
    def __init__(self, reader: ViewReader, freshness: Freshness) -> None:
        self.reader = reader
        self.freshness = freshness
        self._bases: dict[str, tuple[tuple[Any, ...], bytes]] = {}

    def _base(self, family: str) -> bytes:
        """The positions a family is computed from, as bytes; recomputed only
        after the reader took in a new batch of one of its topics."""
        topics = _TOPICS[family]
        reflected = tuple(sorted(self.freshness.position().items())) if family == STATE else ()
        stamp = (*(self.reader.versions[t] for t in topics), reflected)
        cached = self._bases.get(family)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        positions = self.reader.health.positions
        parts = [f"{name}={n}" for name, n in sorted(positions.items()) if name.split("/")[0] in topics]
        parts.append(f"reflected={reflected}")
        base = ";".join(parts).encode()
        self._bases[family] = (stamp, base)
        return base

    def etag(self, family: str, path: str, query: bytes) -> str:
        digest = hashlib.blake2b(self._base(family), digest_size=12)
        digest.update(b"\0" + path.encode() + b"?" + query)
        return f'"{digest.hexdigest()}"'

    def for_request(self, family: str, request: Request) -> str:
        return self.etag(family, request.url.path, request.scope.get("query_string", b""))


@dataclass
class Answer:
    """An encoded answer: its body, its headers, and the body gzipped once a
    client that accepts gzip asks for it."""

    body: bytes
    headers: dict[str, str]
    gzipped: bytes | None = None

    def for_client(self, accepts_gzip: bool) -> tuple[bytes, list[tuple[bytes, bytes]]]:
        body = self.body
        headers = [(k.encode(), v.encode()) for k, v in self.headers.items()]
        if accepts_gzip and len(self.body) >= GZIP_FROM_BYTES:
            if self.gzipped is None:
                self.gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
            body = self.gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"vary", b"accept-encoding"),
        ]
        return body, headers


class AnswerCache:
    """Encoded answers by ETag. The ETag names the URL and the positions the
    answer was computed from, so a hit is the answer itself: a dashboard that
    polls a view of a thousand places costs a lookup, not a thousand encodings,
    until the view moves."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def get(self, etag: str) -> Answer | None:
        answer = self._answers.get(etag)
        if answer is not None:
            self._answers.move_to_end(etag)
        return answer

    def put(self, etag: str, answer: Answer) -> None:
        self._answers[etag] = answer
        if len(self._answers) > self.capacity:
            self._answers.popitem(last=False)


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison against a list of entity tags, or ``*``."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


def not_modified(etag: str) -> Response:
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})


def conditional(validators: Validators, family: str, request: Request, response: Response) -> Response | None:
    """Stamp ``response`` with the current ETag; a ``304`` to send instead when
    the client already has this answer."""
    etag = validators.for_request(family, request)
    known = request.headers.get("if-none-match")
    if known is not None and matches(known, etag):
        return not_modified(etag)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    return None


def encoded_answer(cache: AnswerCache, request: Request, response: Response, body: BaseModel) -> Response:
    """``body`` encoded once and kept under the ETag ``conditional`` stamped:
    the next request for it is answered from the cache before routing."""
    headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
    answer = Answer(body.model_dump_json().encode(), headers)
    cache.put(headers["etag"], answer)
    encoded, raw = answer.for_client(accepts_gzip(request.headers.get("accept-encoding", "")))
    out = Response(encoded)
    out.raw_headers = raw
    return out


def accepts_gzip(accept_encoding: str) -> bool:
    for offer in accept_encoding.split(","):
        coding, *params = offer.split(";")
        if coding.strip() == "gzip" and all(p.strip() not in ("q=0", "q=0.0") for p in params):
            return True
    return False


def route_label(path: str) -> str:
    """A route template for the metrics of a request answered before routing."""
    if path.startswith("/v1/control/"):
        return "/v1/control/{place_id}/history" if path.endswith("/history") else "/v1/control/{place_id}"
    if path.startswith("/v1/articles/"):
        return "/v1/articles/{article_id}"
    return path


class ConditionalMiddleware:
    """Answers before routing when it can: ``304`` for an ``If-None-Match``
    that is still current, and the cached encoding of an answer whose ETag is
    current. Requests that wait (``min_position``) go to their handler, which
    checks again once it has waited."""

    def __init__(self, app: ASGIApp, validators: Validators, cache: AnswerCache) -> None:
        self.app = app
        self.validators = validators
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            family = family_of(scope["path"])
            query: bytes = scope.get("query_string", b"")
            if family is not None and b"min_position" not in query:
                etag = self.validators.etag(family, scope["path"], query)
                headers = dict(scope["headers"])
                known = headers.get(b"if-none-match")
                if known is not None and matches(known.decode("latin-1"), etag):
                    scope[ANSWERED_BEFORE_ROUTING] = route_label(scope["path"])
                    unchanged = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL.encode())]
                    await send({"type": "http.response.start", "status": 304, "headers": unchanged})
                    await send({"type": "http.response.body", "body": b""})
                    return
                answer = self.cache.get(etag)
                if answer is not None:
                    scope[ANSWERED_BEFORE_ROUTING] = route_label(scope["path"])
                    gzip_ok = accepts_gzip(headers.get(b"accept-encoding", b"").decode("latin-1"))
                    body, raw = answer.for_client(gzip_ok)
                    await send({"type": "http.response.start", "status": 200, "headers": raw})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)
