"""/einbetten/karte and /admin/einbetten: framing only for listed origins, no cookies, links
into a new tab, the staff snippet."""

from __future__ import annotations

import html
import re

import pytest

from campaign.settings import embed_origins

PARTNERS = ["https://www.jobcenter.example", "http://localhost:8081"]


@pytest.fixture
def app_config():
    return {"EMBED_ORIGINS": PARTNERS}


def test_embed_may_be_framed_by_listed_origins_only(client, publish):
    publish(name="Bäckerei Sonne", offers=["praktikum"])
    response = client.get("/einbetten/karte?offers=praktikum")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.jobcenter.example http://localhost:8081" in policy
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert "Vary" not in response.headers or "Cookie" not in response.headers["Vary"]


def test_every_other_page_keeps_forbidding_frames(client):
    for path in ("/karte", "/", "/admin/login", "/gibt-es-nicht"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_embed_lists_the_filtered_entries_with_links_into_a_new_tab(client, publish):
    publish(name="Bäckerei Sonne", slug="baeckerei-sonne", offers=["praktikum"])
    publish(name="Autohaus Mond", offers=["ausbildung"])
    page = client.get("/einbetten/karte?offers=praktikum").get_data(as_text=True)
    assert "Bäckerei Sonne" in page and "Autohaus Mond" not in page
    assert "1 Betrieb gefunden" in page
    assert 'class="site-header"' not in page and 'class="site-footer"' not in page
    links = re.findall(r"<a [^>]*>", page)
    to_site = [link for link in links if 'href="/betrieb/' in link or 'href="/karte' in link]
    assert to_site and all('target="_blank" rel="noopener"' in link for link in to_site)
    assert '<a href="/betrieb/baeckerei-sonne" target="_blank" rel="noopener">Bäckerei Sonne<span class="visually-hidden"> (öffnet in neuem Tab)</span></a>' in page
    assert 'href="/karte?offers=praktikum"' in page
    assert '"slug": "baeckerei-sonne"' in html.unescape(page)


def test_embed_escapes_names(client, publish):
    publish(name='<img src=x onerror=alert(1)>')
    page = client.get("/einbetten/karte").get_data(as_text=True)
    assert "<img src=x" not in page


def test_staff_page_builds_the_snippet_for_the_chosen_filter(viewer):
    page = viewer.get("/admin/einbetten?district=Mitte&offers=ausbildung&q=%22x%22").get_data(as_text=True)
    src = "https://tueren.example.org/einbetten/karte?q=%22x%22&offers=ausbildung&district=Mitte"
    snippet = re.search(r'<textarea[^>]*readonly[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(snippet) == (
        f'<iframe src="{src.replace("&", "&amp;")}" title="Offene Türen in Bochum: Karte und Liste" '
        'width="100%" height="720" style="border:0" loading="lazy"></iframe>')
    assert f'<iframe class="embed-preview" src="{src.replace("&", "&amp;")}"' in page
    assert "https://www.jobcenter.example" in page and "http://localhost:8081" in page
    assert 'action="/admin/einbetten"' in page


def test_staff_page_needs_a_login(client):
    response = client.get("/admin/einbetten")
    assert response.status_code == 303 and "/admin/login" in response.headers["Location"]


@pytest.mark.parametrize("value", [
    '"https://a.example"', '["https://a.example/path"]', '["a.example"]', '["https://*.example"]',
    '["https://a.example:0"]', '["ftp://a.example"]', "[1]", "not json", '["https://a.example?x"]'])
def test_invalid_origins_stop_the_start_up(value):
    with pytest.raises(RuntimeError, match="CAMPAIGN_EMBED_ORIGINS"):
        embed_origins(value)


def test_origins_as_read_from_the_environment():
    """from_prefixed_env already decodes JSON; a plain string is decoded here."""
    assert embed_origins('["https://Schule.example:8443"]') == ["https://schule.example:8443"]
    assert embed_origins(["http://localhost:8081"]) == ["http://localhost:8081"]
    assert embed_origins("") == [] and embed_origins([]) == []


def test_without_partners_only_our_own_pages_may_frame_it(app, client):
    app.config["EMBED_ORIGINS"] = []
    response = client.get("/einbetten/karte")
    assert "frame-ancestors 'self';" in response.headers["Content-Security-Policy"] + ";"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
