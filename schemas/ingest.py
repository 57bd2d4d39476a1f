"""``SeenItem``: a watched item (a feed entry's page, a file) an ingest worker
has dealt with, so that no worker fetches or publishes it again."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import SCHEMA_VERSION, Contract

Outcome = Literal["published", "duplicate", "rejected"]


class SeenItem(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    key: str = Field(description="the item: a page URL, or a file's URI with its size and mtime")
    source: str = Field(description="the feed URL or folder the item was found in")
    outcome: Outcome = Field(
        description="published; duplicate (its text was already on sitrep.articles.v1); "
        "rejected (its reason is on sitrep.deadletter.v1)"
    )
    article_id: str | None = None
    reason: str | None = Field(default=None, description="why it was rejected")
    seen_at: AwareDatetime
