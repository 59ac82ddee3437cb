"""Fictional, clearly marked demo employers spread over the city's real quarters."""

from __future__ import annotations

import random

from campaign.core import audit
from campaign.core.city import City
from campaign.core.text import casefold_email
from campaign.entries.lifecycle import unique_slug
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, LocationSource, Status, utcnow

KINDS = [
    ("Bäckerei", "Handwerk", "Backen, Verkaufen, früh aufstehen – bei uns riecht es nach frischem Brot."),
    ("Autowerkstatt", "Handwerk", "Wir reparieren Autos aller Marken und bilden jedes Jahr aus."),
    ("Pflegedienst", "Gesundheit und Pflege", "Wir pflegen Menschen zu Hause im Stadtteil."),
    ("Supermarkt", "Handel", "Frische Lebensmittel und ein junges Team."),
    ("Kita", "Soziales und Erziehung", "Wir betreuen Kinder von 1 bis 6 Jahren."),
    ("Elektrobetrieb", "Handwerk", "Strom, Licht, Solaranlagen: wir machen das."),
    ("Spedition", "Logistik und Verkehr", "Wir bringen Waren pünktlich ans Ziel."),
    ("Softwarehaus", "IT und Medien", "Apps und Webseiten für Betriebe in der Region."),
    ("Hotel", "Gastronomie und Hotellerie", "Gäste aus aller Welt, ein Team aus aller Welt."),
    ("Friseursalon", "Dienstleistungen", "Schneiden, Färben, Beraten – mit Herz."),
    ("Arztpraxis", "Gesundheit und Pflege", "Medizinische Fachangestellte gesucht."),
    ("Stadtwerke-Service", "Energie und Umwelt", "Energie und Wasser für die Stadt."),
]
NAMES = ["Sonnenschein", "Ruhrblick", "Glückauf", "Zeche Eins", "Am Markt", "Lindenhof", "Kohlenpott",
         "Regenbogen", "Westpark", "Sternstraße", "Kuhhirte", "Bergmann", "Grünzug", "Brückenwerk"]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Kirchstraße", "Schulstraße", "Am Rathaus", "Ringstraße",
           "Marktplatz", "Gartenweg", "Hochstraße", "Industriestraße"]
ASK_FOR = ["Frau Yilmaz am Empfang", "Herrn Nowak in der Werkstatt", "das Team an der Kasse",
           "die Ausbildungsleitung im 1. Stock", "Frau Schmidt oder Herrn Petrov"]


def _drop_in(rng: random.Random) -> dict:
    if rng.random() < 0.15:
        return {"opening_hours": True, "slots": []}
    start = rng.choice(["08:00", "09:00", "10:00", "13:00", "14:00"])
    end = {"08:00": "12:00", "09:00": "16:00", "10:00": "14:00", "13:00": "17:00",
           "14:00": "18:00"}[start]
    days = sorted(rng.sample(range(6), rng.randint(1, 5)))
    return {"opening_hours": False, "slots": [{"day": d, "start": start, "end": end} for d in days]}


def _postal_code(rng: random.Random, city: City) -> str:
    low, high = city.postal_code_range
    return str(rng.randint(int(low), int(high))).zfill(len(low))


def demo_employer(rng: random.Random, city: City, number: int, status: Status) -> Employer:
    kind, sector, description = rng.choice(KINDS)
    quarter = rng.choice([q for qs in city.quarters_by_district.values() for q in qs])
    lat, lon = city.quarter_centres[quarter]
    # Every seventh demo entry shows what an unplaced entry looks like: the quarter's centre.
    approximate = number % 7 == 0
    spread = 0 if approximate else 1
    name = f"Beispiel: {kind} {rng.choice(NAMES)} {number}"
    employer = Employer(
        slug=unique_slug(name), status=status, is_demo=True, name=name, sector=sector,
        description=description + " (Dies ist ein erfundener Beispiel-Eintrag.)",
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postal_code=_postal_code(rng, city), city=city.default_city,
        district=city.district_of[quarter], quarter=quarter,
        lat=round(lat + spread * rng.uniform(-0.006, 0.006), 6),
        lon=round(lon + spread * rng.uniform(-0.009, 0.009), 6),
        location_source=LocationSource.APPROXIMATE if approximate else LocationSource.EXACT,
        offers=sorted(rng.sample(list(OFFER_LABELS), rng.randint(1, 3)), key=list(OFFER_LABELS).index),
        languages=["de", *rng.sample([c for c in LANGUAGES if c != "de"], rng.randint(0, 3))],
        drop_in=_drop_in(rng), ask_for=rng.choice(ASK_FOR), step_free=rng.random() < 0.6,
        is_subsidiary=rng.random() < 0.2,
        published_at=utcnow() if status == Status.PUBLISHED else None,
    )
    address = f"demo-{number}@beispiel.invalid"
    employer.private = EmployerPrivate(
        contact_name="Beispiel Ansprechperson", contact_email=address,
        contact_email_key=casefold_email(address), consent_confirmed_at=utcnow(),
        privacy_version=city.privacy_notice_version)
    return employer


def seed(city: City, count: int, pending: int = 3, seed_value: int = 1848) -> int:
    """Add demo employers (count published, `pending` awaiting review); return how many."""
    rng = random.Random(seed_value)
    start = db.session.scalar(db.select(db.func.count()).select_from(Employer)) or 0
    for offset in range(count + pending):
        status = Status.PUBLISHED if offset < count else Status.PENDING
        employer = demo_employer(rng, city, start + offset + 1, status)
        db.session.add(employer)
        db.session.flush()
        audit.record(audit.SYSTEM, "demo_seeded", employer.id)
    audit.public_data_changed()
    return count + pending
