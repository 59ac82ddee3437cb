"""Print-shop pages: 3 mm bleed on every side, TrimBox/BleedBox and crop marks in the bleed."""

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

BLEED = 3 * mm
_GAP = 0.8 * mm  # crop marks stop short of the trim corner so they never print on the sticker


@dataclass(frozen=True)
class Extents:
    """How far artwork reaches past each edge of a sticker, in points."""

    left: float = 0.0
    bottom: float = 0.0
    right: float = 0.0
    top: float = 0.0

    def scaled(self, factor: float) -> "Extents":
        """Return the extents divided by ``factor`` (for faces drawn scaled up)."""
        return Extents(
            self.left / factor, self.bottom / factor, self.right / factor, self.top / factor
        )


def start_page(canvas: Canvas, trim: tuple[float, float], bleed: bool) -> float:
    """Size the next page (MediaBox = trim + bleed) and set its boxes; return the bleed width."""
    b = BLEED if bleed else 0.0
    w, h = trim
    canvas.setPageSize((w + 2 * b, h + 2 * b))
    canvas.setTrimBox((b, b, b + w, b + h) if bleed else None)
    canvas.setBleedBox((0, 0, w + 2 * b, h + 2 * b) if bleed else None)
    return b


def crop_marks(canvas: Canvas, trim: tuple[float, float], cuts: tuple[tuple[float, ...], ...]):
    """Draw crop marks for the trim edges and inner cuts (x positions, y positions) in the bleed."""
    w, h = trim
    xs, ys = (0.0, *cuts[0], w), (0.0, *cuts[1], h)
    canvas.saveState()
    for stroke, colour in ((1.0, (0, 0, 0, 0)), (0.25, (0, 0, 0, 1))):
        canvas.setLineWidth(stroke)
        canvas.setStrokeColorCMYK(*colour)
        for x in xs:
            canvas.line(x, -BLEED, x, -_GAP)
            canvas.line(x, h + _GAP, x, h + BLEED)
        for y in ys:
            canvas.line(-BLEED, y, -_GAP, y)
            canvas.line(w + _GAP, y, w + BLEED, y)
    canvas.restoreState()
