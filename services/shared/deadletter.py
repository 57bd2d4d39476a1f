"""The dead-letter policy: an input we cannot use is kept, with the reason, on
``sitrep.deadletter.v1``; nothing is dropped silently and nothing else stops."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Literal

from schemas.deadletter import DeadLetter, Stage

# Enough to see what the input was; the original stays at its source.
MAX_KEPT_BYTES = 64 * 1024


def dead_letter(
    source_id: str,
    stage: Stage,
    error: BaseException,
    raw: bytes | str | None,
    now: datetime,
    *,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> DeadLetter:
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else (raw or b"")
    kept = data[:MAX_KEPT_BYTES]
    encoding: Literal["utf-8", "base64"] = "utf-8"
    try:
        text = kept.decode("utf-8")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", kept, 0, 1, "NUL byte")
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(kept).decode("ascii"), "base64"
    return DeadLetter(
        source_id=source_id,
        stage=stage,
        error=str(error) or type(error).__name__,
        error_type=type(error).__name__,
        input=text,
        input_encoding=encoding,
        input_size=len(data),
        topic=topic,
        partition=partition,
        offset=offset,
        occurred_at=now,
    )
