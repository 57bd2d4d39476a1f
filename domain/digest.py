"""Tamper evidence for the event log: a hash chain per partition.

Each record's link hashes the previous link with the record's offset, key and
value (each length-prefixed, so no two different records hash alike by
running into each other). The head of a partition's chain after N records
fixes every byte of those N records and their order: recompute it later over
the same N records and any rewrite, insertion or deletion shows. The root hashes
the heads of all partitions, so one short string vouches for the whole log at
that position.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = hashlib.sha256(b"sitrep event log digest v1").hexdigest()
_ABSENT = b"\xff\xff\xff\xff"  # a null key or value, unlike any length prefix of real bytes


def _framed(part: bytes | None) -> bytes:
    if part is None:
        return _ABSENT
    return len(part).to_bytes(4, "big") + part


def link(previous: str, offset: int, key: bytes | None, value: bytes | None) -> str:
    """The chain's next link after ``previous``, for the record at ``offset``."""
    h = hashlib.sha256(bytes.fromhex(previous))
    h.update(offset.to_bytes(8, "big"))
    h.update(_framed(key))
    h.update(_framed(value))
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class PartitionDigest:
    partition: int
    records: int  # the chain covers offsets [0, records)
    head: str


class Chain:
    """One partition's chain, built record by record in offset order."""

    def __init__(self, partition: int) -> None:
        self.partition = partition
        self.head = GENESIS
        self.records = 0

    def add(self, offset: int, key: bytes | None, value: bytes | None) -> None:
        self.head = link(self.head, offset, key, value)
        self.records = offset + 1

    def digest(self) -> PartitionDigest:
        return PartitionDigest(self.partition, self.records, self.head)


def root(digests: Iterable[PartitionDigest]) -> str:
    """One hash over every partition's position and head."""
    lines = sorted(f"{d.partition}:{d.records}:{d.head}" for d in digests)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
