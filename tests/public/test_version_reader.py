"""The per-request "has anything changed?" read survives a dropped connection."""

from __future__ import annotations

from campaign.core import audit
from campaign.extensions import db


def test_a_dropped_version_connection_is_replaced(app, client):
    assert client.get("/api/v1/employers.geojson").status_code == 200
    reader = app.extensions["campaign_snapshot"].versions
    reader.local.connection.dbapi_connection.close()  # as if the database had restarted
    with app.app_context():
        audit.public_data_changed()
        db.session.commit()
    first = client.get("/api/v1/employers.geojson")
    assert first.status_code == 200
    second = client.get("/api/v1/employers.geojson", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304
