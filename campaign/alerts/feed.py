"""The Atom feed (RFC 4287) of a filtered /karte view, newest published first. No I/O here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree

from campaign.entries.vocabulary import OFFER_LABELS

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50


@dataclass(frozen=True)
class FeedEntry:
    entry: dict  # public fields from the snapshot
    published: datetime
    updated: datetime


def rfc3339(moment: datetime) -> str:
    """Stored times are naive UTC."""
    return moment.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def summary(entry: dict) -> str:
    """Plain text of public fields (no "open now": a feed is read later); ElementTree escapes
    it and type="text" makes readers show it as text."""
    lines = [entry.get("description") or ""]
    offers = [str(OFFER_LABELS[code]) for code in entry["offers"] if code in OFFER_LABELS]
    if offers:
        lines.append("Du kannst fragen nach: " + ", ".join(offers))
    lines.append(f"{entry['street']}, {entry['postal_code']} {entry['city']}")
    return "\n".join(line for line in lines if line)


def newest_first(items: list[FeedEntry]) -> list[FeedEntry]:
    return sorted(items, key=lambda item: (item.published, item.entry["slug"]), reverse=True)


def _add(parent, tag: str, text: str | None = None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def build(*, title: str, self_url: str, alternate_url: str, author: str, fallback_updated: datetime,
          items: list[FeedEntry], page_url: Callable[[str], str]) -> bytes:
    ElementTree.register_namespace("", ATOM)
    items = newest_first(items)[:MAX_ENTRIES]
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"xml:lang": "de"})
    _add(feed, "id", self_url)
    _add(feed, "title", title)
    _add(feed, "updated", rfc3339(max((i.updated for i in items), default=fallback_updated)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    _add(_add(feed, "author"), "name", author)
    for item in items:
        url = page_url(item.entry["slug"])
        node = _add(feed, "entry")
        _add(node, "id", url)
        _add(node, "title", item.entry["name"])
        _add(node, "published", rfc3339(item.published))
        _add(node, "updated", rfc3339(item.updated))
        _add(node, "link", rel="alternate", type="text/html", href=url)
        _add(node, "summary", summary(item.entry), type="text")
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
