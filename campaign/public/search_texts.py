"""Every entry's folded search text (entry_store.search_text) in one buffer.

50,000 texts as 50,000 string objects cost about 9 MB per worker, a third of it object
headers; as one UTF-8 buffer with a NUL after each text (no entry text holds NUL: requests
with one are refused) they cost their bytes. A word is then found with one bytes.find over
the buffer, and each hit is turned into the entry's position by a binary search over where
the texts start. Like every column it is copied, never changed, once a snapshot is made:
`insert` and `__delitem__` are used only on the copy a patch makes.
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Iterable, Iterator

END = b"\x00"


class SearchTexts:
    __slots__ = ("data", "lengths", "_starts")

    def __init__(self, data: bytes = b"", lengths: array | None = None):
        self.data = data
        self.lengths = array("I") if lengths is None else lengths  # bytes of each, with END
        self._starts: array | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, item):
        """`[:]`: a copy (Columns.copy takes one of every column), sharing the buffer;
        `[n]`: the n-th text as stored (UTF-8 and END), for extend()."""
        if isinstance(item, slice):
            if item != slice(None):
                raise TypeError("only a whole copy is supported")
            return SearchTexts(self.data, self.lengths[:])
        start = self.starts()[item]
        return self.data[start:start + self.lengths[item]]

    def extend(self, stored: Iterable[bytes]) -> None:
        """Add texts as another column's `[n]` gives them (entry_store.build sorts so)."""
        pieces = list(stored)
        self.data = bytes(self.data) + b"".join(pieces)
        self.lengths.extend(map(len, pieces))
        self._starts = None

    def insert(self, position: int, text: str) -> None:
        """Put `text` before the n-th; at the end (reading every entry) it is appended in
        place, so the texts are never each an object of their own."""
        encoded = text.encode() + END
        if position == len(self.lengths) and isinstance(self.data, bytearray):
            self.data += encoded
        else:
            at = self._start(position)
            self.data = self.data[:at] + encoded + self.data[at:]
        self.lengths.insert(position, len(encoded))
        self._starts = None

    def __delitem__(self, position: int) -> None:
        at = self._start(position)
        self.data = self.data[:at] + self.data[at + self.lengths[position]:]
        del self.lengths[position]
        self._starts = None

    def containing(self, word: str) -> Iterator[int]:
        """The positions of the texts that contain `word`, ascending."""
        needle, data, starts = word.encode(), self.data, self.starts()
        at = data.find(needle)
        while at != -1:
            position = bisect.bisect_right(starts, at) - 1
            yield position
            at = data.find(needle, starts[position] + self.lengths[position])

    def starts(self) -> array:
        """Where each text starts in the buffer (worked out once per column)."""
        if self._starts is None:
            self._starts = array("I", itertools.accumulate(self.lengths[:-1], initial=0)
                                 if self.lengths else ())
        return self._starts

    def _start(self, position: int) -> int:
        return sum(self.lengths[:position]) if position < len(self.lengths) else len(self.data)
