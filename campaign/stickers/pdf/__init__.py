"""Sticker PDFs for the campaign: employer display data and short link in, PDF bytes out.

Pure library code: no Flask imports, so the CLI, the admin views and tests all call it directly.
"""

from campaign.stickers.pdf.formats import FORMATS
from campaign.stickers.pdf.model import Branding, StickerData
from campaign.stickers.pdf.printable import UnprintableText, check_printable
from campaign.stickers.pdf.render import render_batch, render_sticker

__all__ = [
    "FORMATS",
    "Branding",
    "StickerData",
    "UnprintableText",
    "check_printable",
    "render_batch",
    "render_sticker",
]
