"""Wrap and shrink plain text into a box; text is only ever measured and drawn, never parsed."""

from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from campaign.stickers.pdf.fonts import BOLD, REGULAR, ensure_fonts, width

LEADING = 1.2
BASELINE = 0.27  # share of a line box below the baseline: room for descenders
ELLIPSIS = "…"


@dataclass(frozen=True)
class Box:
    """A rectangle in points: lower-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Block:
    """Lines of text set at one size, ready to draw."""

    lines: tuple[str, ...]
    size: float
    bold: bool

    @property
    def height(self) -> float:
        """Return the height of the block in points."""
        return len(self.lines) * self.size * LEADING


@lru_cache(maxsize=8192)
def _unit_width(text: str, bold: bool) -> float:
    """Return the width of ``text`` at 1 pt; reportlab does no kerning, so widths add up."""
    ensure_fonts()
    return width(text, bold, 1.0)


def wrap(text: str, bold: bool, max_units: float) -> list[str]:
    """Break ``text`` at spaces into lines of at most ``max_units`` (width at 1 pt)."""
    lines: list[str] = []
    current = ""
    for word in (w for w in text.split(" ") if w):
        candidate = f"{current} {word}" if current else word
        if _width_of(candidate, bold) <= max_units:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _break_word(word, bold, max_units)
        lines.extend(full)
    return [*lines, current] if current else lines


def _width_of(text: str, bold: bool) -> float:
    """Return the width at 1 pt from cached character widths."""
    return sum(_unit_width(ch, bold) for ch in text)


def _break_word(word: str, bold: bool, max_units: float) -> list[str]:
    """Split a word that is too long for one line anywhere; the result is never empty."""
    pieces, current, used = [], "", 0.0
    for ch in word:
        advance = _unit_width(ch, bold)
        if current and used + advance > max_units:
            pieces.append(current)
            current, used = "", 0.0
        current += ch
        used += advance
    return [*pieces, current]


def fit(text: str, box: Box, bold: bool, max_size: float, min_size: float) -> Block:
    """Set ``text`` as large as it fits into ``box``, shrinking to ``min_size`` and then cutting."""
    size = max_size
    while True:
        lines = wrap(text, bold, box.w / size)
        if len(lines) * size * LEADING <= box.h + 0.01 or size <= min_size:
            break
        size = max(min_size, size - 0.5)
    room = max(1, int((box.h + 0.01) // (size * LEADING)))
    if len(lines) > room:
        lines = [*lines[: room - 1], _cut(" ".join(lines[room - 1 :]), bold, box.w / size)]
    return Block(tuple(lines), size, bold)


def _cut(text: str, bold: bool, max_units: float) -> str:
    """Shorten ``text`` to one line ending in an ellipsis."""
    budget = max_units - _width_of(ELLIPSIS, bold)
    kept, used = "", 0.0
    for ch in text:
        used += _unit_width(ch, bold)
        if used > budget:
            break
        kept += ch
    return kept.rstrip() + ELLIPSIS


def draw(canvas: Canvas, block: Block, box: Box, align: str = "center") -> None:
    """Draw ``block`` vertically centred in ``box``; align is "center" or "left"."""
    canvas.setFont(BOLD if block.bold else REGULAR, block.size)
    line_h = block.size * LEADING
    top = box.y + box.h - (box.h - block.height) / 2
    for i, line in enumerate(block.lines):
        y = top - (i + 1) * line_h + BASELINE * line_h
        if align == "center":
            canvas.drawCentredString(box.x + box.w / 2, y, line)
        else:
            canvas.drawString(box.x, y, line)


def fit_and_draw(
    canvas: Canvas,
    text: str,
    box: Box,
    bold: bool,
    sizes: tuple[float, float],
    align: str = "center",
) -> Block:
    """Fit ``text`` into ``box`` between ``sizes`` (max, min) and draw it."""
    block = fit(text, box, bold, *sizes)
    draw(canvas, block, box, align)
    return block
