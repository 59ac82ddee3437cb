"""A geocoder on loopback that speaks Nominatim's (and Photon's) search API, for tests.

Each test sets `server.answer` (what the next requests get) and reads `server.requests`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class GeocoderServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.answered = threading.Event()  # set when a (possibly slow) answer was written
        self.answer = nominatim(51.4801, 7.2301)
        self.delay = 0.0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reset(self) -> None:
        self.requests.clear()
        self.answered.clear()
        self.answer, self.delay = nominatim(51.4801, 7.2301), 0.0

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                server.requests.append({"path": parts.path, "query": parse_qs(parts.query),
                                        "user_agent": self.headers.get("User-Agent", "")})
                time.sleep(server.delay)
                status, content_type, body = server.answer
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it should
                server.answered.set()

            def log_message(self, *args):
                pass

        return Handler


def nominatim(lat: float, lon: float) -> tuple[int, str, bytes]:
    hit = [{"place_id": 1, "lat": str(lat), "lon": str(lon), "display_name": "Testadresse"}]
    return 200, "application/json", json.dumps(hit).encode()


def photon(lat: float, lon: float) -> tuple[int, str, bytes]:
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"name": "Testadresse"}}]}
    return 200, "application/json", json.dumps(collection).encode()


GARBAGE = {
    "html": (200, "text/html", b"<html><body>Wartungsarbeiten</body></html>"),
    "invalid_json": (200, "application/json", b'[{"lat": "51.48", "lon": '),
    "outside_city": nominatim(52.5200, 13.4050),  # Berlin
    "no_hit": (200, "application/json", b"[]"),
    "server_error": (500, "text/plain", b"Internal Server Error"),
    "not_numbers": (200, "application/json", b'[{"lat": "NaN", "lon": "Infinity"}]'),
    "wrong_shape": (200, "application/json", b'{"error": "Unable to geocode"}'),
}
