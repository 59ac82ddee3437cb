"""Sticker PDFs for the campaign: employer display data and short link in, PDF bytes out.

Pure library code: no Flask imports, so the CLI, the admin views and tests all call it directly.
The parts load on first use: reportlab, qrcode and Pillow add about 11 MB to a process, and most
web workers never draw a sticker.
"""

import importlib

_WHERE = {"FORMATS": "formats", "Branding": "model", "StickerData": "model",
          "UnprintableText": "printable", "check_printable": "printable",
          "render_batch": "render", "render_sticker": "render"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
