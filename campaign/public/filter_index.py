"""Filter sets of one snapshot as bit sets: bit n stands for the n-th entry in name order.

Each set (an offer, a language, a quarter, a search word, "open this minute") is worked out
once per snapshot version the first time someone asks for it; combining sets is then a few
integer operations however many entries there are, and a page of results needs only the
positions of its own entries. Nothing here does I/O.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from campaign.entries.dropin import is_open_at
from campaign.public.entry_store import OFFER_BITS

MAX_CACHED = 512  # bit sets kept per snapshot (6 KB each at 50,000 entries)
_BYTE_POSITIONS = tuple(tuple(n for n in range(8) if byte >> n & 1) for byte in range(256))


def bits_of(flags: Iterable[bool]) -> int:
    """A bit set with bit n set where the n-th value is true."""
    return int("".join("1" if value else "0" for value in flags)[::-1] or "0", 2)


def bits_at(numbers: Iterable[int]) -> int:
    """A bit set with the bits of `numbers` set."""
    data = bytearray()
    for number in numbers:
        byte = number >> 3
        if byte >= len(data):
            data.extend(bytes(byte + 1 - len(data)))
        data[byte] |= 1 << (number & 7)
    return int.from_bytes(data, "little")


def positions(bits: int) -> array:
    """The numbers of the set bits, ascending (4 bytes each)."""
    found = array("I")
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for number, byte in enumerate(data):
        if byte:
            base = number * 8
            found.extend(base + n for n in _BYTE_POSITIONS[byte])
    return found


def cached(snapshot, key, make: Callable, store: str = "index", limit: int = MAX_CACHED):
    """`make()` once per snapshot and key (thread-safe enough: a race only builds twice). When
    `limit` values are kept, the store starts afresh: a crawler trying every combination of
    filters can cost a rebuild, never unbounded memory."""
    values = getattr(snapshot, store)
    value = values.get(key)
    if value is None:
        if len(values) >= limit:
            values.clear()
        value = values[key] = make()
    return value


def all_bits(snapshot) -> int:
    return (1 << len(snapshot)) - 1


def flag_bits(snapshot, mask: int) -> int:
    """Entries that have any of the flags in `mask` (offers, languages, step-free access)."""
    return cached(snapshot, ("flags", mask),
                  lambda: bits_of(flags & mask for flags in snapshot.columns.flags))


def place_bits(snapshot, part: int, value: str) -> int:
    """Entries whose sector (part 0), district (1) or quarter (2) is `value`."""
    return cached(snapshot, ("place", part, value),
                  lambda: bits_of(place[part] == value for place in snapshot.columns.places))


def word_bits(snapshot, word: str) -> int:
    """Entries whose folded search text contains `word` (already folded)."""
    return cached(snapshot, ("word", word),
                  lambda: bits_at(snapshot.columns.haystacks.containing(word)))


def open_bits(snapshot, moment: datetime) -> int:
    """Entries open without appointment at `moment` (to the minute)."""
    minute = moment.replace(second=0, microsecond=0)

    def make() -> int:
        open_by_hours: dict[str, bool] = {}
        for hours in set(snapshot.columns.hours):
            open_by_hours[hours] = is_open_at(json.loads(hours), minute)
        return bits_of(open_by_hours[hours] for hours in snapshot.columns.hours)

    return cached(snapshot, ("open", minute), make)


def published_counts(snapshot) -> dict[str, Counter]:
    """Entries per sector, district, quarter and offer (the staff dashboard's figures)."""

    def make() -> dict[str, Counter]:
        places = Counter(snapshot.columns.places)
        flags = Counter(snapshot.columns.flags)
        counts = {name: Counter() for name in ("sector", "district", "quarter", "offers")}
        for place, amount in places.items():
            for name, value in zip(("sector", "district", "quarter"), place, strict=True):
                counts[name][value] += amount
        for code, bit in OFFER_BITS.items():
            counts["offers"][code] = sum(n for value, n in flags.items() if value & bit)
        return counts

    return cached(snapshot, ("published counts",), make)
