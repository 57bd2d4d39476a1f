"""``POST /v1/articles``: an article posted over HTTP goes the way of a file
given to ``sitrep ingest``: screened, parsed, its events and then the article
published. Posting the same article again publishes nothing (its id is the hash
of its text) and answers as the first time did.

What is refused is refused with its reason and nothing is published:
``413`` for a body over the limit, ``415`` for a content type other than text,
HTML or JSON, ``422`` naming the field for a body that is not a valid article
(an empty, binary, undecodable or non-English text is a bad ``text``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from domain.errors import InputError, InputTooLarge
from domain.screening import decode_article_bytes, screen_text
from schemas.topics import EVENTS
from services.api.models import ArticleAccepted
from services.api.reader import ViewReader
from services.ingest.html_page import extract_page
from services.ingest.pipeline import Ingestor, to_article
from services.ingest.sources import ArticleInput
from services.shared.clock import Clock
from services.shared.kafka import make_producer
from services.shared.positions import Positions, encode_position
from services.shared.settings import ApiSettings

if TYPE_CHECKING:
    from aiokafka import AIOKafkaProducer

log = logging.getLogger(__name__)


class ArticleSubmission(BaseModel):
    """The JSON envelope: ``text`` (or ``html``) and what is known about it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "On Thursday, HTS captured the key city of Hama, the group said.",
                    "title": "Rebels take Hama",
                    "url": "https://example.org/hama",
                    "outlet": "Example News",
                    "published_at": "2024-12-06T08:00:00Z",
                    "country_hint": "SY",
                }
            ]
        },
    )

    text: str | None = Field(default=None, description="the article's text; or give html")
    html: str | None = Field(default=None, description="the article's page; its text is extracted")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: AwareDatetime | None = Field(default=None, description="with a timezone; default: now")
    country_hint: str | None = Field(default=None, pattern="^[A-Z]{2}$", description="ISO2")


class InvalidSubmission(Exception):
    """A body that is not a valid article: ``fields`` says which field and why."""

    def __init__(self, fields: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{f['field']}: {f['message']}" for f in fields))
        self.fields = fields


def field_error(field: str, message: str) -> InvalidSubmission:
    return InvalidSubmission([{"field": field, "message": message}])


def validated(data: Any, prefix: str = "") -> ArticleSubmission:
    try:
        return ArticleSubmission.model_validate(data)
    except ValidationError as err:
        raise InvalidSubmission(
            [
                {"field": prefix + (".".join(str(p) for p in e["loc"]) or "body"), "message": e["msg"]}
                for e in err.errors()
            ]
        ) from err


def read_submission(body: bytes, content_type: str, query: dict[str, str], max_bytes: int) -> ArticleInput:
    """The article a request body holds: a JSON envelope, or the text (or page)
    itself with what is known about it in the query. Raises ``InvalidSubmission``
    (422), ``InputTooLarge`` (413) or ``UnsupportedContent`` (415)."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json":
        try:
            data: Any = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise field_error("body", f"not valid JSON: {err}") from err
        submission = validated(data)
    elif media in ("text/plain", "text/html", ""):
        try:
            decoded = decode_article_bytes(body)
        except InputError as err:
            raise field_error("body", str(err)) from err
        # The metadata is in the query; its errors are named as query fields.
        submission = validated({**query, ("html" if media == "text/html" else "text"): decoded}, "query.")
    else:
        raise UnsupportedContent(
            f"content type {media!r} is not accepted: send text/plain, text/html or application/json"
        )
    if submission.text is None and submission.html is None:
        raise field_error("text", "the article's text is missing (give text, or html)")
    if submission.text is not None and submission.html is not None:
        raise field_error("html", "give text or html, not both")
    text = submission.text if submission.text is not None else extract_page(submission.html or "").text
    field = "text" if submission.text is not None else "html"
    try:
        screened = screen_text(text, max_bytes)
    except InputTooLarge:
        raise
    except InputError as err:
        raise field_error(field, str(err)) from err
    return ArticleInput(
        source="api",
        text=screened,
        title=submission.title,
        url=submission.url,
        outlet=submission.outlet,
        published_at=submission.published_at,
        country_hint=submission.country_hint,
    )


class UnsupportedContent(Exception):
    """A request body in a media type the route does not take (415)."""


class Submissions:
    """Parses and publishes posted articles, with one producer and the parser
    loaded at the first post (it costs memory an API that only reads does not
    need)."""

    def __init__(self, settings: ApiSettings, reader: ViewReader, clock: Clock) -> None:
        self.settings = settings
        self.reader = reader
        self.clock = clock
        self._ingestor: Ingestor | None = None
        self._producer: AIOKafkaProducer | None = None
        self._ready = asyncio.Lock()
        # article id -> where its events landed, for answering a repeat the same way
        self._published: dict[str, tuple[int, Positions]] = {}
        self._in_flight: dict[str, asyncio.Lock] = {}

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()

    async def _ingestor_ready(self) -> Ingestor:
        async with self._ready:
            if self._ingestor is None:
                from services.shared.knowledge import load_parser

                parser = await asyncio.to_thread(load_parser)
                producer = make_producer(self.settings)
                await producer.start()
                self._producer = producer
                self._ingestor = Ingestor(parser, producer, set(), self.clock)
            return self._ingestor

    def _known(self, article_id: str) -> tuple[int, Positions] | None:
        if article_id in self._published:
            return self._published[article_id]
        if article_id in self.reader.log.articles:
            # Published before (by ingest, or another replica): where its events are.
            logged = self.reader.log.of_article(article_id)
            position: Positions = {}
            for x in logged:
                position[x.partition] = max(position.get(x.partition, 0), x.offset + 1)
            return len(logged), position
        return None

    async def submit(self, item: ArticleInput) -> ArticleAccepted:
        article = to_article(item)
        lock = self._in_flight.setdefault(article.article_id, asyncio.Lock())
        async with lock:  # the same article posted twice at once is published once
            try:
                known = self._known(article.article_id)
                if known is not None:
                    return self._accepted(article.article_id, known, duplicate=True)
                ingestor = await self._ingestor_ready()
                if article.published_at is None:
                    article = article.model_copy(update={"published_at": self.clock()})
                assert article.published_at is not None
                # Parsing holds the interpreter for milliseconds (seconds for a
                # 5 MB text): off the event loop, so other requests are served.
                events = await asyncio.to_thread(ingestor.parser.parse, article, article.published_at)
                position = await ingestor.publish(article, events)
                self._published[article.article_id] = (len(events), position)
                return self._accepted(article.article_id, (len(events), position), duplicate=False)
            finally:
                self._in_flight.pop(article.article_id, None)

    def _accepted(self, article_id: str, known: tuple[int, Positions], *, duplicate: bool) -> ArticleAccepted:
        events, position = known
        token = encode_position(position)
        return ArticleAccepted(
            article_id=article_id,
            duplicate=duplicate,
            events=events,
            position=token,
            offsets={f"{EVENTS.name}/{p}": n for p, n in sorted(position.items())},
            status_url=f"/v1/articles/{article_id}",
        )
