"""Fixed choice lists shared by forms, pages, filters and exports."""

from flask_babel import lazy_gettext as _l

OFFER_LABELS = {
    "ausbildung": _l("Ausbildung"),
    "praktikum": _l("Praktikum"),
    "duales_studium": _l("Duales Studium"),
    "einstieg": _l("Einstiegsjob"),
    "ferienjob": _l("Ferienjob"),
    "quereinstieg": _l("Quereinstieg"),
}

OFFER_HINTS = {
    "ausbildung": _l("Einen Beruf lernen, meist 3 Jahre, im Betrieb und in der Berufsschule"),
    "praktikum": _l("Ein paar Tage oder Wochen im Betrieb mitarbeiten und ausprobieren"),
    "duales_studium": _l("Studium und Arbeit im Betrieb zusammen"),
    "einstieg": _l("Arbeit ohne Ausbildung, zum Beispiel als Helferin oder Helfer"),
    "ferienjob": _l("Geld verdienen in den Schulferien"),
    "quereinstieg": _l("Neu anfangen in einem anderen Beruf"),
}

# ISO 639-1 code -> the language's own name (shown with lang= so screen readers pronounce it).
LANGUAGES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
    "pl": "Polski",
    "ro": "Română",
    "bg": "Български",
    "fa": "فارسی",
    "ku": "Kurdî",
    "el": "Ελληνικά",
    "it": "Italiano",
    "es": "Español",
    "fr": "Français",
    "sq": "Shqip",
    "hr": "Hrvatski",
    "sr": "Srpski",
    "bs": "Bosanski",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "vi": "Tiếng Việt",
}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

STATUS_LABELS = {
    "invited": _l("Eingeladen"),
    "unconfirmed": _l("Nicht bestätigt"),
    "pending": _l("In Prüfung"),
    "published": _l("Freigegeben"),
    "paused": _l("Pausiert"),
    "rejected": _l("Abgelehnt"),
    "withdrawn": _l("Zurückgezogen"),
}

# How exact the point on the map is, in the employer's words (Sie).
LOCATION_TEXT = {
    "exact": _l("Genau: der Punkt, den Sie oder das Team der Stadt gesetzt haben"),
    "geocoded": _l("Aus Ihrer Adresse gesucht"),
    "approximate": _l("Ungefähre Lage: die Mitte Ihres Stadtteils oder Postleitzahlgebiets"),
    "": _l("Noch keine Lage: Ihr Betrieb steht nur in der Liste, nicht auf der Karte"),
}


def location_text(employer) -> str:
    return str(LOCATION_TEXT.get(employer.location_kind, LOCATION_TEXT["exact"]))
