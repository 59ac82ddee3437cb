"""Embedded DejaVu Sans fonts, registered once per process and safe to call from threads."""

import threading
from importlib.util import find_spec
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "CampaignSans"
BOLD = "CampaignSans-Bold"
_PACKAGE = "rinoh_typeface_dejavusans"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
# reportlab's TTFontFace reads its font file through one shared position: the subsetting done
# while a PDF is written must not run in two threads at once (render.Document.save).
SUBSET_LOCK = threading.Lock()
_coverage: frozenset[int] | None = None


def ensure_fonts() -> frozenset[int]:
    """Register both fonts on first use and return the code points both of them can draw."""
    global _coverage
    if _coverage is None:
        with _lock:
            if _coverage is None:
                _coverage = _register()
    return _coverage


def _register() -> frozenset[int]:
    """Load the TTF files from the installed font package and register them with reportlab."""
    covered = None
    for name, filename in _FILES.items():
        font = TTFont(name, str(_font_dir() / filename))
        pdfmetrics.registerFont(font)
        glyphs = {cp for cp, gid in font.face.charToGlyph.items() if gid}
        covered = glyphs if covered is None else covered & glyphs
    return frozenset(covered)


def _font_dir() -> Path:
    """Find the font package's folder without importing it (its import parses every font)."""
    spec = find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Schriftpaket {_PACKAGE} fehlt: pip install rinoh-typeface-dejavusans")
    return Path(next(iter(spec.submodule_search_locations)))


def width(text: str, bold: bool, size: float) -> float:
    """Return the width of ``text`` in points."""
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)
