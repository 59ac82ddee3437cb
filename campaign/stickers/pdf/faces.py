"""Sticker faces: where logo, claim, name, QR code and link sit on a portrait or round sticker."""

from dataclasses import dataclass

from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from campaign.stickers.pdf.logo import draw_logo
from campaign.stickers.pdf.model import Branding, StickerData, color
from campaign.stickers.pdf.printshop import Extents
from campaign.stickers.pdf.qr import draw_qr
from campaign.stickers.pdf.textfit import Box, fit_and_draw

INVITATION = "Hier kannst du unverbindlich nachfragen"
# What the sticker means, in two lines on the pill: the first is the promise, the second what to ask.
MESSAGE = ("Ohne Termin fragen:", "Ausbildung · Praktikum · Job")
INK = HexColor("#1d1d1b")


@dataclass(frozen=True)
class PortraitFace:
    """A 105 mm wide upright sticker; the height absorbs the A6 / half-A4 difference."""

    height_mm: float

    @property
    def size(self) -> tuple[float, float]:
        """Return (width, height) in points."""
        return 105 * mm, self.height_mm * mm

    def box(self, x: float, top: float, w: float, h: float) -> Box:
        """Return a box given in mm from the left and top edges."""
        return Box(x * mm, (self.height_mm - top - h) * mm, w * mm, h * mm)

    def draw_static(self, canvas: Canvas, branding: Branding, ext: Extents) -> None:
        """Draw everything that is the same on every sticker of a campaign."""
        self._bands(canvas, branding, ext)
        draw_logo(canvas, self.box(9, 7, 17, 24), *_colours(branding))
        canvas.setFillColor(white)
        fit_and_draw(
            canvas, branding.campaign_name, self.box(31, 8, 68, 13), True, (21, 10), "left"
        )
        fit_and_draw(
            canvas,
            f"Eine Aktion der Stadt {branding.city_name}",
            self.box(8, self.height_mm - 11, 89, 11),
            False,
            (8, 5),
        )
        canvas.setFillColor(color(branding.accent_color))
        fit_and_draw(canvas, branding.claim, self.box(31, 21, 68, 9), False, (11, 7), "left")
        canvas.setFillColor(INK)
        fit_and_draw(canvas, INVITATION, self.box(8, 57.5, 89, 5), False, (10, 6))
        canvas.setFillColor(color(branding.accent_color))
        _pill(canvas, self.pill)
        canvas.setFillColor(INK)
        for text, box, sizes in self.message_lines():
            fit_and_draw(canvas, text, box, True, sizes)

    @property
    def pill(self) -> Box:
        """Return the accent-coloured box that carries the message."""
        return self.box(8, 63, 89, 16)

    def message_lines(self) -> list[tuple[str, Box, tuple[float, float]]]:
        """Return each line of the message with its box and (largest, smallest) size."""
        return [(MESSAGE[0], self.box(10, 64.5, 85, 6.5), (15, 9)),
                (MESSAGE[1], self.box(10, 71.5, 85, 6.5), (15, 9))]

    def _bands(self, canvas: Canvas, branding: Branding, ext: Extents) -> None:
        """Draw the header, accent stripe and footer, running into the bleed where there is one."""
        primary, accent = _colours(branding)
        w, h = self.size
        left, right = -ext.left, w + ext.right
        _band(canvas, primary, left, h - 38 * mm, right, h + ext.top)
        _band(canvas, accent, left, h - 39.5 * mm, right, h - 38 * mm)
        _band(canvas, primary, left, -ext.bottom, right, 11 * mm)

    def draw_variable(self, canvas: Canvas, data: StickerData, branding: Branding) -> None:
        """Draw the employer's name, QR code and short link."""
        canvas.setFillColor(color(branding.primary_color))
        fit_and_draw(canvas, data.name, self.box(8, 42, 89, 15), True, (20, 5.5))
        draw_qr(canvas, data.url, self.box(29.5, 80.5, 46, 46))
        canvas.setFillColor(INK)
        _link(canvas, data.url, self.box(8, 127.5, 89, 6), (8.5, 5))


@dataclass(frozen=True)
class RoundFace:
    """A round sticker of 100 mm diameter on a square page."""

    @property
    def size(self) -> tuple[float, float]:
        """Return (width, height) in points."""
        return 100 * mm, 100 * mm

    def box(self, x: float, top: float, w: float, h: float) -> Box:
        """Return a box given in mm from the left and top edges."""
        return Box(x * mm, (100 - top - h) * mm, w * mm, h * mm)

    def draw_static(self, canvas: Canvas, branding: Branding, ext: Extents) -> None:
        """Draw the disc, logo, campaign name, claim, QR background and invitation."""
        primary, accent = _colours(branding)
        canvas.setFillColor(primary)
        canvas.circle(50 * mm, 50 * mm, 50 * mm + max(ext.left, ext.top), stroke=0, fill=1)
        draw_logo(canvas, self.box(45.5, 6, 9, 12.5), primary, accent)
        canvas.setFillColor(white)
        fit_and_draw(canvas, branding.campaign_name, self.box(15, 19.5, 70, 6), True, (13, 7))
        _pill(canvas, self.box(33.5, 32, 33, 33))
        canvas.setFillColor(accent)
        fit_and_draw(canvas, branding.claim, self.box(17, 25.5, 66, 4.5), False, (8, 5))
        for text, box, sizes in self.message_lines():
            fit_and_draw(canvas, text, box, True, sizes)

    @property
    def pill(self) -> Box:
        """Return the box that carries the message (no pill on the round disc)."""
        return self.box(18, 76.5, 64, 9)

    def message_lines(self) -> list[tuple[str, Box, tuple[float, float]]]:
        """Return each line of the message with its box and (largest, smallest) size."""
        return [(MESSAGE[0], self.box(20, 76.5, 60, 4.5), (9, 5)),
                (MESSAGE[1], self.box(20, 81, 60, 4.5), (9, 5))]

    def draw_variable(self, canvas: Canvas, data: StickerData, branding: Branding) -> None:
        """Draw the employer's name, QR code and short link."""
        draw_qr(canvas, data.url, self.box(33.5, 32, 33, 33))
        canvas.setFillColor(white)
        fit_and_draw(canvas, data.name, self.box(13, 66.5, 74, 9.5), True, (12, 4.5))
        _link(canvas, data.url, self.box(26, 86, 48, 4), (6.5, 4))


def _colours(branding: Branding) -> tuple:
    """Return the primary and accent colours."""
    return color(branding.primary_color), color(branding.accent_color)


def _band(canvas: Canvas, fill, x0: float, y0: float, x1: float, y1: float) -> None:
    """Fill the rectangle between two corners."""
    canvas.setFillColor(fill)
    canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)


def _pill(canvas: Canvas, box: Box) -> None:
    """Fill ``box`` with rounded corners in the current fill colour."""
    canvas.roundRect(box.x, box.y, box.w, box.h, 2 * mm, stroke=0, fill=1)


def _link(canvas: Canvas, url: str, box: Box, sizes: tuple[float, float]) -> None:
    """Print the short link in clear text and make it clickable in PDF viewers."""
    fit_and_draw(canvas, url, box, False, sizes)
    canvas.linkURL(url, (box.x, box.y, box.x + box.w, box.y + box.h), relative=1, thickness=0)
