"""Shared helpers for browser tests: axe scans, CSP/console watching, keyboard walks."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# A 1×1 transparent PNG: stands in for map tiles so no test depends on a tile server.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
TILES = "http://127.0.0.1:9/**"  # the live server's CAMPAIGN_TILE_URL


def serve_blank_tiles(context) -> None:
    context.route(TILES, lambda route: route.fulfill(status=200, body=PNG, content_type="image/png"))


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' ' + e.blockedURI));
"""


def axe_violations(page) -> list[str]:
    """Rule ids (with the first offending node) that break WCAG 2.1 A/AA on the current page."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in results.response["violations"]]


def watched_page(context):
    """A page that records console errors and CSP violations."""
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    # The console says only "Failed to load resource: … 404"; keep which one, for the report.
    page.on("response", lambda r: r.status >= 404 and page.console_errors.append(
        f"HTTP {r.status} {r.request.method} {r.url}"))
    return page


def unexpected_console_errors(page) -> list[str]:
    """Console errors, except the 400 a deliberately invalid form submission answers with."""
    return [e for e in page.console_errors if "status of 400" not in e]


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def tab_walk(page, steps: int) -> list[str]:
    """Press Tab `steps` times and return the id or name of each focused element."""
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            "(() => { const e = document.activeElement; return e.id || e.name || e.textContent.trim().slice(0, 40); })()"))
    return seen
