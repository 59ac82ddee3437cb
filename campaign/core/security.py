"""Response headers and request hygiene for every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, request

from campaign.settings import uses_https

PRIVATE_PREFIXES = ("/admin", "/mein-eintrag", "/bestaetigen", "/benachrichtigung")


def tile_origin(tile_url: str) -> str:
    """The CSP source for the configured tile server; "{s}" subdomains become a wildcard."""
    parts = urlsplit(tile_url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def content_security_policy(tile_url: str, frame_ancestors: str = "'none'") -> str:
    return "; ".join([
        "default-src 'self'",
        f"img-src 'self' data: {tile_origin(tile_url)}".strip(),
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


def framing_allowed_for(config, origins: list[str]) -> str:
    """The CSP for a page other sites may frame: our own origin (the staff preview) and the
    listed ones. SecurityHeaders then leaves out X-Frame-Options, which cannot list origins."""
    return content_security_policy(config["TILE_URL"], " ".join(["'self'", *origins]))


def _frames_allowed(headers) -> bool:
    return any(name.lower() == "content-security-policy" and "frame-ancestors 'none'" not in value
               for name, value in headers)


def security_headers(config) -> list[tuple[str, str]]:
    headers = [
        ("Content-Security-Policy", content_security_policy(config["TILE_URL"])),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if uses_https(config):
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


class SecurityHeaders:
    """WSGI middleware adding the same headers to every response, error pages included.

    The header list is built once; a response may set its own value of any of them
    (e.g. a stricter CSP). A response whose own CSP allows framing gets no X-Frame-Options.
    Private pages are never stored by browsers or proxies.
    """

    def __init__(self, wsgi_app, headers: list[tuple[str, str]]):
        self.wsgi_app = wsgi_app
        self.headers = headers

    def __call__(self, environ, start_response):
        private = environ.get("PATH_INFO", "").startswith(PRIVATE_PREFIXES)

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            if _frames_allowed(headers):
                present.add("x-frame-options")
            headers.extend(h for h in self.headers if h[0].lower() not in present)
            if private:
                headers[:] = [h for h in headers if h[0].lower() != "cache-control"]
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def reject_nul_bytes():
    """PostgreSQL refuses NUL in text: answer 400 before any query sees it."""
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
    ):
        abort(400)
