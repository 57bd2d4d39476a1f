"""Deterministic ids: the same content always gets the same id, so re-ingesting
an article changes nothing and every consumer can be idempotent."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from schemas.common import Place

_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The form an article is hashed in: NFC, unified line ends, runs of
    whitespace collapsed, trimmed. Cosmetic re-formatting keeps the same id."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return digest.hexdigest()[:32]


def article_id(text: str) -> str:
    return content_hash("article", normalize_text(text))


def name_key(name: str) -> str:
    """Accent-, case- and punctuation-free form of a name, for unresolved places."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", bare))


def place_key(place: Place) -> str:
    """The Kafka key and view key of a place: its gazetteer id, or for an
    unresolved mention a stable key built from its name and country."""
    if place.id:
        return place.id
    return f"unresolved:{place.country or 'xx'}:{name_key(place.name)}"


def event_id(article: str, sentence_index: int, action: str, place: str, actor: str) -> str:
    return content_hash("event", article, str(sentence_index), action, place, actor)


def alert_id(kind: str, place: str, *facts: str) -> str:
    return content_hash("alert", kind, place, *facts)
