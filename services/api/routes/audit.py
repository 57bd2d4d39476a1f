"""Why the feed says what it says: a place's history, the event log, an article."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AwareDatetime

from domain.history import timeline
from schemas.event import Action
from schemas.topics import EVENTS
from services.api.conditional import LOG, NOT_MODIFIED, conditional
from services.api.context import POSITION_HEADER, ApiContext, offsets_of
from services.api.cursors import InvalidCursor, decode_cursor, encode_cursor
from services.api.eventlog import EventFilter, LoggedEvent
from services.api.models import (
    ArticleDetail,
    ArticleRef,
    ErrorBody,
    EventPage,
    HistoryEntry,
    PlaceHistory,
    ProvenancedEvent,
)
from services.shared.positions import encode_position


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["audit"])
    reader, validators = ctx.reader, ctx.validators

    def provenance(logged: LoggedEvent) -> ProvenancedEvent:
        article = reader.log.articles.get(logged.event.article_id)
        ref = (
            ArticleRef(
                article_id=article.article_id,
                url=article.url,
                title=article.title,
                outlet=article.outlet,
                published_at=article.published_at,
            )
            if article is not None
            else None
        )
        return ProvenancedEvent(
            event=logged.event,
            partition=logged.partition,
            offset=logged.offset,
            recorded_at=logged.recorded_at,
            article=ref,
        )

    @api.get(
        "/v1/control/{place_id:path}/history",
        response_model=PlaceHistory,
        responses={**NOT_MODIFIED, 404: {"model": ErrorBody, "description": "no events for this place"}},
    )
    async def place_history(
        place_id: str,
        request: Request,
        response: Response,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> PlaceHistory | Response:
        logged = reader.log.of_place(place_id)
        if not logged:
            raise HTTPException(404, f"no events for place {place_id!r}")
        start = 0
        if cursor:
            (mark,) = decode_cursor(cursor, 1)
            if not mark.isdigit():
                raise InvalidCursor(f"{cursor[:40]!r} is not a cursor of this list")
            start = int(mark)
        cached = conditional(validators, LOG, request, response)
        if cached is not None:
            return cached
        by_id = {x.event.event_id: x for x in logged}
        changes = list(timeline((x.event for x in logged), ctx.rules))
        entries = []
        # Oldest first; a page's cursor is the number of changes before the next one,
        # which stays put as later events extend the timeline.
        for change in changes[start : start + limit]:
            ids = [change.caused_by, *change.state.supporting_event_ids, *change.state.disputing_event_ids]
            events = [provenance(by_id[i]) for i in dict.fromkeys(ids) if i in by_id]
            entries.append(HistoryEntry(change=change, events=events))
        position = encode_position(reader.positions_of(EVENTS.name))
        response.headers[POSITION_HEADER] = position
        more = start + limit < len(changes)
        return PlaceHistory(
            place_id=place_id,
            position=position,
            offsets=offsets_of(position),
            count=len(entries),
            next_cursor=encode_cursor([str(start + limit)]) if more else None,
            changes=entries,
        )

    @api.get(
        "/v1/events",
        response_model=EventPage,
        responses={**NOT_MODIFIED, 400: {"model": ErrorBody, "description": "a bad cursor"}},
    )
    async def list_events(
        request: Request,
        response: Response,
        place: Annotated[str | None, Query(description="place id")] = None,
        actor: Annotated[str | None, Query(description="actor id or name")] = None,
        action: Action | None = None,
        since: Annotated[AwareDatetime | None, Query(description="event time, inclusive")] = None,
        until: Annotated[AwareDatetime | None, Query(description="event time, inclusive")] = None,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> EventPage | Response:
        wanted = EventFilter(place, actor, action, since, until)
        page = reader.log.page(wanted, cursor, limit)
        cached = conditional(validators, LOG, request, response)
        if cached is not None:
            return cached
        events = [provenance(x) for x in page.events]
        return EventPage(count=len(events), events=events, next_cursor=page.cursor, more=page.more)

    @api.get(
        "/v1/articles/{article_id}",
        response_model=ArticleDetail,
        responses={**NOT_MODIFIED, 404: {"model": ErrorBody, "description": "no such article"}},
    )
    async def get_article(article_id: str, request: Request, response: Response) -> ArticleDetail | Response:
        article = reader.log.articles.get(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        cached = conditional(validators, LOG, request, response)
        if cached is not None:
            return cached
        events = [provenance(x) for x in reader.log.of_article(article_id)]
        return ArticleDetail(article=article, events=events)

    return api
