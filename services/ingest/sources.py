"""Reading articles from files: ``.txt``, ``.html``, a JSON envelope, a JSONL
file of envelopes, or a folder of these.

Each input yields either an ``ArticleInput`` or an ``InputFailure`` naming the
input and the reason, so one bad file never stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.errors import InputError, InputTooLarge, InvalidEnvelope
from domain.screening import MAX_ARTICLE_BYTES, decode_article_bytes, screen_text
from services.ingest.html_page import extract_page, page_time

SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson"}


@dataclass(frozen=True)
class ArticleInput:
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    country_hint: str | None = None


@dataclass(frozen=True)
class InputFailure:
    source: str
    error: InputError
    raw: bytes

    def __str__(self) -> str:
        return f"{self.source}: {self.error}"


Read = ArticleInput | InputFailure


def parse_time(value: Any, source: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidEnvelope(f"published_at must be an ISO 8601 string, not {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as err:
        raise InvalidEnvelope(f"published_at {value!r} is not an ISO 8601 time") from err
    if parsed.tzinfo is None:
        raise InvalidEnvelope(f"published_at {value!r} has no timezone (add Z or +00:00)")
    return parsed


def from_envelope(data: Any, source: str, max_bytes: int = MAX_ARTICLE_BYTES) -> ArticleInput:
    """A JSON envelope ``{"text", "url", "title", "outlet", "published_at"}``."""
    if not isinstance(data, dict):
        raise InvalidEnvelope(f"JSON envelope must be an object, not {type(data).__name__}")
    text = data.get("text")
    if text is None and isinstance(data.get("html"), str):
        text = extract_page(data["html"]).text
    if not isinstance(text, str):
        raise InvalidEnvelope("JSON envelope has no 'text' (a string)")
    for field in ("url", "title", "outlet", "country_hint"):
        if data.get(field) is not None and not isinstance(data[field], str):
            raise InvalidEnvelope(f"'{field}' must be a string")
    return ArticleInput(
        source=source,
        text=screen_text(text, max_bytes),
        title=data.get("title"),
        url=data.get("url"),
        outlet=data.get("outlet"),
        published_at=parse_time(data.get("published_at"), source),
        country_hint=data.get("country_hint"),
    )


def read_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Read]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes and path.suffix.lower() not in {".jsonl", ".ndjson"}:
            raise InputTooLarge(f"file is {size:,} bytes; the limit is {max_bytes:,}")
        raw = path.read_bytes()
    except OSError as err:
        yield InputFailure(source, InvalidEnvelope(f"cannot read: {err.strerror}"), b"")
        return
    except InputError as err:
        yield InputFailure(source, err, b"")
        return
    try:
        text = decode_article_bytes(raw)
        suffix = path.suffix.lower()
        if suffix in {".jsonl", ".ndjson"}:
            yield from read_jsonl(text, source, max_bytes)
            return
        if suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as err:
                raise InvalidEnvelope(f"not valid JSON: {err.msg} at line {err.lineno}") from err
            yield from_envelope(data, source, max_bytes)
        elif suffix in {".html", ".htm"}:
            page = extract_page(text)
            yield ArticleInput(
                source,
                screen_text(page.text, max_bytes),
                page.title,
                page.url,
                page.outlet,
                page_time(page),
            )
        else:
            yield ArticleInput(source, screen_text(text, max_bytes))
    except InputError as err:
        yield InputFailure(source, err, raw)


def read_jsonl(text: str, source: str, max_bytes: int) -> Iterator[Read]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                raise InvalidEnvelope(f"line is not valid JSON: {err.msg}") from err
            yield from_envelope(data, where, max_bytes)
        except InputError as err:
            yield InputFailure(where, err, line.encode("utf-8", "surrogateescape"))


def files_under(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES
    )


def read_paths(paths: Iterable[Path], max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Read]:
    """Every article under ``paths``; a folder contributes its supported files."""
    for path in paths:
        if path.is_dir():
            for file in files_under(path):
                yield from read_file(file, max_bytes)
        elif path.exists():
            yield from read_file(path, max_bytes)
        else:
            yield InputFailure(str(path), InvalidEnvelope("no such file or folder"), b"")


def count_inputs(paths: Iterable[Path]) -> int:
    """How many items ``read_paths`` will yield, near enough for a progress bar:
    one per file, one per non-blank line of a JSONL file, one per missing path."""
    count = 0
    for path in paths:
        files = files_under(path) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() in {".jsonl", ".ndjson"}:
                try:
                    with open(file, "rb") as lines:
                        count += sum(1 for line in lines if line.strip())
                except OSError:
                    count += 1
            else:
                count += 1
    return count
