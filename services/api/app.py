"""The HTTP service: the latest control state and alerts, read from Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field
from starlette.exceptions import HTTPException

from domain.errors import InputError
from domain.history import timeline, view_as_of
from schemas.alert import Alert
from schemas.article import Article
from schemas.control import ControlState
from schemas.event import Action, SituationEvent
from schemas.history import StatusChange
from schemas.topics import EVENTS
from services.api.eventlog import EventFilter, LoggedEvent
from services.api.freshness import Freshness
from services.api.progress import ProcessorWatcher
from services.api.reader import ViewReader
from services.shared.positions import decode_position, encode_position
from services.shared.rules import build_rules
from services.shared.settings import ApiSettings

POSITION_HEADER = "X-Sitrep-Position"
POSITION_DOC = (
    "consistency token: the positions on sitrep.events.v1 this answer reflects "
    "(pass it back as min_position to read at least this far)"
)


class ControlList(BaseModel):
    count: int
    position: str = Field(description=POSITION_DOC)
    offsets: dict[str, int] = Field(description="the same positions spelled out: 'topic/partition' -> offset")
    as_of: AwareDatetime | None = Field(default=None, description="event time the view was rebuilt at")
    known_at: AwareDatetime | None = Field(default=None, description="record time the log was cut at")
    places: list[ControlState]


class PlaceDetail(BaseModel):
    position: str = Field(description=POSITION_DOC)
    offsets: dict[str, int] = Field(description="the same positions spelled out: 'topic/partition' -> offset")
    state: ControlState
    supporting_events: list[SituationEvent]
    disputing_events: list[SituationEvent]


class ArticleRef(BaseModel):
    article_id: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published_at: AwareDatetime | None = None


class ProvenancedEvent(BaseModel):
    """An event with where it sits in the log and the article it came from."""

    event: SituationEvent
    partition: int
    offset: int
    recorded_at: AwareDatetime = Field(description="when it entered the log (the record's timestamp)")
    article: ArticleRef | None = Field(default=None, description="None until the article record is read")


class HistoryEntry(BaseModel):
    change: StatusChange
    events: list[ProvenancedEvent] = Field(
        description="the event that made the change, then the events the new state rests on"
    )


class PlaceHistory(BaseModel):
    place_id: str
    position: str = Field(description=POSITION_DOC)
    offsets: dict[str, int] = Field(description="the same positions spelled out: 'topic/partition' -> offset")
    count: int
    changes: list[HistoryEntry]


class EventPage(BaseModel):
    count: int
    events: list[ProvenancedEvent]
    next_cursor: str = Field(description="pass as cursor for the next page; stays valid as new events arrive")
    more: bool = Field(description="whether more events were already known after this page")


class ArticleDetail(BaseModel):
    article: Article
    events: list[ProvenancedEvent]


class AlertList(BaseModel):
    count: int
    alerts: list[Alert]


def offsets_of(token: str) -> dict[str, int]:
    return {f"{EVENTS.name}/{p}": n for p, n in sorted(decode_position(token).items())}


def error_body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def create_app(settings: ApiSettings, reader: ViewReader | None = None) -> FastAPI:
    view = reader or ViewReader(settings)
    watcher = ProcessorWatcher(settings)
    freshness = Freshness(watcher, view)
    rules = build_rules(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await view.start()
        await watcher.start()
        await freshness.start()
        try:
            yield
        finally:
            await freshness.stop()
            await watcher.stop()
            await view.stop()

    app = FastAPI(
        title="Sitrep",
        version="1",
        lifespan=lifespan,
        description="Who controls which place, who claims what, and alerts when it changes.",
    )
    app.state.reader = view

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(error_body("http_error", exc.detail), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return JSONResponse(error_body("invalid_request", fields), status_code=422)

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", str(exc)), status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # No stack trace reaches a client; the log has it.
        return JSONResponse(error_body("internal_error", type(exc).__name__), status_code=500)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    async def readyz() -> JSONResponse:
        health = view.health
        # Readiness is about this replica (caught up with the view, reader alive).
        # A stalled processor is reported here but does not take every API
        # replica out of service: stale data, clearly flagged, beats none.
        body = {
            "ready": view.ready,
            "caught_up": health.caught_up,
            "error": health.error,
            "rejected_records": health.rejected,
            "places": len(view.control),
            "positions": health.positions,
            "processor": watcher.progress.as_dict(),
        }
        return JSONResponse(body, status_code=200 if view.ready else 503)

    async def await_position(min_position: str | None, wait_s: float) -> None:
        if min_position is None:
            return
        if not await freshness.wait_for(decode_position(min_position), wait_s):
            raise HTTPException(
                503,
                f"the view has not reached min_position within {wait_s:g} s "
                f"(it reflects {encode_position(freshness.reflected)}); retry later",
            )

    def provenance(logged: LoggedEvent) -> ProvenancedEvent:
        article = view.log.articles.get(logged.event.article_id)
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

    @app.get("/v1/control", response_model=ControlList, tags=["state"])
    async def list_control(
        response: Response,
        as_of: Annotated[AwareDatetime | None, Query(description="event time: the view as of T")] = None,
        known_at: Annotated[AwareDatetime | None, Query(description="record time: as known at T2")] = None,
        min_position: str | None = Query(None, description="wait until the view reflects this position"),
        wait_s: float = Query(10.0, ge=0, le=60, description="how long min_position may wait"),
    ) -> ControlList:
        await await_position(min_position, wait_s)
        if as_of is None and known_at is None:
            states = list(view.control.values())
            position = encode_position(freshness.reflected)
        else:
            # The past is rebuilt from this replica's copy of the log, with the processor's fold.
            states = list(view_as_of(view.log.recorded(), rules, as_of, known_at).values())
            position = encode_position(view.positions_of(EVENTS.name))
        states.sort(key=lambda s: (s.place.name, s.place.id or ""))
        response.headers[POSITION_HEADER] = position
        return ControlList(
            count=len(states),
            position=position,
            offsets=offsets_of(position),
            as_of=as_of,
            known_at=known_at,
            places=states,
        )

    @app.get("/v1/control/{place_id:path}/history", response_model=PlaceHistory, tags=["audit"])
    async def place_history(place_id: str, response: Response) -> PlaceHistory:
        logged = view.log.of_place(place_id)
        if not logged:
            raise HTTPException(404, f"no events for place {place_id!r}")
        by_id = {x.event.event_id: x for x in logged}
        entries = []
        for change in timeline((x.event for x in logged), rules):
            ids = [change.caused_by, *change.state.supporting_event_ids, *change.state.disputing_event_ids]
            events = [provenance(by_id[i]) for i in dict.fromkeys(ids) if i in by_id]
            entries.append(HistoryEntry(change=change, events=events))
        position = encode_position(view.positions_of(EVENTS.name))
        response.headers[POSITION_HEADER] = position
        return PlaceHistory(
            place_id=place_id,
            position=position,
            offsets=offsets_of(position),
            count=len(entries),
            changes=entries,
        )

    @app.get("/v1/control/{place_id:path}", response_model=PlaceDetail, tags=["state"])
    async def get_control(
        place_id: str,
        response: Response,
        min_position: str | None = Query(None, description="wait until the view reflects this position"),
        wait_s: float = Query(10.0, ge=0, le=60),
    ) -> PlaceDetail:
        await await_position(min_position, wait_s)
        state = view.control.get(place_id)
        if state is None:
            raise HTTPException(404, f"no control state for place {place_id!r}")
        position = encode_position(freshness.reflected)
        response.headers[POSITION_HEADER] = position
        events = view.log.latest
        return PlaceDetail(
            position=position,
            offsets=offsets_of(position),
            state=state,
            supporting_events=[events[i].event for i in state.supporting_event_ids if i in events],
            disputing_events=[events[i].event for i in state.disputing_event_ids if i in events],
        )

    @app.get("/v1/events", response_model=EventPage, tags=["audit"])
    async def list_events(
        place: str | None = Query(None, description="place id"),
        actor: str | None = Query(None, description="actor id or name"),
        action: Action | None = None,
        since: Annotated[AwareDatetime | None, Query(description="event time, inclusive")] = None,
        until: Annotated[AwareDatetime | None, Query(description="event time, inclusive")] = None,
        cursor: str | None = Query(None, description="next_cursor of the previous page"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> EventPage:
        wanted = EventFilter(place, actor, action, since, until)
        page = view.log.page(wanted, cursor, limit)
        events = [provenance(x) for x in page.events]
        return EventPage(count=len(events), events=events, next_cursor=page.cursor, more=page.more)

    @app.get("/v1/articles/{article_id}", response_model=ArticleDetail, tags=["audit"])
    async def get_article(article_id: str) -> ArticleDetail:
        article = view.log.articles.get(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        events = [provenance(x) for x in view.log.of_article(article_id)]
        return ArticleDetail(article=article, events=events)

    @app.get("/v1/alerts", response_model=AlertList, tags=["alerts"])
    async def list_alerts(limit: int = Query(100, ge=1, le=1000)) -> AlertList:
        alerts = view.alerts_newest_first()[:limit]
        return AlertList(count=len(alerts), alerts=alerts)

    return app
