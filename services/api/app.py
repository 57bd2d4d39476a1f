"""The HTTP service: the latest control state and alerts, read from Kafka.

This module puts the service together; the routes live in ``services/api/routes/``
(one module per kind of answer), the view in ``reader.py``. Requests pass, from
the outside in: the latency timer (``/metrics``), bearer-token auth, the answers
made before routing (``304`` for an unchanged ``If-None-Match``, a cached
encoding for an unchanged view), then FastAPI's routing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from domain.errors import InputError
from services.api.auth import BearerAuth
from services.api.conditional import ConditionalMiddleware, Validators
from services.api.context import ApiContext
from services.api.freshness import Freshness
from services.api.metrics import Metrics, RequestTimer
from services.api.page import page_router
from services.api.progress import ProcessorWatcher
from services.api.reader import ViewReader
from services.api.routes import alerts, articles, audit, ops, state
from services.api.submissions import Submissions
from services.shared.clock import Clock, utc_now
from services.shared.rules import build_rules
from services.shared.settings import ApiSettings

log = logging.getLogger(__name__)

ERROR_NAMES = {
    400: "invalid_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "unavailable",
}


def error_body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def create_app(settings: ApiSettings, reader: ViewReader | None = None, clock: Clock = utc_now) -> FastAPI:
    view = reader or ViewReader(settings)
    watcher = ProcessorWatcher(settings)
    freshness = Freshness(watcher, view)
    ctx = ApiContext(
        settings=settings,
        reader=view,
        watcher=watcher,
        freshness=freshness,
        rules=build_rules(settings),
        validators=Validators(view, freshness),
        metrics=Metrics(view, watcher),
        submissions=Submissions(settings, view, clock),
        clock=clock,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await view.start()
        await watcher.start()
        await freshness.start()
        try:
            yield
        finally:
            ctx.stopping[0] = True
            await ctx.submissions.stop()
            await freshness.stop()
            await watcher.stop()
            await view.stop()

    app = FastAPI(
        title="Sitrep",
        version="1",
        lifespan=lifespan,
        description=(
            "Who controls which place, who claims what, and alerts when it changes. "
            "State answers carry an ETag (send it back as If-None-Match for a 304) and the "
            "log position they reflect (X-Sitrep-Position). Errors are JSON: "
            '{"error": …, "detail": …}.'
        ),
    )
    app.state.reader = view
    app.state.context = ctx
    app.include_router(page_router())
    # The history route before the place route: {place_id:path} would swallow "/history".
    for module in (audit, state, alerts, articles, ops):
        app.include_router(module.router(ctx))

    # Added last = outermost: the timer sees every request, auth runs before the 304.
    app.add_middleware(ConditionalMiddleware, validators=ctx.validators, cache=ctx.answers)
    app.add_middleware(BearerAuth, settings=settings)
    app.add_middleware(RequestTimer, metrics=ctx.metrics)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        name = ERROR_NAMES.get(exc.status_code, "http_error")
        return JSONResponse(error_body(name, exc.detail), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return JSONResponse(error_body("invalid_request", fields), status_code=422)

    @app.exception_handler(InputError)
    async def bad_input(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", str(exc)), status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # No stack trace reaches a client; the log has it.
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return JSONResponse(error_body("internal_error", type(exc).__name__), status_code=500)

    return app
