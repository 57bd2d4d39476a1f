"""The HTTP service: the latest control state and alerts, read from Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from schemas.alert import Alert
from schemas.control import ControlState
from schemas.event import SituationEvent
from services.api.progress import ProcessorWatcher
from services.api.reader import ViewReader
from services.shared.settings import ApiSettings


class ControlList(BaseModel):
    count: int
    places: list[ControlState]


class PlaceDetail(BaseModel):
    state: ControlState
    supporting_events: list[SituationEvent]
    disputing_events: list[SituationEvent]


class AlertList(BaseModel):
    count: int
    alerts: list[Alert]


def error_body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def create_app(settings: ApiSettings, reader: ViewReader | None = None) -> FastAPI:
    view = reader or ViewReader(settings)
    watcher = ProcessorWatcher(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await view.start()
        await watcher.start()
        try:
            yield
        finally:
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

    @app.get("/v1/control", response_model=ControlList, tags=["state"])
    async def list_control() -> ControlList:
        places = sorted(view.control.values(), key=lambda s: (s.place.name, s.place.id or ""))
        return ControlList(count=len(places), places=places)

    @app.get("/v1/control/{place_id:path}", response_model=PlaceDetail, tags=["state"])
    async def get_control(place_id: str) -> PlaceDetail:
        state = view.control.get(place_id)
        if state is None:
            raise HTTPException(404, f"no control state for place {place_id!r}")
        return PlaceDetail(
            state=state,
            supporting_events=[view.events[i] for i in state.supporting_event_ids if i in view.events],
            disputing_events=[view.events[i] for i in state.disputing_event_ids if i in view.events],
        )

    @app.get("/v1/alerts", response_model=AlertList, tags=["alerts"])
    async def list_alerts(limit: int = Query(100, ge=1, le=1000)) -> AlertList:
        alerts = view.alerts_newest_first()[:limit]
        return AlertList(count=len(alerts), alerts=alerts)

    return app
