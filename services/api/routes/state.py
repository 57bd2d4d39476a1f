"""The control view: ``GET /v1/control`` (filtered, paged, changes since a
position, or the past) and ``GET /v1/control/{place_id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AwareDatetime

from domain.history import view_as_of
from schemas.control import ControlState, ControlStatus
from schemas.topics import EVENTS
from services.api.conditional import NOT_MODIFIED, STATE, conditional, encoded_answer
from services.api.context import POSITION_HEADER, ApiContext, offsets_of
from services.api.cursors import decode_cursor, encode_cursor
from services.api.models import ControlList, ErrorBody, PlaceDetail
from services.shared.positions import decode_position, encode_position

ERRORS: dict[int | str, dict[str, object]] = {
    **NOT_MODIFIED,
    400: {"model": ErrorBody, "description": "a bad token or cursor"},
    503: {"model": ErrorBody, "description": "min_position not reached within wait_s"},
}


def bounding_box(text: str) -> tuple[float, float, float, float]:
    """``min_lon,min_lat,max_lon,max_lat`` in degrees."""
    try:
        west, south, east, north = (float(x) for x in text.split(","))
    except ValueError:
        raise HTTPException(
            422,
            [{"field": "query.bbox", "message": "expected min_lon,min_lat,max_lon,max_lat (four numbers)"}],
        ) from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(
            422,
            [
                {
                    "field": "query.bbox",
                    "message": "longitudes within ±180, latitudes within ±90, south ≤ north",
                }
            ],
        )
    return west, south, east, north


def in_box(state: ControlState, box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    lat, lon = state.place.lat, state.place.lon
    if lat is None or lon is None or not south <= lat <= north:
        return False
    # A box whose west edge is east of its east edge crosses the antimeridian.
    return west <= lon <= east if west <= east else (lon >= west or lon <= east)


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["state"])
    reader, validators = ctx.reader, ctx.validators

    @api.get("/v1/control", response_model=ControlList, responses=ERRORS)
    async def list_control(
        request: Request,
        response: Response,
        country: Annotated[
            str | None, Query(description="ISO2 country of the place", pattern="^[A-Z]{2}$")
        ] = None,
        status: Annotated[list[ControlStatus] | None, Query(description="one or more statuses")] = None,
        controller: Annotated[str | None, Query(description="controller's actor id or name")] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
        since_position: Annotated[
            str | None, Query(description="only places whose state changed after this position (a token)")
        ] = None,
        as_of: Annotated[AwareDatetime | None, Query(description="event time: the view as of T")] = None,
        known_at: Annotated[AwareDatetime | None, Query(description="record time: as known at T2")] = None,
        min_position: Annotated[str | None, Query(description="wait until the view reflects this")] = None,
        wait_s: Annotated[float, Query(ge=0, le=60, description="how long min_position may wait")] = 10.0,
        cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> ControlList | Response:
        await ctx.await_position(min_position, wait_s)
        after = decode_cursor(cursor, 2) if cursor else None
        box = bounding_box(bbox) if bbox else None
        since = decode_position(since_position) if since_position else None
        # From here to the answer nothing awaits: the ETag, the position and the
        # places are read from one state of the view.
        cached = conditional(validators, STATE, request, response)
        if cached is not None:
            return cached
        live = as_of is None and known_at is None
        if live:
            if since is None:
                states = list(reader.control.values())
            else:
                states = [s for k, s in reader.control.items() if reader.changed_since(k, since)]
            position = encode_position(ctx.freshness.position())
        else:
            if since is not None:
                raise HTTPException(400, "since_position applies to the live view, not to as_of or known_at")
            # The past is rebuilt from this replica's copy of the log, with the processor's fold.
            states = list(view_as_of(reader.log.recorded(), ctx.rules, as_of, known_at).values())
            position = encode_position(reader.positions_of(EVENTS.name))
        if country is not None:
            states = [s for s in states if s.place.country == country]
        if status:
            wanted = set(status)
            states = [s for s in states if s.status in wanted]
        if controller is not None:
            name = controller.casefold()
            states = [
                s
                for s in states
                if s.controller is not None
                and ((s.controller.id or "").casefold() == name or s.controller.name.casefold() == name)
            ]
        if box is not None:
            states = [s for s in states if in_box(s, box)]
        keyed = sorted(((s.place.name, s.place.id or ""), s) for s in states)
        if after is not None:
            start = (after[0], after[1])
            keyed = [(k, s) for k, s in keyed if k > start]
        page = keyed[:limit]
        more = len(keyed) > limit
        response.headers[POSITION_HEADER] = position
        answer = ControlList(
            count=len(page),
            position=position,
            offsets=offsets_of(position),
            as_of=as_of,
            known_at=known_at,
            since_position=since_position,
            next_cursor=encode_cursor(list(page[-1][0])) if more and page else None,
            places=[s for _, s in page],
        )
        return encoded_answer(ctx.answers, request, response, answer)

    @api.get(
        "/v1/control/{place_id:path}",
        response_model=PlaceDetail,
        responses={**ERRORS, 404: {"model": ErrorBody, "description": "no state for this place"}},
    )
    async def get_control(
        place_id: str,
        request: Request,
        response: Response,
        min_position: Annotated[str | None, Query(description="wait until the view reflects this")] = None,
        wait_s: Annotated[float, Query(ge=0, le=60)] = 10.0,
    ) -> PlaceDetail | Response:
        await ctx.await_position(min_position, wait_s)
        state = reader.control.get(place_id)
        if state is None:
            raise HTTPException(404, f"no control state for place {place_id!r}")
        cached = conditional(validators, STATE, request, response)
        if cached is not None:
            return cached
        position = encode_position(ctx.freshness.position())
        response.headers[POSITION_HEADER] = position
        events = reader.log.latest
        return PlaceDetail(
            position=position,
            offsets=offsets_of(position),
            state=state,
            supporting_events=[events[i].event for i in state.supporting_event_ids if i in events],
            disputing_events=[events[i].event for i in state.disputing_event_ids if i in events],
        )

    return api
