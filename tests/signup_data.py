"""A valid sign-up as a browser would post it."""

from __future__ import annotations


def signup_form(**overrides) -> dict:
    data = {
        "name": "Bäckerei Sonnenschein",
        "sector": "Handwerk",
        "description": "Wir backen Brot.",
        "street": "Hauptstraße 5",
        "postal_code": "44787",
        "city": "Bochum",
        "district": "Mitte",
        "quarter": "Hamme",
        "lat": "",
        "lon": "",
        "offers": ["ausbildung", "praktikum"],
        "occupations": "Bäckerin, Bäcker",
        "languages": ["de", "tr"],
        "drop_in-0-open": "y",
        "drop_in-0-start": "9",
        "drop_in-0-end": "16 Uhr",
        "ask_for": "Frau Yilmaz am Empfang",
        "step_free": "y",
        "website": "https://www.sonnenschein.de",
        "public_phone": "0234 123456",
        "public_email": "info@sonnenschein.de",
        "contact_name": "Erika Muster",
        "contact_email": "erika@sonnenschein.de",
        "contact_phone": "0234 654321",
        "consent": "y",
        "website_confirm": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
