"""Typed coordinates: a point inside the city, a clear message otherwise."""

from __future__ import annotations

import pytest
from wtforms.validators import ValidationError

from campaign.core.validators import point_in_city


def test_a_typed_point_in_the_city_is_kept_rounded(app):
    with app.app_context():
        assert point_in_city("51,48181234", "7.2162") == (51.481812, 7.2162)
        assert point_in_city("", "") is None


@pytest.mark.parametrize(("lat", "lon", "message"), [
    ("51.48", "", "als Zahlen"), ("nan", "7.2", "als Zahlen"), ("52.52", "13.40", "nicht in Bochum")])
def test_odd_or_distant_points_are_refused_with_a_reason(app, lat, lon, message):
    with app.app_context(), pytest.raises(ValidationError, match=message):
        point_in_city(lat, lon)
