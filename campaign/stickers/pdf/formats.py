"""The printable formats: page size, sticker face and where each sticker sits on the page."""

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from campaign.stickers.pdf.faces import PortraitFace, RoundFace
from campaign.stickers.pdf.printshop import BLEED, Extents


@dataclass(frozen=True)
class Slot:
    """One sticker position on a page: lower-left corner, scale and edges that touch the trim."""

    x: float
    y: float
    scale: float = 1.0
    outer: tuple[bool, bool, bool, bool] = (True, True, True, True)  # left, bottom, right, top

    def extents(self, bleed: bool) -> Extents:
        """Return how far this sticker's artwork runs past its edges, in face units."""
        b = BLEED if bleed else 0.0
        return Extents(*(b if edge else 0.0 for edge in self.outer)).scaled(self.scale)


@dataclass(frozen=True)
class Format:
    """A page layout for stickers."""

    name: str
    title: str
    page: tuple[float, float]
    face: PortraitFace | RoundFace
    slots: tuple[Slot, ...]
    cuts: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())

    @property
    def per_page(self) -> int:
        """Return how many stickers fit on one page."""
        return len(self.slots)


_HALF_W, _HALF_H = A4[0] / 2, A4[1] / 2
_SHEET = (
    Slot(0, _HALF_H, outer=(True, False, False, True)),
    Slot(_HALF_W, _HALF_H, outer=(False, False, True, True)),
    Slot(0, 0, outer=(True, True, False, False)),
    Slot(_HALF_W, 0, outer=(False, True, True, False)),
)

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("a6", "Türaufkleber A6", (105 * mm, 148 * mm), PortraitFace(148), (Slot(0, 0),)),
        Format(
            "round", "Runder Aufkleber 100 mm", (100 * mm, 100 * mm), RoundFace(), (Slot(0, 0),)
        ),
        Format("a4-poster", "Plakat A4", A4, PortraitFace(148.5), (Slot(0, 0, scale=2.0),)),
        Format(
            "a4-sheet",
            "A4-Bogen mit 4 Aufklebern A6",
            A4,
            PortraitFace(148.5),
            _SHEET,
            ((_HALF_W,), (_HALF_H,)),
        ),
    )
}
