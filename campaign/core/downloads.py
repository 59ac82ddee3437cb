"""File downloads: the Content-Disposition header every attachment gets."""

from __future__ import annotations

from urllib.parse import quote


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the exact UTF-8 name."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
