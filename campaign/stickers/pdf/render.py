"""Render stickers into one PDF: static artwork as reusable forms, per-sticker parts per page."""

import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from campaign.stickers.pdf.briefing import PAGE as BRIEFING_PAGE
from campaign.stickers.pdf.briefing import draw_briefing
from campaign.stickers.pdf.fonts import REGULAR, SUBSET_LOCK, ensure_fonts
from campaign.stickers.pdf.formats import FORMATS, Format
from campaign.stickers.pdf.model import Branding, StickerData, color
from campaign.stickers.pdf.printable import UnprintableText, printable
from campaign.stickers.pdf.printshop import Extents, crop_marks, start_page

_SCHEMES = ("https://", "http://")
DEFAULT_BRANDING = Branding()


class _Document:
    """One PDF being written: canvas, format, branding and the forms for the static artwork."""

    def __init__(self, out: BinaryIO, fmt: Format, branding: Branding, bleed: bool):
        ensure_fonts()
        self.fmt, self.branding, self.bleed = fmt, branding, bleed
        self.canvas = Canvas(
            out,
            pagesize=fmt.page,
            pageCompression=1,
            invariant=1,
            initialFontName=REGULAR,
            lang="de-DE",
        )
        self.canvas.setTitle(f"{branding.campaign_name} – {fmt.title}")
        self.canvas.setAuthor(f"Stadt {branding.city_name}")
        self.canvas.setSubject(f"{branding.campaign_name} – {branding.claim}")
        self.canvas.setCreator(branding.campaign_name)
        self.forms = {ext: self._form(i, ext) for i, ext in enumerate(self._extents())}

    def _extents(self) -> list[Extents]:
        """Return the distinct bleed extents the slots of this format need."""
        return list(dict.fromkeys(slot.extents(self.bleed) for slot in self.fmt.slots))

    def _form(self, index: int, ext: Extents) -> str:
        """Draw the static artwork once as a form XObject and return its name."""
        name = f"Static{index}"
        w, h = self.fmt.face.size
        self.canvas.beginForm(name, -ext.left, -ext.bottom, w + ext.right, h + ext.top)
        self.fmt.face.draw_static(self.canvas, self.branding, ext)
        self.canvas.endForm()
        return name

    def add_page(self, items: list[StickerData]) -> None:
        """Add one page holding up to ``fmt.per_page`` stickers."""
        offset = start_page(self.canvas, self.fmt.page, self.bleed)
        self.canvas.translate(offset, offset)
        for slot, data in zip(self.fmt.slots, items, strict=False):
            self.canvas.saveState()
            self.canvas.translate(slot.x, slot.y)
            self.canvas.scale(slot.scale, slot.scale)
            self.canvas.doForm(self.forms[slot.extents(self.bleed)])
            self.fmt.face.draw_variable(self.canvas, data, self.branding)
            self.canvas.restoreState()
        if self.bleed:
            crop_marks(self.canvas, self.fmt.page, self.fmt.cuts)
        self.canvas.showPage()

    def add_briefing(self, data: StickerData) -> None:
        """Add the A4 reception briefing for the employer's staff."""
        start_page(self.canvas, BRIEFING_PAGE, False)
        draw_briefing(self.canvas, data, self.branding)
        self.canvas.showPage()

    def save(self) -> None:
        """Write the finished PDF. Embedding the font subsets reads the shared font files
        through one cursor per face, so two documents must not do it at the same time."""
        with SUBSET_LOCK:
            self.canvas.save()


def render_sticker(
    data: StickerData,
    fmt: str = "a6",
    *,
    branding: Branding = DEFAULT_BRANDING,
    bleed: bool = False,
    briefing: bool = False,
) -> bytes:
    """Return a PDF with one sticker (an A4 sheet holds four copies), optionally a briefing."""
    layout, checked = _prepare(fmt, branding), _checked(data)
    out = io.BytesIO()
    document = _Document(out, layout, branding, bleed)
    document.add_page([checked] * layout.per_page)
    if briefing:
        document.add_briefing(checked)
    document.save()
    return out.getvalue()


def render_batch(
    items: Iterable[StickerData],
    out: BinaryIO,
    fmt: str = "a6",
    *,
    branding: Branding = DEFAULT_BRANDING,
    bleed: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one PDF with a sticker per item to ``out`` and return how many were drawn."""
    layout = _prepare(fmt, branding)
    document, done = None, 0
    for page in _pages(items, layout.per_page):
        document = document or _Document(out, layout, branding, bleed)
        document.add_page(page)
        for _ in page:
            done += 1
            if progress:
                progress(done)
    if document is None:
        raise ValueError("Keine Aufkleber zum Drucken: die Auswahl ist leer.")
    document.save()
    return done


def _pages(items: Iterable[StickerData], size: int) -> Iterator[list[StickerData]]:
    """Yield checked items in page-sized groups without reading ahead further."""
    checked = (_checked(data, n) for n, data in enumerate(items, start=1))
    while page := list(islice(checked, size)):
        yield page


def _prepare(fmt: str, branding: Branding) -> Format:
    """Look up the format and check the branding texts and colours."""
    if fmt not in FORMATS:
        raise ValueError(f"Unbekanntes Format {fmt!r}; möglich sind: {', '.join(FORMATS)}.")
    for text in (branding.campaign_name, branding.claim, branding.city_name, branding.contact_line):
        printable(text)
    for hex_value in (branding.primary_color, branding.accent_color):
        color(hex_value)
    return FORMATS[fmt]


def _checked(data: StickerData, number: int | None = None) -> StickerData:
    """Return ``data`` with its name in printable NFC form, or raise with a clear message."""
    where = f"Aufkleber Nr. {number}: " if number else ""
    if not data.name.strip():
        raise UnprintableText("empty", (), where)
    try:
        name = printable(data.name).strip()
    except UnprintableText as error:
        raise UnprintableText(error.reason, error.characters, where) from None
    _check_url(data.url, where)
    return StickerData(name=name, url=data.url)


def _check_url(url: str, where: str) -> None:
    """Accept only a plain absolute http(s) link made of visible ASCII characters."""
    visible = url.isascii() and url.isprintable() and " " not in url
    if not (visible and url.startswith(_SCHEMES)):
        raise ValueError(f"{where}Der Link {url!r} ist keine gültige http(s)-Adresse.")
