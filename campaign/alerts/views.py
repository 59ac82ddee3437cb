"""The Atom feed of a filtered map, and subscribing to and leaving e-mail alerts."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _

from campaign.alerts import feed, matching, subscriptions
from campaign.alerts.forms import AlertForm
from campaign.core import links
from campaign.core.city import current_city
from campaign.core.forms import ActionForm
from campaign.core.text import casefold_email
from campaign.extensions import csrf, db, limiter
from campaign.public import search
from campaign.public.views import page_snapshot

bp = Blueprint("alerts", __name__)


def _with_query(url: str, filters: search.Filters) -> str:
    query = urlencode(filters.to_args())
    return url + (f"?{query}" if query else "")


@bp.get("/karte.atom")
def atom_feed():
    filters = search.parse(request.args, current_city())
    snapshot = page_snapshot()
    items = matching.feed_entries(snapshot, filters)
    city = current_city()
    body = feed.build(
        title=_("Neue offene Türen in %(city)s", city=city.city_name) + matching.describe(filters),
        self_url=_with_query(links.external("alerts.atom_feed"), filters),
        alternate_url=_with_query(links.external("public.map_page"), filters),
        author=city.operator["name"], fallback_updated=snapshot.changed_at or matching.now(),
        items=items, page_url=lambda slug: links.external("public.employer", slug=slug))
    response = current_app.response_class(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _address_key() -> str:
    return "alert:" + casefold_email(request.form.get("email", ""))[:254]


@bp.route("/benachrichtigung", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT_PER_ADDRESS"], methods=["POST"],
               key_func=_address_key)
def subscribe():
    filters = search.parse(request.args, current_city())
    form = AlertForm()
    if request.method == "POST" and form.validate():
        subscriptions.subscribe(form.email.data, filters)
        db.session.commit()
        return render_template("alerts/check_mail.html", email=form.email.data)
    return render_template(
        "alerts/subscribe.html", form=form, filters=filters,
        description=matching.describe(filters).removeprefix(": "),
        action=_with_query(url_for("alerts.subscribe"), filters),
        map_link=_with_query(url_for("public.map_page"), filters)), 400 if form.errors else 200


@bp.route("/benachrichtigung/bestaetigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    subscription = subscriptions.pending(token)
    if subscription is None:
        return render_template("alerts/link_problem.html"), 400
    form = ActionForm()
    if request.method == "POST" or subscription.confirmed_at is not None:
        if request.method == "POST" and not form.validate():
            abort(400)
        subscriptions.confirm(subscription)
        db.session.commit()
        return render_template("alerts/confirmed.html", **_described(subscription))
    return render_template("alerts/confirm.html", form=form, **_described(subscription))


@bp.get("/benachrichtigung/abmelden/<token>")
def unsubscribe(token: str):
    subscription = subscriptions.subscribed(token)
    if subscription is None:
        return render_template("alerts/unsubscribed.html")
    return render_template("alerts/unsubscribe.html", form=ActionForm(), **_described(subscription))


@bp.post("/benachrichtigung/abmelden/<token>")
@csrf.exempt  # RFC 8058: mail programs post "List-Unsubscribe=One-Click" without our token;
def unsubscribe_now(token: str):  # the signed token in the URL is the proof instead
    subscription = subscriptions.subscribed(token)
    if subscription is not None:
        subscriptions.unsubscribe(subscription)
        db.session.commit()
    return render_template("alerts/unsubscribed.html")


def _described(subscription) -> dict:
    filters = subscriptions.filters_of(subscription)
    return {"description": matching.describe(filters).removeprefix(": "),
            "map_link": _with_query(url_for("public.map_page"), filters)}
