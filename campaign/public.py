"""Public pages: start page, legal pages, health check, employer page and QR redirect."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from sqlalchemy import text

from .extensions import db
from .models import Employer, Status
from .scans import count_scan

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    published = db.session.scalar(
        db.select(db.func.count()).select_from(Employer).where(Employer.status == Status.PUBLISHED))
    return render_template("public/index.html", published=published)


@bp.get("/datenschutz")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/impressum")
def imprint():
    return render_template("public/imprint.html")


@bp.get("/barrierefreiheit")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return {"status": "unhealthy", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/betrieb/<slug>")
def employer(slug: str):
    entry = db.session.scalar(db.select(Employer).where(Employer.slug == slug))
    if entry is None or not entry.is_public:
        abort(404)
    return render_template("public/employer.html", employer=entry)


@bp.get("/t/<code>")
def qr(code: str):
    entry = db.session.scalar(db.select(Employer).where(Employer.qr_code == code.upper()))
    if entry is None:
        abort(404)
    if not entry.is_public:
        return render_template("public/gone.html", employer=entry), 410
    count_scan(entry.id)
    db.session.commit()
    return redirect(url_for("public.employer", slug=entry.slug), code=302)
