"""Another city file: its colours, logo and postal codes show up everywhere, bad colours stop start-up."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from campaign import create_app
from campaign.core.colours import IdentityProblem, contrast_ratio
from campaign.extensions import db
from campaign.models import Employer
from tests.conftest import base_config

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


def city_file(tmp_path, **changes) -> str:
    city = json.loads(resources.files("campaign.data").joinpath("bochum.json").read_text("utf-8"))
    city.update(changes)
    path = tmp_path / "stadt.json"
    path.write_text(json.dumps(city), encoding="utf-8")
    return str(path)


def app_with_city(tmp_path, path: str):
    return create_app({**base_config(f"sqlite:///{tmp_path / 'unused.sqlite'}", None),
                       "CITY_FILE": path})


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


class TestAnotherCity:
    @pytest.fixture
    def app_config(self, tmp_path):
        (tmp_path / "wappen.svg").write_text(LOGO, encoding="utf-8")
        return {"CITY_FILE": city_file(
            tmp_path, city_name="Herne", default_city="Herne", postal_code_range=["44623", "44653"],
            colors={"primary": "#7a1f3d", "accent": "#f2c200", "ink": "#1a1a1a"},
            logo={"file": "wappen.svg", "alt": "Stadt Herne"})}

    def test_every_page_wears_the_city_colours(self, client):
        page = client.get("/").get_data(as_text=True)
        stylesheet_url = page.split('<link rel="stylesheet" href="')[2].split('"')[0]
        assert stylesheet_url.startswith("/stadt.css?v=")
        css = client.get(stylesheet_url)
        assert css.mimetype == "text/css"
        assert "--primary: #7a1f3d" in css.get_data(as_text=True)
        assert "--accent: #f2c200" in css.get_data(as_text=True)
        assert css.cache_control.max_age == 365 * 24 * 3600

    def test_the_logo_is_on_every_page_with_its_alternative_text(self, client):
        for path in ("/", "/karte", "/mitmachen"):
            assert 'alt="Stadt Herne"' in client.get(path).get_data(as_text=True)
        logo = client.get("/stadt-logo")
        assert logo.mimetype == "image/svg+xml" and b"<svg" in logo.data

    def test_mail_headline_uses_the_city_colour(self, app):
        with app.test_request_context():
            from flask import render_template
            html = render_template("mail/_layout.html")
        assert "#7a1f3d" in html and "#004f9f" not in html

    def test_demo_data_uses_the_city_postal_codes(self, app, runner):
        result = runner.invoke(args=["campaign", "seed-demo", "--count", "30"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            rows = db.session.execute(db.select(Employer.postal_code, Employer.city)).all()
        assert len(rows) == 33
        assert all("44623" <= code <= "44653" and town == "Herne" for code, town in rows)


def test_bochum_has_no_logo_route(client):
    assert client.get("/stadt-logo").status_code == 404


@pytest.mark.parametrize(("colours", "named"), [
    ({"primary": "#8ab4f8", "accent": "#ffd500", "ink": "#0b0c0c"}, "colors.primary #8ab4f8"),
    ({"primary": "#004f9f", "accent": "#ffd500", "ink": "#9a9a9a"}, "colors.ink #9a9a9a"),
    ({"primary": "#004f9f", "accent": "gelb", "ink": "#0b0c0c"}, "colors.accent"),
])
def test_unreadable_colours_stop_the_start_with_a_clear_message(tmp_path, colours, named):
    with pytest.raises(IdentityProblem) as refused:
        app_with_city(tmp_path, city_file(tmp_path, colors=colours))
    assert named in str(refused.value)


def test_a_missing_logo_file_stops_the_start(tmp_path):
    path = city_file(tmp_path, logo={"file": "fehlt.svg", "alt": "Stadt X"})
    with pytest.raises(IdentityProblem, match="fehlt.svg"):
        app_with_city(tmp_path, path)
