"""Invite a wave of companies from a CSV file: check every row first, import all or nothing.

The check runs in the request (or CLI) and refuses the whole file with every problem; a file
without problems becomes a background job (`campaign.jobs`) that creates each entry with its
point on the map and queues its invitation in one transaction per row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from campaign.core import audit, mail
from campaign.core.city import City, current_city
from campaign.core.text import casefold_email, has_forbidden_characters, normalise
from campaign.entries import invitations
from campaign.entries.lifecycle import find_by_contact_email, unique_slug
from campaign.extensions import db
from campaign.geocoding import placement
from campaign.jobs import queue as jobs
from campaign.jobs import runner
from campaign.models import Employer, EmployerPrivate, Job, Status, Wave

MAX_ROWS = 5000
JOB_KIND = "wave_import"
MAIL_BATCH = 50  # invitations go out while the import runs, not all at the end
INVITED, SKIPPED = "invited", "skipped"
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
# xlsx/ods (zip) and the old xls (OLE2) formats.
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
SAVE_AS_CSV = ("Speichern Sie die Tabelle mit „Speichern unter“ als „CSV UTF-8 (durch "
               "Trennzeichen getrennt)“ und laden Sie diese Datei hoch")


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
    """Excel saves UTF-8 (often with BOM) or Windows-1252; accept both, refuse binary files."""
    problem = _binary_problem(data)
    if problem:
        raise ImportRefused([(1, problem)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # Excel for Mac ends lines with a bare CR; csv reads only LF and CRLF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary_problem(data: bytes) -> str | None:
    if data.startswith(SPREADSHEET_SIGNATURES):
        return _("Das ist eine Excel-Datei, keine CSV-Datei. " + SAVE_AS_CSV)
    sample = data[:4096]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in data or controls > len(sample) // 100:
        return _("Die Datei lässt sich nicht als Text lesen. " + SAVE_AS_CSV)
    return None


def shown(value: str, limit: int = 60) -> str:
    """A value quoted in a message, cut short so a huge cell cannot flood the page."""
    return value if len(value) <= limit else value[:limit] + "…"


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
    """Parse the CSV into companies; raise ImportRefused for a file that cannot be read."""
    if not text.strip():
        raise ImportRefused([(1, _("Die Datei ist leer"))])
    first = text.split("\n", 1)[0]
    dialect = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    try:
        return _companies(reader)
    except csv.Error as error:
        raise ImportRefused([(reader.line_num or 1, _unreadable(error))]) from None


def _unreadable(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return _("In dieser Zeile ist ein Feld viel zu lang (über %(n)s Zeichen). Prüfen Sie, ob "
                 "ein Anführungszeichen fehlt oder zu viel ist", n=f"{csv.field_size_limit():,}"
                 .replace(",", "."))
    return _("Diese Zeile lässt sich nicht lesen. " + SAVE_AS_CSV)


def _companies(reader) -> list[Company]:
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


def row_problems(company: Company, city: City, seen: set[str], taken: set[str]) -> list[str]:
    """German messages for everything wrong with one row."""
    v, problems = company.values, []
    for key, limit in LIMITS.items():
        if has_forbidden_characters(v.get(key, "")):
            problems.append(_("%(column)s enthält unsichtbare Steuerzeichen", column=key))
        elif len(v.get(key, "")) > limit:
            problems.append(_("%(column)s darf höchstens %(n)d Zeichen haben", column=key, n=limit))
    if not v.get("name"):
        problems.append(_("Der Name des Betriebs fehlt"))
    problems += _email_problems(v.get("contact_email", ""), seen, taken)
    problems += _place_problems(v, city)
    if v.get("sector") and v["sector"] not in city.sectors:
        problems.append(_("Die Branche „%(v)s“ steht nicht in der Liste", v=shown(v["sector"])))
    return problems


def _email_problems(address: str, seen: set[str], taken: set[str]) -> list[str]:
    if not address:
        return [_("Die E-Mail-Adresse fehlt")]
    if len(address) > LIMITS["contact_email"]:
        return []  # already reported as too long
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return [_("Die E-Mail-Adresse „%(v)s“ hat nicht das richtige Format", v=shown(address))]
    key = casefold_email(address)
    if key in seen:
        return [_("Die E-Mail-Adresse %(v)s steht mehrmals in der Datei", v=address)]
    seen.add(key)
    if key in taken:
        return [_("Für %(v)s gibt es schon einen Eintrag", v=address)]
    return []


def _place_problems(v: dict[str, str], city: City) -> list[str]:
    problems = []
    if v.get("postal_code") and not city.accepts_postal_code(v["postal_code"]):
        problems.append(_("Die Postleitzahl „%(v)s“ liegt nicht in %(city)s",
                          v=shown(v["postal_code"]), city=city.city_name))
    if v.get("district") and v["district"] not in city.quarters_by_district:
        problems.append(_("Den Stadtbezirk „%(v)s“ gibt es nicht", v=shown(v["district"])))
    if v.get("quarter") and v["quarter"] not in city.district_of:
        problems.append(_("Den Stadtteil „%(v)s“ gibt es nicht", v=shown(v["quarter"])))
    elif v.get("quarter") and v.get("district") and city.district_of[v["quarter"]] != v["district"]:
        problems.append(_("%(quarter)s liegt nicht im Stadtbezirk %(district)s",
                          quarter=v["quarter"], district=v["district"]))
    return problems


def taken_addresses(companies: list[Company]) -> set[str]:
    """The file's contact addresses that already have an entry: one query per 500 rows."""
    keys = sorted({casefold_email(c.values.get("contact_email", "")) for c in companies})
    taken: set[str] = set()
    for start in range(0, len(keys), 500):
        taken.update(db.session.scalars(db.select(EmployerPrivate.contact_email_key).where(
            EmployerPrivate.contact_email_key.in_(keys[start:start + 500]))))
    return taken


def check(companies: list[Company], city: City) -> None:
    seen: set[str] = set()
    taken = taken_addresses(companies)
    problems = [(c.line, message) for c in companies
                for message in row_problems(c, city, seen, taken)]
    if not companies:
        problems.append((2, _("Die Datei enthält keine Betriebe")))
    if problems:
        raise ImportRefused(problems)


def queue_import(data: bytes, wave_name: str, city: City, actor: str) -> Job:
    """Check the whole file now; queue the import as a job only when every row is fine."""
    companies = read_rows(decode(data))
    check(companies, city)
    rows = [{"line": c.line, **c.values} for c in companies]
    return jobs.submit(JOB_KIND, {"wave": wave_name, "rows": rows}, total=len(rows), actor=actor)


@runner.handler(JOB_KIND)
def run_import(job: Job, steps: jobs.Steps) -> dict:
    """Create each invited entry with its point and its invitation mail, one row at a time."""
    city, wave_name, rows = current_city(), job.params["wave"], job.params["rows"]
    actor, total = job.created_by, len(job.params["rows"])
    wave_id = _wave_id(wave_name)
    geocoder = placement.configured_geocoder()
    done = steps.done_positions()
    db.session.commit()  # no transaction (no SQLite write lock) while the geocoder answers
    for position, row in enumerate(rows):
        if position in done:
            continue
        address = {**row, "city": row.get("city") or city.default_city}
        location = placement.locate(address, city, geocoder)  # no transaction open meanwhile
        _import_row(row, position, db.session.get(Wave, wave_id), city, location, steps)
        if (position + 1) % MAIL_BATCH == 0:
            mail.send_pending(limit=MAIL_BATCH)
    audit.record(actor, "wave_imported", wave=wave_name, count=total)
    db.session.commit()
    mail.send_pending(limit=MAIL_BATCH)
    return {"wave": wave_name}


def _wave_id(name: str) -> int:
    wave = db.session.scalar(db.select(Wave).where(Wave.name == name))
    if wave is None:
        wave = Wave(name=name)
        db.session.add(wave)
        db.session.commit()
    return wave.id


def _import_row(row: dict, position: int, wave: Wave, city: City,
                location: placement.Location, steps: jobs.Steps) -> None:
    """One row: the entry and its invitation, committed together with the row's outcome."""
    line = row["line"]
    if find_by_contact_email(row["contact_email"]) is not None:  # signed up since the check
        steps.record(position, SKIPPED, _("Für %(v)s gibt es inzwischen schon einen Eintrag",
                                          v=row["contact_email"]), line=line, name=row["name"])
        return
    employer = _create(row, wave, city, location)
    invitations.send(employer)
    steps.record(position, INVITED, "", employer_id=employer.id, line=line, name=row["name"],
                 location_source=str(employer.location_source))


def _create(v: dict[str, str], wave: Wave, city: City, location: placement.Location) -> Employer:
    district = v.get("district") or city.district_of.get(v.get("quarter", ""), "")
    employer = Employer(
        status=Status.INVITED, slug=unique_slug(v["name"]), name=v["name"],
        street=v.get("street", ""), postal_code=v.get("postal_code", ""),
        city=v.get("city") or city.default_city, district=district, quarter=v.get("quarter", ""),
        sector=v.get("sector", ""), website=v.get("website", ""),
        is_subsidiary=v.get("is_subsidiary", "").lower() in YES, **location.as_values())
    employer.private = EmployerPrivate(
        contact_email=v["contact_email"], contact_email_key=casefold_email(v["contact_email"]),
        contact_name=v.get("contact_name", ""), contact_phone=v.get("contact_phone", ""), wave=wave)
    db.session.add(employer)
    db.session.flush()
    return employer
