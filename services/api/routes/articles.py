"""``POST /v1/articles``: publish an article over HTTP (see services/api/submissions.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from domain.errors import InputTooLarge
from services.api.context import POSITION_HEADER, ApiContext
from services.api.models import ArticleAccepted, ErrorBody
from services.api.submissions import ArticleSubmission, InvalidSubmission, UnsupportedContent, read_submission

SUBMISSION_EXAMPLE = {
    "text": "On Thursday, HTS captured the key city of Hama, the group said.",
    "title": "Rebels take Hama",
    "url": "https://example.org/hama",
    "published_at": "2024-12-06T08:00:00Z",
    "country_hint": "SY",
}
TEXT_EXAMPLE = "On Thursday, HTS captured the key city of Hama, the group said."


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes
    (before reading it all when Content-Length says so)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is {int(declared):,} bytes; the limit is {limit:,}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body is over the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["ingest"])

    @api.post(
        "/v1/articles",
        status_code=202,
        response_model=ArticleAccepted,
        responses={
            401: {"model": ErrorBody, "description": "a token is configured and this request lacks it"},
            413: {"model": ErrorBody, "description": "the body is over SITREP_API_MAX_BODY_BYTES"},
            415: {"model": ErrorBody, "description": "not text/plain, text/html or application/json"},
            422: {"model": ErrorBody, "description": "not a valid article: detail names the field"},
        },
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": ArticleSubmission.model_json_schema(),
                        "example": SUBMISSION_EXAMPLE,
                    },
                    "text/plain": {"schema": {"type": "string"}, "example": TEXT_EXAMPLE},
                    "text/html": {"schema": {"type": "string"}},
                },
                "required": True,
            }
        },
    )
    async def post_article(request: Request) -> JSONResponse:
        """Parse and publish an article: JSON envelope, or its text (text/plain) or
        page (text/html) with `title`, `url`, `outlet`, `published_at`,
        `country_hint` as query parameters. Posting the same text again publishes
        nothing and answers with the same `article_id`. The answer's `position`,
        passed as `min_position` to GET /v1/control, reads the view once it
        reflects the article."""
        body = await read_body(request, ctx.settings.api_max_body_bytes)
        query: dict[str, Any] = dict(request.query_params)
        try:
            item = read_submission(
                body, request.headers.get("content-type", ""), query, ctx.settings.api_max_body_bytes
            )
        except InvalidSubmission as err:
            ctx.metrics.posted.labels("rejected").inc()
            raise HTTPException(422, err.fields) from err
        except InputTooLarge as err:
            ctx.metrics.posted.labels("rejected").inc()
            raise HTTPException(413, str(err)) from err
        except UnsupportedContent as err:
            ctx.metrics.posted.labels("rejected").inc()
            raise HTTPException(415, str(err)) from err
        accepted = await ctx.submissions.submit(item)
        ctx.metrics.posted.labels("duplicate" if accepted.duplicate else "accepted").inc()
        return JSONResponse(
            accepted.model_dump(mode="json"),
            status_code=202,
            headers={"Location": accepted.status_url, POSITION_HEADER: accepted.position},
        )

    return api
