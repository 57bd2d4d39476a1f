"""The event log's hash chain (domain.digest): any change of any byte, order or
record shows in the head; the same records always give the same head."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.digest import GENESIS, Chain, PartitionDigest, root

Record = tuple[bytes | None, bytes | None]
records = st.lists(
    st.tuples(st.one_of(st.none(), st.binary(max_size=20)), st.binary(max_size=40)), min_size=1, max_size=20
)


def head(log: list[Record], partition: int = 0) -> PartitionDigest:
    chain = Chain(partition)
    for offset, (key, value) in enumerate(log):
        chain.add(offset, key, value)
    return chain.digest()


@settings(max_examples=200, deadline=None)
@given(log=records, data=st.data())
def test_changing_any_byte_changes_the_head(log: list[Record], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(log) - 1))
    key, value = log[index]
    target = data.draw(st.sampled_from(["key", "value"]))
    field = key if target == "key" else value
    flipped: bytes | None
    if field:
        at = data.draw(st.integers(0, len(field) - 1))
        flipped = field[:at] + bytes([field[at] ^ (1 << data.draw(st.integers(0, 7)))]) + field[at + 1 :]
    else:
        flipped = b"\x00" if field is None or target == "value" else None  # null <-> empty differ too
    changed = list(log)
    changed[index] = (flipped, value) if target == "key" else (key, flipped)
    assert head(changed).head != head(log).head
    assert head(log) == head(list(log))  # deterministic


@settings(max_examples=100, deadline=None)
@given(log=records)
def test_dropping_or_reordering_records_changes_the_head(log: list[Record]) -> None:
    assert head(log[:-1]).head != head(log).head or len(log) == 0
    if len(log) > 1 and log[0] != log[1]:
        swapped = [log[1], log[0], *log[2:]]
        assert head(swapped).head != head(log).head


def test_null_and_empty_and_split_fields_do_not_collide() -> None:
    assert head([(None, b"")]).head != head([(b"", b"")]).head
    assert head([(b"ab", b"c")]).head != head([(b"a", b"bc")]).head
    assert Chain(0).digest() == PartitionDigest(0, 0, GENESIS)


def test_the_root_covers_every_partition() -> None:
    a, b = head([(b"k", b"v")], 0), head([(b"k", b"w")], 1)
    assert root([a, b]) == root([b, a])
    assert root([a, b]) != root([a, head([(b"k", b"x")], 1)])
