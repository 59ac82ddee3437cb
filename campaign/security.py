"""Response headers and request hygiene for every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, request

from .settings import uses_https

PRIVATE_PREFIXES = ("/admin", "/mein-eintrag", "/bestaetigen")


def tile_origin(tile_url: str) -> str:
    """The CSP source for the configured tile server; "{s}" subdomains become a wildcard."""
    parts = urlsplit(tile_url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def content_security_policy() -> str:
    tiles = tile_origin(current_app.config["TILE_URL"])
    return "; ".join([
        "default-src 'self'",
        f"img-src 'self' data: {tiles}".strip(),
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if uses_https(current_app.config):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.path.startswith(PRIVATE_PREFIXES):
        headers["Cache-Control"] = "no-store"
    return response


def reject_nul_bytes():
    """PostgreSQL refuses NUL in text: answer 400 before any query sees it."""
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
    ):
        abort(400)
