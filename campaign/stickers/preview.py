"""The real sticker as a picture for the start page, so people recognise it on a door.

Rendered from the sticker library itself (same PDF the print shop gets, rasterised in-process
with PDFium, under its lock), once per process: branding and public URL do not change while it
runs.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass

from flask import current_app

from campaign.stickers import pdf, pdfium
from campaign.stickers.files import branding

SAMPLE_NAME = "Name des Betriebs"
SCALE = 2  # 144 dpi: sharp at about 300 CSS pixels on a phone screen
_lock = threading.Lock()


@dataclass(frozen=True)
class Preview:
    png: bytes
    etag: str


def render_png(data: pdf.StickerData, fmt: str = "a6") -> bytes:
    """Rasterise the sticker PDF's first page to PNG bytes."""
    rendered = pdf.render_sticker(data, fmt, branding=branding())
    with pdfium.LOCK:
        document = pdfium.library().PdfDocument(rendered)
        try:
            bitmap = document[0].render(scale=SCALE)
            image = bitmap.to_pil().copy()  # pixels of our own: the bitmap is freed in the lock
            bitmap.close()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def sticker_preview() -> Preview:
    """The A6 door sticker with a sample name; its QR code leads to the campaign's start page."""
    cached = current_app.extensions.get("campaign_sticker_preview")
    if cached is None:
        with _lock:
            cached = current_app.extensions.get("campaign_sticker_preview")
            if cached is None:
                url = current_app.config["PUBLIC_URL"].rstrip("/") + "/"
                png = render_png(pdf.StickerData(name=SAMPLE_NAME, url=url))
                cached = Preview(png, hashlib.sha256(png).hexdigest()[:20])
                current_app.extensions["campaign_sticker_preview"] = cached
    return cached
