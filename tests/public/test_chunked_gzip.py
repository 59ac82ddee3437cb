"""Gzip files assembled from separately compressed parts (campaign/opendata/chunked_gzip.py)."""

from __future__ import annotations

import gzip
import random
import shutil
import subprocess
import zlib

import pytest

from campaign.opendata import chunked_gzip


def test_combined_crcs_are_the_crc_of_the_joined_bytes():
    rng = random.Random(4)
    for size_a, size_b in [(0, 0), (0, 5), (5, 0), (1, 1), *((rng.randint(0, 70_000),
                                                               rng.randint(0, 70_000))
                                                              for _ in range(40))]:
        a, b = rng.randbytes(size_a), rng.randbytes(size_b)
        combined = chunked_gzip.crc_combine(zlib.crc32(a), zlib.crc32(b),
                                            chunked_gzip.crc_shift(len(b)))
        assert combined == zlib.crc32(a + b), (size_a, size_b)


def texts(rng: random.Random) -> list[bytes]:
    """Pieces of text, some empty, some repetitive, some random."""
    return [rng.choice([b"", rng.randbytes(rng.randint(1, 3000)),
                        "Bäckerei, Fußweg ".encode() * rng.randint(1, 5000)])
            for _ in range(rng.randint(0, 30))]


@pytest.mark.parametrize("seed", range(6))
def test_parts_make_one_gzip_member_of_their_text_joined(seed):
    pieces = texts(random.Random(seed))
    parts = [chunked_gzip.part(text, 3) for text in pieces]
    whole = chunked_gzip.member(parts)
    assert gzip.decompress(whole) == b"".join(pieces)
    inflater = zlib.decompressobj(wbits=31)
    assert inflater.decompress(whole) == b"".join(pieces) and inflater.eof
    assert not inflater.unused_data  # one member, nothing after it
    assert whole == chunked_gzip.member([chunked_gzip.part(t, 3) for t in pieces])


def test_the_same_parts_make_the_same_digest_and_other_parts_another():
    first = [chunked_gzip.part(b"Bochum", 3), chunked_gzip.part(b"Hamme", 3)]
    again = [chunked_gzip.part(b"Bochum", 3), chunked_gzip.part(b"Hamme", 3)]
    other = [chunked_gzip.part(b"Bochum", 3), chunked_gzip.part(b"Hamm", 3)]
    assert chunked_gzip.digest(first) == chunked_gzip.digest(again)
    assert chunked_gzip.digest(first) != chunked_gzip.digest(other)
    assert chunked_gzip.fixed_part(b",", 3) is chunked_gzip.fixed_part(b",", 3)


@pytest.mark.skipif(not shutil.which("gzip"), reason="no gzip command")
def test_the_gzip_command_reads_and_checks_it(tmp_path):
    pieces = texts(random.Random(9))
    path = tmp_path / "file.gz"
    path.write_bytes(chunked_gzip.member(chunked_gzip.part(t, 3) for t in pieces))
    subprocess.run(["gzip", "--test", str(path)], check=True)
    assert subprocess.run(["gzip", "-dc", str(path)], check=True,
                          capture_output=True).stdout == b"".join(pieces)
