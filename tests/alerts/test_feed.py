"""/karte.atom: valid Atom (RFC 4287), newest published first, filtered like /karte."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from campaign.models import utcnow

NS = {"a": "http://www.w3.org/2005/Atom"}


def parse(client, query: str = ""):
    response = client.get("/karte.atom" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ElementTree.fromstring(response.data)  # noqa: S314 - our own output


def test_feed_lists_matching_entries_newest_published_first(client, publish):
    now = utcnow()
    publish(name="Alte Bäckerei", slug="alte-baeckerei", offers=["ausbildung"], district="Wattenscheid",
            quarter="Höntrop", published_at=now - timedelta(days=3))
    publish(name="Neue Tischlerei", slug="neue-tischlerei", offers=["ausbildung"], district="Wattenscheid",
            quarter="Höntrop", published_at=now - timedelta(hours=1))
    publish(name="Praktikum Mitte", offers=["praktikum"], published_at=now - timedelta(minutes=5))
    feed = parse(client, "?offers=ausbildung&district=Wattenscheid")
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = feed.findall("a:entry", NS)
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == ["Neue Tischlerei", "Alte Bäckerei"]
    first = entries[0]
    assert first.findtext("a:id", namespaces=NS) == "https://tueren.example.org/betrieb/neue-tischlerei"
    assert first.find("a:link", NS).get("href") == "https://tueren.example.org/betrieb/neue-tischlerei"
    assert first.findtext("a:updated", namespaces=NS).endswith("Z")
    summary = first.find("a:summary", NS)
    assert summary.get("type") == "text" and "Du kannst fragen nach: Ausbildung" in summary.text
    assert "kontakt" not in ElementTree.tostring(feed, encoding="unicode")  # no private contact


def test_feed_head_is_complete(client, publish):
    publish(name="Bäckerei")
    feed = parse(client, "?district=Mitte")
    assert feed.findtext("a:id", namespaces=NS) == "https://tueren.example.org/karte.atom?district=Mitte"
    assert feed.findtext("a:title", namespaces=NS) == "Neue offene Türen in Bochum: Mitte"
    assert feed.findtext("a:updated", namespaces=NS)
    assert feed.findtext("a:author/a:name", namespaces=NS)
    rels = {link.get("rel"): link.get("href") for link in feed.findall("a:link", NS)}
    assert rels == {"self": "https://tueren.example.org/karte.atom?district=Mitte",
                    "alternate": "https://tueren.example.org/karte?district=Mitte"}


def test_markup_in_names_is_text(client, publish):
    publish(name="<b>Fett</b> & Co")
    raw = client.get("/karte.atom").get_data(as_text=True)
    assert "&lt;b&gt;Fett&lt;/b&gt; &amp; Co" in raw
    title = ElementTree.fromstring(raw.encode()).find("a:entry/a:title", NS)  # noqa: S314
    assert title.text == "<b>Fett</b> & Co"


def test_feed_is_valid_for_a_maintained_parser(client, publish):
    import feedparser

    publish(name="Bäckerei Sonne")
    parsed = feedparser.parse(client.get("/karte.atom").data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.entries[0].title == "Bäckerei Sonne"


def test_map_page_links_its_feed(client):
    page = client.get("/karte?offers=praktikum&district=Mitte").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="Neue offene Türen als Feed" '
            'href="/karte.atom?offers=praktikum&amp;district=Mitte">') in page
