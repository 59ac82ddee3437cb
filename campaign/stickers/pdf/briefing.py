"""A one-page A4 briefing for the employer's reception staff, in German (Sie-form)."""

from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from campaign.stickers.pdf.faces import INK
from campaign.stickers.pdf.fonts import BOLD, REGULAR
from campaign.stickers.pdf.logo import draw_logo
from campaign.stickers.pdf.model import Branding, StickerData, color
from campaign.stickers.pdf.textfit import LEADING, Box, draw, fit, fit_and_draw, wrap

PAGE = A4
_LEFT, _TEXT_W = 20 * mm, 170 * mm
_STEPS = (
    "Begrüßen Sie die Person freundlich. Hereinzukommen kostet Mut – "
    "damit ist der erste Schritt schon getan.",
    "Nehmen Sie sich ein paar Minuten Zeit. Passt es gerade nicht, nennen Sie einen Zeitpunkt, "
    "zu dem jemand Zeit hat.",
    "Sagen Sie, wen man fragen kann: die zuständige Person mit Namen (unten eintragen).",
    "Bieten Sie ein kurzes Gespräch oder einen Blick in den Betrieb an – gleich oder zu einem "
    "vereinbarten Termin.",
    "Ein Lebenslauf oder eine Bewerbung ist nicht nötig. Fragen Sie, ob Sie Name und "
    "Telefonnummer notieren dürfen, damit sich jemand meldet.",
)


class _Flow:
    """Writes headings, paragraphs and numbered steps down the page."""

    def __init__(self, canvas: Canvas, top: float):
        self.canvas, self.y = canvas, top

    def heading(self, text: str, fill: Color) -> None:
        """Write a section heading."""
        self.y -= 7 * mm
        self.canvas.setFillColor(fill)
        self._lines(text, BOLD, 13, _LEFT, _TEXT_W)
        self.y -= 1.5 * mm

    def paragraph(self, text: str, x: float = _LEFT, w: float = _TEXT_W) -> None:
        """Write a paragraph in the body style."""
        self.canvas.setFillColor(INK)
        self._lines(text, REGULAR, 11, x, w)

    def step(self, number: int, text: str) -> None:
        """Write a numbered step with a hanging indent."""
        self.canvas.setFillColor(INK)
        self.canvas.setFont(BOLD, 11)
        self.canvas.drawString(_LEFT, self.y - 11 * 0.95, f"{number}.")
        self.paragraph(text, _LEFT + 7 * mm, _TEXT_W - 7 * mm)
        self.y -= 1.5 * mm

    def _lines(self, text: str, font: str, size: float, x: float, w: float) -> None:
        """Wrap ``text`` to ``w`` and draw it from the current height downwards."""
        self.canvas.setFont(font, size)
        for line in wrap(text, font == BOLD, w / size):
            self.y -= size * LEADING
            self.canvas.drawString(x, self.y + size * 0.25, line)


def draw_briefing(canvas: Canvas, data: StickerData, branding: Branding) -> None:
    """Draw the briefing page for ``data``'s employer."""
    primary = color(branding.primary_color)
    _header(canvas, branding)
    canvas.setFillColor(INK)
    fit_and_draw(canvas, "Hinweise für Ihren Empfang", _box(52, 10), True, (20, 12), "left")
    canvas.setFillColor(primary)
    fit_and_draw(canvas, data.name, _box(63, 12), True, (15, 7), "left")
    flow = _Flow(canvas, PAGE[1] - 76 * mm)
    flow.heading("Worum geht es?", primary)
    flow.paragraph(_about(branding))
    flow.heading("Wenn jemand hereinkommt und fragt", primary)
    for number, text in enumerate(_STEPS, start=1):
        flow.step(number, text)
    _ask_for(canvas, flow, primary)
    _contact(canvas, flow, data, branding)


def _header(canvas: Canvas, branding: Branding) -> None:
    """Draw the campaign band across the top of the page."""
    primary, accent = color(branding.primary_color), color(branding.accent_color)
    canvas.setFillColor(primary)
    canvas.rect(0, PAGE[1] - 40 * mm, PAGE[0], 40 * mm, stroke=0, fill=1)
    draw_logo(canvas, _box(8, 24, x=20, w=17), primary, accent)
    canvas.setFillColor(white)
    fit_and_draw(canvas, branding.campaign_name, _box(10, 12, x=43, w=147), True, (26, 14), "left")
    canvas.setFillColor(accent)
    fit_and_draw(canvas, branding.claim, _box(23, 9, x=43, w=147), False, (14, 9), "left")


def _ask_for(canvas: Canvas, flow: _Flow, primary: Color) -> None:
    """Leave lines where the staff write down whom young people should ask."""
    flow.heading("Bei uns fragen Sie nach", primary)
    for label in ("Name:", "Telefon / Durchwahl:"):
        flow.y -= 9 * mm
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, 11)
        canvas.drawString(_LEFT, flow.y, label)
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(INK)
        canvas.line(_LEFT + 42 * mm, flow.y - 1, _LEFT + _TEXT_W, flow.y - 1)


def _contact(canvas: Canvas, flow: _Flow, data: StickerData, branding: Branding) -> None:
    """Name whom to call at the city and where the employer's entry is."""
    primary = color(branding.primary_color)
    flow.heading("Fragen zur Aktion? Ihr Kontakt bei der Stadt", primary)
    contact = branding.contact_line or f"Stadt {branding.city_name}, Team {branding.campaign_name}"
    block = fit(contact, Box(_LEFT, 0, _TEXT_W, 3 * 11 * LEADING), False, 11, 7)
    canvas.setFillColor(INK)
    draw(canvas, block, Box(_LEFT, flow.y - block.height, _TEXT_W, block.height), "left")
    flow.y -= block.height + 2 * mm
    flow.paragraph(f"Ihr Eintrag, zu dem auch der QR-Code führt: {data.url}")
    canvas.setFillColor(primary)
    fit_and_draw(
        canvas,
        "Bitte hängen Sie dieses Blatt gut sichtbar am Empfang aus.",
        Box(_LEFT, 15 * mm, _TEXT_W, 8 * mm),
        True,
        (11, 8),
        "left",
    )


def _about(branding: Branding) -> str:
    """Explain the campaign in two sentences."""
    return (
        f"„{branding.campaign_name} – {branding.claim}“ ist eine Aktion der Stadt "
        f"{branding.city_name}. Der Aufkleber an Ihrer Tür zeigt jungen Menschen und allen, die "
        "einen Einstieg suchen: Hier darf man ohne Termin hereinkommen und unverbindlich nach "
        "Ausbildung, Praktikum oder Job fragen. Ihr Betrieb macht mit – vielen Dank!"
    )


def _box(top_mm: float, h_mm: float, x: float = 20, w: float = 170) -> Box:
    """Return a box given in mm from the page's left and top edges."""
    return Box(x * mm, PAGE[1] - (top_mm + h_mm) * mm, w * mm, h_mm * mm)
