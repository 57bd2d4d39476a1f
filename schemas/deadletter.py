"""``DeadLetter``: an input Sitrep could not use, kept with the reason."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import SCHEMA_VERSION, Contract

Stage = Literal["read", "decode", "parse", "publish", "process", "api"]


class DeadLetter(Contract):
    schema_version: Literal[1] = SCHEMA_VERSION
    source_id: str = Field(description="what the input was: a path, a URL, topic/partition/offset")
    stage: Stage
    error: str = Field(description="one-line human reason")
    error_type: str
    input: str = Field(description="the input, truncated; base64 when input_encoding says so")
    input_encoding: Literal["utf-8", "base64"] = "utf-8"
    input_size: int = Field(ge=0)
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    occurred_at: AwareDatetime
