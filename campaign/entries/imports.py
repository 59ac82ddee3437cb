"""Invite a wave of companies from a CSV file: check every row first, import all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from campaign.core import audit
from campaign.core.city import City
from campaign.core.text import casefold_email, has_forbidden_characters, normalise
from campaign.entries import invitations
from campaign.entries.lifecycle import find_by_contact_email, unique_slug
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status, Wave

MAX_ROWS = 5000
# Accepted column names (lower case) for each field; the first one is the documented name.
COLUMNS = {
    "name": ("name", "betrieb", "firma"),
    "contact_email": ("contact_email", "e-mail", "email", "mail"),
    "contact_name": ("contact_name", "ansprechperson", "kontakt"),
    "contact_phone": ("contact_phone", "telefon"),
    "street": ("street", "straße", "strasse", "adresse"),
    "postal_code": ("postal_code", "plz", "postleitzahl"),
    "city": ("city", "ort"),
    "district": ("district", "stadtbezirk"),
    "quarter": ("quarter", "stadtteil"),
    "sector": ("sector", "branche"),
    "website": ("website", "internetseite"),
    "is_subsidiary": ("is_subsidiary", "tochtergesellschaft"),
}
LIMITS = {"name": 200, "contact_name": 120, "contact_phone": 40, "street": 200, "city": 80,
          "website": 300, "contact_email": 254}
YES = {"ja", "j", "yes", "y", "1", "x", "true", "wahr"}


class ImportRefused(Exception):
    """The file cannot be imported; `problems` lists (row number, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} Problem(e)")
        self.problems = problems


@dataclass
class Company:
    line: int
    values: dict[str, str] = field(default_factory=dict)


def decode(data: bytes) -> str:
    """Excel saves UTF-8 (often with BOM) or Windows-1252; accept both."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _column_map(header: list[str]) -> dict[str, int]:
    names = [normalise(h).lower() for h in header]
    found = {}
    for key, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[key] = index
                break
    return found


def read_rows(text: str) -> list[Company]:
    """Parse the CSV into companies; raise ImportRefused for a file without the needed columns."""
    if not text.strip():
        raise ImportRefused([(1, _("Die Datei ist leer"))])
    dialect = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    columns = _column_map(next(reader))
    missing = [COLUMNS[k][0] for k in ("name", "contact_email") if k not in columns]
    if missing:
        raise ImportRefused([(1, _("Die Kopfzeile braucht die Spalten %(names)s",
                                    names=" und ".join(missing)))])
    companies = []
    for line, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            values = {k: normalise(cells[i]) if i < len(cells) else "" for k, i in columns.items()}
            companies.append(Company(line, values))
    if len(companies) > MAX_ROWS:
        raise ImportRefused([(1, _("Die Datei hat mehr als %(n)d Zeilen", n=MAX_ROWS))])
    return companies


def row_problems(company: Company, city: City, seen: set[str]) -> list[str]:
    """German messages for everything wrong with one row."""
    v, problems = company.values, []
    for key, limit in LIMITS.items():
        if has_forbidden_characters(v.get(key, "")):
            problems.append(_("%(column)s enthält unsichtbare Steuerzeichen", column=key))
        elif len(v.get(key, "")) > limit:
            problems.append(_("%(column)s darf höchstens %(n)d Zeichen haben", column=key, n=limit))
    if not v.get("name"):
        problems.append(_("Der Name des Betriebs fehlt"))
    problems += _email_problems(v.get("contact_email", ""), seen)
    problems += _place_problems(v, city)
    if v.get("sector") and v["sector"] not in city.sectors:
        problems.append(_("Die Branche „%(v)s“ steht nicht in der Liste", v=v["sector"]))
    return problems


def _email_problems(address: str, seen: set[str]) -> list[str]:
    if not address:
        return [_("Die E-Mail-Adresse fehlt")]
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return [_("Die E-Mail-Adresse „%(v)s“ hat nicht das richtige Format", v=address)]
    key = casefold_email(address)
    if key in seen:
        return [_("Die E-Mail-Adresse %(v)s steht mehrmals in der Datei", v=address)]
    seen.add(key)
    if find_by_contact_email(address) is not None:
        return [_("Für %(v)s gibt es schon einen Eintrag", v=address)]
    return []


def _place_problems(v: dict[str, str], city: City) -> list[str]:
    problems = []
    if v.get("postal_code") and not city.accepts_postal_code(v["postal_code"]):
        problems.append(_("Die Postleitzahl „%(v)s“ liegt nicht in %(city)s",
                          v=v["postal_code"], city=city.city_name))
    if v.get("district") and v["district"] not in city.quarters_by_district:
        problems.append(_("Den Stadtbezirk „%(v)s“ gibt es nicht", v=v["district"]))
    if v.get("quarter") and v["quarter"] not in city.district_of:
        problems.append(_("Den Stadtteil „%(v)s“ gibt es nicht", v=v["quarter"]))
    elif v.get("quarter") and v.get("district") and city.district_of[v["quarter"]] != v["district"]:
        problems.append(_("%(quarter)s liegt nicht im Stadtbezirk %(district)s",
                          quarter=v["quarter"], district=v["district"]))
    return problems


def check(companies: list[Company], city: City) -> None:
    seen: set[str] = set()
    problems = [(c.line, message) for c in companies for message in row_problems(c, city, seen)]
    if not companies:
        problems.append((2, _("Die Datei enthält keine Betriebe")))
    if problems:
        raise ImportRefused(problems)


def import_wave(data: bytes, wave_name: str, city: City, actor: str) -> list[Employer]:
    """Check the whole file, then create invited entries and queue invitations (add/flush)."""
    companies = read_rows(decode(data))
    check(companies, city)
    wave = db.session.scalar(db.select(Wave).where(Wave.name == wave_name)) or Wave(name=wave_name)
    db.session.add(wave)
    created = [_create(company.values, wave, city) for company in companies]
    db.session.flush()
    for employer in created:
        invitations.send(employer)
    audit.record(actor, "wave_imported", wave=wave.name, count=len(created))
    return created


def _create(v: dict[str, str], wave: Wave, city: City) -> Employer:
    district = v.get("district") or city.district_of.get(v.get("quarter", ""), "")
    employer = Employer(
        status=Status.INVITED, slug=unique_slug(v["name"]), name=v["name"],
        street=v.get("street", ""), postal_code=v.get("postal_code", ""),
        city=v.get("city") or city.default_city, district=district, quarter=v.get("quarter", ""),
        sector=v.get("sector", ""), website=v.get("website", ""),
        is_subsidiary=v.get("is_subsidiary", "").lower() in YES)
    employer.private = EmployerPrivate(
        contact_email=v["contact_email"], contact_email_key=casefold_email(v["contact_email"]),
        contact_name=v.get("contact_name", ""), contact_phone=v.get("contact_phone", ""), wave=wave)
    db.session.add(employer)
    db.session.flush()
    return employer
