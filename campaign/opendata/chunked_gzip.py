"""One gzip file assembled from parts that were compressed on their own, the way pigz does it.

Each part is raw deflate ended by a sync flush: byte-aligned and never a final block, so parts
simply follow one another in one deflate stream. A file is then the 10-byte header, the
parts, an empty final block and the trailer (CRC-32 and length of the whole plain text). The
CRC of the whole is combined from the parts' own CRCs without reading their text again: CRC-32
is linear, so the CRC of A+B is the CRC of A moved past |B| zero bytes (multiplied by
x^(8·|B|) modulo the CRC polynomial) plus the CRC of B; each part keeps that factor.

A file built like this after one change costs only the changed parts' compression; the same
parts always give the same bytes, so every worker gives the same file and ETag.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, mtime 0, OS unknown
LAST_BLOCK = b"\x03\x00"  # an empty final block with fixed codes
_POLYNOMIAL = 0xEDB88320  # CRC-32 bit-reversed: bit 31 stands for x^0, bit 0 for x^31
_ONE = 1 << 31


def _times(a: int, b: int) -> int:
    """a·b modulo the CRC-32 polynomial (both in the bit-reversed form of _POLYNOMIAL)."""
    product, bit = 0, _ONE
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ _POLYNOMIAL if b & 1 else b >> 1
    return product


def crc_shift(size: int) -> int:
    """x^(8·size) modulo the polynomial: what moves a CRC past `size` bytes of zeros."""
    result, power = _ONE, 1 << 23  # x^0, x^8
    while size:
        if size & 1:
            result = _times(power, result)
        size >>= 1
        if size:
            power = _times(power, power)
    return result


def crc_combine(first: int, second: int, shift: int) -> int:
    """The CRC-32 of A+B from crc(A), crc(B) and crc_shift(len(B))."""
    return _times(shift, first) ^ second


@dataclass(frozen=True)
class Part:
    deflated: bytes  # raw deflate, sync-flushed
    crc: int  # of the plain bytes
    size: int  # plain length
    shift: int  # crc_shift(size)
    digest: bytes  # of `deflated`, for the file's ETag


def part(plain: bytes, level: int) -> Part:
    """`plain` deflated on its own (a fresh compressor, no history of other parts)."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = packer.compress(plain) + packer.flush(zlib.Z_SYNC_FLUSH) if plain else b""
    return Part(deflated, zlib.crc32(plain), len(plain), crc_shift(len(plain)),
                hashlib.sha256(deflated).digest())


@cache
def fixed_part(plain: bytes, level: int) -> Part:
    """A part that is the same in every file (a separator, a header), built once."""
    return part(plain, level)


def member_pieces(parts: Iterable[Part]) -> list[bytes]:
    """The parts as one gzip file (a single member), readable by any gzip reader, in pieces:
    the parts' own bytes, not copied."""
    pieces, crc, size = [HEADER], 0, 0
    for piece in parts:
        if piece.deflated:
            pieces.append(piece.deflated)
        crc = crc_combine(crc, piece.crc, piece.shift)
        size += piece.size
    pieces.append(LAST_BLOCK + struct.pack("<II", crc, size & 0xFFFFFFFF))
    return pieces


def member(parts: Iterable[Part]) -> bytes:
    return b"".join(member_pieces(parts))


def digest(parts: Sequence[Part]) -> str:
    """A digest of the file member(parts) makes, from the parts' digests (their bytes decide
    the file's bytes)."""
    return hashlib.sha256(b"".join(p.digest for p in parts)).hexdigest()
