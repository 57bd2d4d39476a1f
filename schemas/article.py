"""``Article``: the raw input, kept forever so a better parser can re-parse it."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import SCHEMA_VERSION, Contract


class Article(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    article_id: str = Field(description="content hash of the normalized text")
    text: str = Field(min_length=1)
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: AwareDatetime | None = None
    source: str | None = Field(default=None, description="where the article came from: a path, a URL, 'api'")
    country_hint: str | None = Field(default=None, description="ISO2 country the article is about, if known")
