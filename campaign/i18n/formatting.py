"""Distances in the visitor's language (Latin digits everywhere; times stay 24-hour H:MM)."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import get_locale


def _locale() -> str:
    return str(get_locale() or "de")


def format_km(distance: float) -> str:
    """1,2 km in German, 1.2 km in English or Arabic."""
    return f"{format_decimal(distance, format='0.0', locale=_locale())} km"


def decimal_sign() -> str:
    """The locale's decimal sign, for map.js to format distances like the server."""
    return format_decimal(1.5, format="0.0", locale=_locale())[1]

