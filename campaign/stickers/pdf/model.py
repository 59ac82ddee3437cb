"""Input data of the sticker renderer: campaign branding and one employer's sticker data."""

import re
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Branding:
    """Campaign identity printed on every sticker; configuration, not user input."""

    campaign_name: str = "Alle Türen offen"
    claim: str = "Karrierestart hier und jetzt"
    city_name: str = "Bochum"
    primary_color: str = "#004f9f"
    accent_color: str = "#ffd500"
    contact_line: str = ""


@dataclass(frozen=True)
class StickerData:
    """One employer's sticker: display name (arbitrary user text) and exact QR target."""

    name: str
    url: str


def color(hex_value: str) -> Color:
    """Return the reportlab colour for a ``#rrggbb`` string, refusing anything else."""
    if not _HEX.fullmatch(hex_value):
        raise ValueError(f"Farbwert {hex_value!r} ist ungültig: erwartet wird #rrggbb.")
    return HexColor(hex_value)
