"""Positions in a topic's log, as one opaque token: partition -> the offset
after the last record reached. Ingest hands one out (where its events landed),
the API states which one its view reflects, and the event list pages by them."""

from __future__ import annotations

import base64
import binascii
import json

from domain.errors import InvalidEnvelope

Positions = dict[int, int]


class InvalidPosition(InvalidEnvelope):
    """A position token this system did not hand out."""


def encode_position(positions: Positions) -> str:
    raw = json.dumps({str(p): n for p, n in sorted(positions.items())}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_position(token: str) -> Positions:
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        positions = {int(p): int(n) for p, n in body.items()}
    except (binascii.Error, ValueError, AttributeError, TypeError) as err:
        raise InvalidPosition(f"{token[:40]!r} is not a position token this system handed out") from err
    if any(n < 0 or p < 0 for p, n in positions.items()):
        raise InvalidPosition(f"{token[:40]!r} holds a negative position")
    return positions


def reaches(reached: Positions, wanted: Positions) -> bool:
    """Whether ``reached`` is at or past ``wanted`` in every partition ``wanted`` names."""
    return all(reached.get(p, 0) >= n for p, n in wanted.items())


def furthest(a: Positions, b: Positions) -> Positions:
    return {p: max(a.get(p, 0), b.get(p, 0)) for p in a.keys() | b.keys()}
