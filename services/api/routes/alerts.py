"""Alerts: the latest as a list, and new ones as a Server-Sent Events stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from schemas.alert import AlertKind, Severity
from services.alerts.filter import AlertFilter
from services.api.alertstream import alert_events
from services.api.conditional import ALERT_LIST, NOT_MODIFIED, conditional
from services.api.context import ApiContext
from services.api.cursors import decode_cursor, encode_cursor
from services.api.models import AlertList, ErrorBody
from services.shared.positions import decode_position, encode_position

STREAM_EXAMPLE = (
    "retry: 3000\n\n"
    "event: alert\n"
    "id: eyIwIjo2fQ\n"
    'data: {"schema_version":1,"alert_id":"c2f1a9e07d5b4c38","kind":"control_changed",'
    '"severity":"critical","message":"Hama: control changed from Syrian government to '
    'Hayat Tahrir al-Sham",…}\n\n'
)


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["alerts"])
    reader = ctx.reader

    def wanted(kind: list[AlertKind] | None, min_severity: Severity | None, place: str | None) -> AlertFilter:
        return AlertFilter.of(kind, min_severity, place)

    @api.get(
        "/v1/alerts",
        response_model=AlertList,
        responses={
            **NOT_MODIFIED,
            400: {"model": ErrorBody, "description": "a bad cursor"},
        },
    )
    async def list_alerts(
        request: Request,
        response: Response,
        kind: Annotated[list[AlertKind] | None, Query(description="one or more kinds")] = None,
        min_severity: Annotated[Severity | None, Query(description="info < warning < critical")] = None,
        place: Annotated[str | None, Query(description="place id")] = None,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> AlertList | Response:
        after = decode_cursor(cursor, 3) if cursor else None
        cached = conditional(ctx.validators, ALERT_LIST, request, response)
        if cached is not None:
            return cached
        admits = wanted(kind, min_severity, place).matches
        keyed = sorted(
            (
                ((a.occurred_at.isoformat(), (a.emitted_at or a.occurred_at).isoformat(), a.alert_id), a)
                for a in reader.alerts.values()
                if admits(a)
            ),
            key=lambda item: item[0],
            reverse=True,
        )
        if after is not None:
            start = (after[0], after[1], after[2])
            keyed = [(k, a) for k, a in keyed if k < start]
        page = keyed[:limit]
        more = len(keyed) > limit
        return AlertList(
            count=len(page),
            position=encode_position(reader.positions_of_alerts()),
            next_cursor=encode_cursor(list(page[-1][0])) if more and page else None,
            alerts=[a for _, a in page],
        )

    @api.get(
        "/v1/alerts/stream",
        response_class=StreamingResponse,
        responses={
            200: {
                "content": {"text/event-stream": {"example": STREAM_EXAMPLE}},
                "description": "one `alert` event per new alert; its id resumes the stream",
            },
            400: {"model": ErrorBody, "description": "a Last-Event-ID this service did not hand out"},
        },
    )
    async def stream_alerts(
        kind: Annotated[list[AlertKind] | None, Query(description="one or more kinds")] = None,
        min_severity: Annotated[Severity | None, Query(description="info < warning < critical")] = None,
        place: Annotated[str | None, Query(description="place id")] = None,
        last_event_id: Annotated[
            str | None,
            Query(description="resume after this id (or the position of GET /v1/alerts); the header wins"),
        ] = None,
        last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> StreamingResponse:
        resume = last_event_id_header or last_event_id
        after = decode_position(resume) if resume else None
        events = alert_events(reader, wanted(kind, min_severity, place), after, lambda: ctx.stopping[0])
        return StreamingResponse(
            events,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return api
