"""Sticker PDFs for the campaign: employer display data and short link in, PDF bytes out.

Pure library code: no Flask imports, so the CLI, the admin views and tests all call it directly.
"""

from .formats import FORMATS
from .model import Branding, StickerData
from .printable import UnprintableText, check_printable
from .render import render_batch, render_sticker

__all__ = [
    "FORMATS",
    "Branding",
    "StickerData",
    "UnprintableText",
    "check_printable",
    "render_batch",
    "render_sticker",
]
