"""The campaign logo: an open door with light falling out, drawn as vectors."""

from reportlab.lib.colors import Color, white
from reportlab.pdfgen.canvas import Canvas

from campaign.stickers.pdf.textfit import Box

_FRAME = (14, 22, 86, 140)
_OPENING = (23, 22, 77, 131)
_LEAF = ((23, 22), (23, 131), (47, 121), (47, 31))
_LIGHT = ((23, 22), (77, 22), (100, 0), (0, 0))


def draw_logo(canvas: Canvas, box: Box, primary: Color, accent: Color) -> None:
    """Draw the door into ``box`` (kept in proportion, centred) for a dark background."""
    scale = min(box.w / 100, box.h / 140)
    canvas.saveState()
    canvas.translate(box.x + (box.w - 100 * scale) / 2, box.y + (box.h - 140 * scale) / 2)
    canvas.scale(scale, scale)
    _rect(canvas, _FRAME, white)
    _rect(canvas, _OPENING, accent)
    _polygon(canvas, _LIGHT, accent)
    _polygon(canvas, _LEAF, primary)
    canvas.setFillColor(white)
    canvas.circle(41, 76, 3.2, stroke=0, fill=1)
    canvas.restoreState()


def _rect(canvas: Canvas, corners: tuple[float, float, float, float], fill: Color) -> None:
    """Fill the rectangle given as (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = corners
    canvas.setFillColor(fill)
    canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)


def _polygon(canvas: Canvas, points: tuple[tuple[float, float], ...], fill: Color) -> None:
    """Fill the closed polygon through ``points``."""
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.setFillColor(fill)
    canvas.drawPath(path, stroke=0, fill=1)
