"""Cursors for lists ordered by a key (places by name, alerts newest first):
the key of the last item a page held, opaque to the client."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from domain.errors import InvalidEnvelope


class InvalidCursor(InvalidEnvelope):
    """A cursor this service did not hand out."""


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, length: int) -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError) as err:
        raise InvalidCursor(f"{token[:40]!r} is not a cursor this service handed out") from err
    if not isinstance(key, list) or len(key) != length or not all(isinstance(k, str) for k in key):
        raise InvalidCursor(f"{token[:40]!r} is not a cursor of this list")
    return key
