"""Distances and language names in the visitor's language (Latin digits everywhere; times stay
24-hour H:MM)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask_babel import get_locale, pgettext


def _locale() -> str:
    return str(get_locale() or "de")


def format_km(distance: float) -> str:
    """1,2 km in German, 1.2 km in English or Arabic."""
    return f"{format_decimal(distance, format='0.0', locale=_locale())} km"


def decimal_sign() -> str:
    """The locale's decimal sign, for map.js to format distances like the server."""
    return format_decimal(1.5, format="0.0", locale=_locale())[1]



def language_gloss(code: str, own_name: str) -> str:
    """A language's name in the visitor's language, to follow its own name ("Polski" ->
    "польська"); empty on German pages (they show own names only) and when both are alike."""
    visitor = get_locale()
    if visitor is None or visitor.language == "de":
        return ""
    try:
        name = Locale.parse(code).get_language_name(visitor)
    except (ValueError, UnknownLocaleError):
        return ""
    return "" if not name or name.casefold() == own_name.casefold() else name


def language_glosses(names: dict[str, str]) -> dict[str, str]:
    """code -> gloss for map.js, which builds the same cards as the server."""
    return {code: gloss for code, name in names.items() if (gloss := language_gloss(code, name))}


def list_separator() -> str:
    """What goes between the items of a short list: ", " in German, "، " in Arabic."""
    return pgettext("list separator", ", ")
