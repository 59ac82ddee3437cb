"""QR codes as merged vector runs: small files, sharp at any print size."""

from collections.abc import Iterator
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from reportlab.lib.colors import white
from reportlab.pdfgen.canvas import Canvas

from campaign.stickers.pdf.textfit import Box

QUIET_ZONE = 4


def matrix(url: str) -> list[list[bool]]:
    """Return the module matrix for ``url``, quiet zone included, at error correction level Q."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def runs(rows: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """Yield (row, first column, length) for every horizontal run of dark modules."""
    for r, row in enumerate(rows):
        start = None
        for c, dark in enumerate([*row, False]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                yield r, start, c - start
                start = None


def draw_qr(canvas: Canvas, url: str, box: Box) -> None:
    """Draw the QR code for ``url`` filling the square ``box``, one unit per module."""
    n, operators = _vector(url)
    canvas.saveState()
    canvas.translate(box.x, box.y)
    canvas.scale(box.w / n, box.w / n)
    canvas.setFillColor(white)
    canvas.rect(0, 0, n, n, stroke=0, fill=1)
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.addLiteral(operators)
    canvas.restoreState()


@lru_cache(maxsize=64)
def _vector(url: str) -> tuple[int, str]:
    """Return the module count and path operators for ``url`` (a sheet repeats one code)."""
    rows = matrix(url)
    return len(rows), path_operators(rows)


def path_operators(rows: list[list[bool]]) -> str:
    """Return PDF operators filling every dark run as one path, in whole-module units.

    Written directly because every coordinate is a small integer: reportlab's general float
    formatting took most of the drawing time.
    """
    n = len(rows)
    rects = " ".join(f"{c} {n - 1 - r} {length} 1 re" for r, c, length in runs(rows))
    return f"{rects} f"
