"""Polling that costs nothing when nothing changed: ETags and ``304``.

An answer is a function of its URL and of how far this replica has read the
topics it answers from (and, for live state, of the position it reflects). So
the ETag is a hash of the URL and those positions: the same URL gives the same
ETag exactly as long as its body cannot have changed, and two replicas that have
read as far give the same one.

Handlers set the ETag on the answer they build (read in the same step as the
body, with no ``await`` between, so it never names a newer view than the body
shows). ``NotModifiedMiddleware`` answers a matching ``If-None-Match`` before
routing: the cheapest request a dashboard can make.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import Request, Response

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
        reflected = tuple(sorted(self.freshness.reflected.items())) if family == STATE else ()
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


class NotModifiedMiddleware:
    """Answers ``If-None-Match`` with ``304`` before routing when the answer has
    not changed. Requests that wait (``min_position``) go to their handler,
    which checks again once it has waited."""

    def __init__(self, app: ASGIApp, validators: Validators) -> None:
        self.app = app
        self.validators = validators

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            family = family_of(scope["path"])
            query: bytes = scope.get("query_string", b"")
            if family is not None and b"min_position" not in query:
                known = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
                if known is not None:
                    etag = self.validators.etag(family, scope["path"], query)
                    if matches(known.decode("latin-1"), etag):
                        scope[ANSWERED_BEFORE_ROUTING] = scope["path"] if family != STATE else "/v1/control"
                        await send(
                            {
                                "type": "http.response.start",
                                "status": 304,
                                "headers": [
                                    (b"etag", etag.encode()),
                                    (b"cache-control", CACHE_CONTROL.encode()),
                                ],
                            }
                        )
                        await send({"type": "http.response.body", "body": b""})
                        return
        await self.app(scope, receive, send)
