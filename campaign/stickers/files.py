"""Glue between entries and the sticker package: branding from the city, names, downloads."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from flask import Response, current_app
from flask_babel import lazy_gettext as _l

from campaign.core import links
from campaign.core.downloads import content_disposition
from campaign.models import Employer
from campaign.stickers import pdf

FORMAT_LABELS = {
    "a6": _l("A6-Aufkleber für die Tür"),
    "round": _l("Runder Aufkleber (10 cm)"),
    "a4-poster": _l("A4-Plakat"),
    "a4-sheet": _l("A4-Bogen mit 4 Aufklebern (Bürodrucker)"),
}

# In "PDF herunterladen (2.951 Aufkleber, A6)".
FORMAT_SHORT = {
    "a6": _l("A6"),
    "round": _l("rund"),
    "a4-poster": _l("A4-Plakat"),
    "a4-sheet": _l("A4-Bogen"),
}


def branding() -> pdf.Branding:
    city = current_app.extensions["campaign_city"]
    operator = city.operator
    return pdf.Branding(
        campaign_name=city.campaign_name, claim=city.claim, city_name=city.city_name,
        primary_color=city.colors["primary"], accent_color=city.colors["accent"],
        contact_line=f"{operator['name']}, {operator['unit']}, Tel. {operator['phone']}, "
                     f"{operator['email']}",
    )


def display_name(employer: Employer) -> str:
    return employer.sticker_name or employer.name


def sticker_data(employer: Employer) -> pdf.StickerData:
    return pdf.StickerData(name=display_name(employer), url=links.qr_url(employer))


def printable_problem(employer: Employer) -> str | None:
    """Why this entry's name cannot be printed (German, for staff), or None."""
    try:
        pdf.check_printable(display_name(employer))
    except pdf.UnprintableText as problem:
        return str(problem)
    return None


def unprintable_names(names: Iterable[tuple[str, str]]) -> list[str]:
    """The first of each (name, printed name) pair whose printed name cannot be printed. Each
    distinct character is checked once, so 50,000 names take a fraction of a second."""
    texts = [(name, unicodedata.normalize("NFC", printed)) for name, printed in names]
    bad = {character for character in set().union(*(text for _, text in texts))
           if not _prints(character)}
    return [name for name, text in texts if not text.strip() or not bad.isdisjoint(text)]


def _prints(character: str) -> bool:
    try:
        pdf.check_printable(character)
    except pdf.UnprintableText:
        return False
    return True


def printable_data(employers: Iterable[Employer],
                   skipped: list[Employer]) -> Iterator[pdf.StickerData]:
    """Sticker data for every printable entry; the others are collected in `skipped`."""
    for employer in employers:
        if printable_problem(employer):
            skipped.append(employer)
        else:
            yield sticker_data(employer)


def download_name(name: str, fmt: str) -> str:
    """A safe file name: no path parts, quotes or line breaks; umlauts survive."""
    name = unicodedata.normalize("NFC", name)
    cleaned = re.sub(r"[^\w\- ]+", "", name, flags=re.UNICODE).strip().replace(" ", "-")
    return f"aufkleber-{cleaned[:60] or 'betrieb'}-{fmt}.pdf"


def sticker_download(employer: Employer, fmt: str, briefing: bool = False) -> Response:
    """One entry's sticker as a PDF download with a safe file name."""
    rendered = pdf.render_sticker(sticker_data(employer), fmt, branding=branding(),
                                  briefing=briefing)
    filename = download_name(display_name(employer), fmt)
    return Response(rendered, mimetype="application/pdf",
                    headers={"Content-Disposition": content_disposition(filename)})
