"""For operators: liveness, readiness, metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from services.api.context import ApiContext
from services.api.metrics import CONTENT_TYPE
from services.api.models import Health

READY_EXAMPLE = {
    "ready": True,
    "caught_up": True,
    "error": None,
    "rejected_records": 0,
    "places": 42,
    "positions": {"sitrep.control.v1/0": 12},
    "processor": {"group": "sitrep-processor", "lag": 0, "stalled": False, "dead_letters": 0},
}
METRICS_EXAMPLE = (
    "# HELP sitrep_events_folded_total events the processor group has folded and committed\n"
    "# TYPE sitrep_events_folded_total counter\n"
    "sitrep_events_folded_total 82.0\n"
)


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["ops"])
    reader, watcher = ctx.reader, ctx.watcher

    @api.get("/healthz", response_model=Health)
    async def healthz() -> Health:
        return Health(status="ok")

    @api.get(
        "/readyz",
        responses={
            200: {"content": {"application/json": {"example": READY_EXAMPLE}}, "description": "ready"},
            503: {"description": "not caught up with the control topic yet, or the reader stopped"},
        },
    )
    async def readyz() -> JSONResponse:
        health = reader.health
        # Readiness is about this replica (caught up with the view, reader alive).
        # A stalled processor is reported here but does not take every API
        # replica out of service: stale data, clearly flagged, beats none.
        body = {
            "ready": reader.ready,
            "caught_up": health.caught_up,
            "error": health.error,
            "rejected_records": health.rejected,
            "places": len(reader.control),
            "positions": health.positions,
            "processor": watcher.progress.as_dict(),
        }
        return JSONResponse(body, status_code=200 if reader.ready else 503)

    @api.get(
        "/metrics",
        response_class=Response,
        responses={
            200: {"content": {CONTENT_TYPE: {"example": METRICS_EXAMPLE}}, "description": "Prometheus"}
        },
    )
    async def metrics() -> Response:
        return Response(ctx.metrics.exposition(), media_type=CONTENT_TYPE)

    return api
