"""The campaign at a glance: numbers as text, charts as pictures with tables beside them."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from campaign.admin import charts, stats
from campaign.admin.access import bp
from campaign.entries.dropin import local_now
from campaign.outbox.undeliverable import undeliverable_count


def figures() -> dict:
    city = current_app.extensions["campaign_city"]
    today = local_now().date()
    quarters = stats.published_by_quarter(city)
    return {
        "by_status": stats.counts_by_status(),
        "districts": stats.published_by_district(city),
        "quarters": quarters,
        "offers": stats.published_by_offer(),
        "sectors": stats.published_by_sector(city),
        "signups": stats.signups_per_week(today),
        "publications": stats.publications_per_week(today),
        "scans": stats.scans_per_week(today),
        "focus": stats.focus_share(quarters),
        "open_reports": stats.open_report_count(),
        "freshness": stats.freshness_counts(),
        "undeliverable_mails": undeliverable_count(),
    }


def pictures(data: dict) -> dict:
    return {
        "quarters": charts.bar_chart("chart-quarters", _("Freigegebene Betriebe je Stadtteil"),
                                     data["quarters"]),
        "offers": charts.bar_chart("chart-offers", _("Angebote der freigegebenen Betriebe"),
                                   data["offers"]),
        "signups": charts.column_chart("chart-signups", _("Anmeldungen je Woche"),
                                       data["signups"]),
        "publications": charts.column_chart("chart-publications", _("Freigaben je Woche"),
                                            data["publications"]),
        "scans": charts.column_chart("chart-scans", _("QR-Code-Aufrufe je Woche"), data["scans"]),
    }


@bp.get("/")
def dashboard():
    data = figures()
    return render_template("admin/dashboard.html", data=data, charts=pictures(data))
