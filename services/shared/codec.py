"""JSON on the wire: models to bytes and back, with a clear error for anything else."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from domain.errors import InvalidEnvelope, UndecodableInput, UnknownSchemaVersion
from schemas.common import SCHEMA_VERSION

M = TypeVar("M", bound=BaseModel)


def encode(model: BaseModel) -> bytes:
    return model.model_dump_json(exclude_none=False).encode("utf-8")


def encode_key(key: str) -> bytes:
    return key.encode("utf-8")


def decode(raw: bytes | None, model: type[M]) -> M:
    """Decode one record value; every failure is a ``InputError`` with a one-line reason."""
    if raw is None:
        raise InvalidEnvelope("record has no value (tombstone)")
    try:
        # pydantic parses and validates in one pass, about twice as fast as
        # json.loads then model_validate; a failure is explained by the slow path.
        return model.model_validate_json(raw)
    except ValidationError:
        return _decode_explained(raw, model)


def _decode_explained(raw: bytes, model: type[M]) -> M:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UndecodableInput(f"value is not UTF-8 (byte {err.start})") from err
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidEnvelope(
            f"value is not JSON: {err.msg} at line {err.lineno} column {err.colno}"
        ) from err
    if not isinstance(data, dict):
        raise InvalidEnvelope(f"value is JSON {type(data).__name__}, expected an object")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise UnknownSchemaVersion(f"schema_version {version!r} is not supported (expected {SCHEMA_VERSION})")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "value"
        raise InvalidEnvelope(f"{model.__name__}.{where}: {first['msg']}") from err
