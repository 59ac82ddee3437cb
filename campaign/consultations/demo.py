"""Fictional, clearly marked example consultation points (flask campaign seed-demo)."""

from __future__ import annotations

from campaign.consultations import operations
from campaign.core import audit
from campaign.core.city import City
from campaign.extensions import db
from campaign.models import ConsultationPoint

NOTE = " (Dies ist ein erfundenes Beispiel; Zeiten und Adresse sind nicht echt.)"


def _rule(kind: str, weekday: int, start_date: str, start: str, end: str, nth: int = 1) -> dict:
    rule = {"kind": kind, "weekday": weekday, "start_date": start_date, "start": start,
            "end": end, "until": ""}
    if kind == "monthly":
        rule["nth"] = nth
    return rule


POINTS = [
    dict(
        provider="Jobcenter Bochum mit ViA Ruhr e. V.",
        title="Beispiel: Jobcenter-Sprechstunde im Wohnhaus Querenburg",
        description="Das Jobcenter kommt alle zwei Wochen in den Gemeinschaftsraum im Erdgeschoss."
                    " Der Verein ViA Ruhr ist als Partner im Quartier dabei und hilft beim"
                    " Ausfüllen von Anträgen." + NOTE,
        street="Beispielring 45", postal_code="44801", quarter="Querenburg",
        lat=51.4446, lon=7.2612,
        target_groups=["langzeitarbeitslose", "jugendliche", "alle"], languages=["de", "tr", "ar"],
        contact="Telefon 0234 000000-10\nE-Mail beratung-querenburg@beispiel.invalid",
        no_appointment=True,
        schedule={"rules": [_rule("biweekly", 1, "2026-01-06", "09:00", "12:00")],
                  "exceptions": ["2026-12-22", "2027-01-05"]},
    ),
    dict(
        provider="Jobcenter Bochum",
        title="Beispiel: Jobcenter-Sprechstunde im Stadtteilbüro Wattenscheid",
        description="Fragen zu Bürgergeld, Arbeit und Ausbildung direkt im Stadtteil." + NOTE,
        street="Musterstraße 7", postal_code="44866", quarter="Wattenscheid-Mitte",
        lat=None, lon=None,
        target_groups=["langzeitarbeitslose", "jugendliche"], languages=["de", "pl", "tr"],
        contact="Telefon 0234 000000-20", no_appointment=True,
        schedule={"rules": [_rule("biweekly", 3, "2026-01-15", "08:30", "11:30")],
                  "exceptions": ["2026-12-31"]},
    ),
    dict(
        provider="Beauftragte für Chancengleichheit am Arbeitsmarkt",
        title="Beispiel: Sprechstunde Chancengleichheit in Hamme",
        description="Beratung zum Wiedereinstieg in den Beruf, zu Teilzeitausbildung und zur"
                    " Vereinbarkeit von Familie und Arbeit. Kinder dürfen mitkommen." + NOTE,
        street="Beispielplatz 3", postal_code="44809", quarter="Hamme", lat=None, lon=None,
        target_groups=["frauen", "wiedereinstieg"], languages=["de", "en"],
        contact="Termine und Fragen: bca-beispiel@beispiel.invalid", no_appointment=False,
        schedule={"rules": [_rule("monthly", 2, "2026-01-01", "14:00", "16:00", nth=2)],
                  "exceptions": []},
    ),
    dict(
        provider="Jobcenter Bochum und Integrationsagentur",
        title="Beispiel: Beratung in der Unterkunft für Geflüchtete aus der Ukraine, Linden",
        description="Beratung zu Sprachkursen, Anerkennung von Abschlüssen und ersten Schritten"
                    " in Arbeit und Ausbildung – auf Ukrainisch, Russisch und Deutsch." + NOTE,
        street="Beispielweg 12", postal_code="44879", quarter="Linden", lat=None, lon=None,
        target_groups=["gefluechtete", "neuzugewanderte", "jugendliche"],
        languages=["uk", "ru", "de"],
        contact="Telefon 0234 000000-30", no_appointment=True,
        schedule={"rules": [_rule("weekly", 0, "2026-01-05", "10:00", "12:00")],
                  "exceptions": ["2026-12-28", "2027-03-29"]},
    ),
    dict(
        provider="Welcome-Centre Bochum",
        title="Beispiel: Welcome-Centre – alles aus einer Hand für internationale Fachkräfte",
        description="Anlaufstelle für internationale Fachkräfte und ihre Familien: Aufenthalt,"
                    " Anerkennung, Jobsuche und Ankommen in der Stadt." + NOTE,
        street="Musterallee 1", postal_code="44787", quarter="Südinnenstadt",
        lat=51.4789, lon=7.2196,
        target_groups=["fachkraefte", "neuzugewanderte"],
        languages=["de", "en", "ar", "uk", "tr", "es"],
        contact="Telefon 0234 000000-40\nE-Mail welcome@beispiel.invalid\nwww.beispiel.invalid",
        no_appointment=True,
        schedule={"rules": [_rule("weekly", 1, "2026-01-06", "10:00", "13:00"),
                            _rule("weekly", 3, "2026-01-08", "14:00", "17:00")],
                  "exceptions": ["2026-12-24", "2026-12-29", "2026-12-31"]},
    ),
]


def seed(city: City) -> int:
    """Add the example points that are not there yet (by title); return how many were added."""
    existing = set(db.session.scalars(db.select(ConsultationPoint.title)))
    added = 0
    for values in POINTS:
        if values["title"] in existing or values["quarter"] not in city.district_of:
            continue
        point = dict(values, city=city.default_city, district=city.district_of[values["quarter"]],
                     published=True)
        operations.create(point, audit.SYSTEM, is_demo=True)
        added += 1
    return added
