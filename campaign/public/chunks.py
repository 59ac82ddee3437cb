"""The snapshot's entries in runs ("chunks") of about CHUNK_TARGET, so that a derived file
(GeoJSON, CSV, map data) is rebuilt after a change only for the chunks the change touched.

A chunk ends after an entry whose name-order key hashes to 0 modulo CHUNK_TARGET. The bounds
are so a pure function of the entries themselves: a patched snapshot and one read anew, in any
worker and after any history, have the same chunks and so build byte-identical files (the
ETags must agree across workers). A change moves at most the bound at the entry it changes:
every other chunk keeps its entries, and a part built for it (keyed by the entries' records
themselves, so equality is exact) is taken over by the next snapshot (Snapshot.follows).
Chunk sizes vary (geometrically, mean CHUNK_TARGET): among the ~400 chunks of 50,000 entries
there is about one of six times that size.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from campaign.public.entry_store import Snapshot

# Per changed entry every file decodes and rebuilds its chunk: about 150 µs an entry in all.
# Smaller chunks cost a little compression (each part starts without history) and more parts.
CHUNK_TARGET = 128
Part = TypeVar("Part")


def ends_chunk(order_key: str) -> bool:
    """Whether a chunk ends after the entry with this entry_store.name_order key."""
    return zlib.crc32(order_key.encode()) % CHUNK_TARGET == 0


class Chunk:
    """A chunk's records, as a key of the parts built for it: equal when the records are."""

    __slots__ = ("records", "_hash")

    def __init__(self, records: tuple[bytes, ...]):
        self.records = records
        self._hash = hash(records)  # once: a tuple does not keep its hash

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return self is other or (isinstance(other, Chunk) and self._hash == other._hash
                                 and self.records == other.records)


def bounds(cuts: bytearray) -> list[tuple[int, int]]:
    """(start, stop) of each chunk, from one flag per entry (1: a chunk ends after it)."""
    found, start = [], 0
    while (end := cuts.find(1, start)) != -1:
        found.append((start, end + 1))
        start = end + 1
    if start < len(cuts):
        found.append((start, len(cuts)))
    return found


def chunked(records: Sequence[bytes], cuts: bytearray,
            before: Sequence[Chunk] = ()) -> list[Chunk]:
    """The records in chunks; a chunk that is one of `before` (the snapshot patched) is that
    same object, so it is neither made nor hashed again."""
    known = {id(chunk.records[0]): chunk for chunk in before}
    found = []
    for start, stop in bounds(cuts):
        records_of_chunk = tuple(records[start:stop])
        same = known.get(id(records_of_chunk[0]))
        found.append(same if same is not None and same.records == records_of_chunk
                     else Chunk(records_of_chunk))
    return found


def built_part(snapshot: Snapshot, name: Hashable, chunk: Chunk,
               build: Callable[[tuple[bytes, ...]], Part]) -> Part:
    """The part of file `name` for this chunk, built from its records only when no snapshot
    before had one for these very entries."""
    key = (name, chunk)
    part = snapshot.parts.get(key)
    if part is None:
        part = snapshot.parts[key] = build(chunk.records)
    return part


def built_parts(snapshot: Snapshot, name: Hashable,
                build: Callable[[tuple[bytes, ...]], Part]) -> list[Part]:
    """built_part() of every chunk, in order."""
    return [built_part(snapshot, name, chunk, build) for chunk in snapshot.chunks]
