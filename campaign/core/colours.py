"""The city's colours on every page: CSS custom properties, checked against WCAG AA at start-up."""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
WHITE = "#ffffff"
TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, 1.4.3 for normal text
GRAPHIC_CONTRAST = 3.0  # WCAG 2.1 AA, 1.4.11 for graphics and focus outlines
HOVER_DARKEN = 0.25

# (colour role, what it is drawn on or under, the contrast it needs, what staff read in the error)
PAIRS = (
    ("primary", WHITE, TEXT_CONTRAST, "weiße Schrift auf der Kopfzeile und auf Knöpfen"),
    ("ink", WHITE, TEXT_CONTRAST, "Fließtext auf weißem Grund"),
    ("ink", "accent", TEXT_CONTRAST, "Schrift auf der Akzentfarbe"),
    ("accent", "primary", GRAPHIC_CONTRAST, "die Tür im Logo auf der Kopfzeile"),
)


class IdentityProblem(ValueError):
    """A city file whose colours or logo cannot be used; the message names the field and the fix."""


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check(colours: dict[str, str]) -> None:
    """Refuse colours that are not #rrggbb or that fail WCAG AA where the site uses them."""
    for role in ("primary", "accent", "ink"):
        if not HEX_COLOUR.fullmatch(str(colours.get(role, ""))):
            raise IdentityProblem(f'Stadtdatei: "colors.{role}" muss eine Farbe wie "#004f9f" sein, '
                                f"nicht {colours.get(role)!r}.")
    for role, background_role, needed, where in PAIRS:
        background = colours.get(background_role, background_role)
        ratio = contrast_ratio(colours[role], background)
        if ratio < needed:
            raise IdentityProblem(
                f"Stadtdatei: colors.{role} {colours[role]} hat zu wenig Kontrast für {where} "
                f"({ratio:.2f}:1 gegen {background}, WCAG 2.1 AA verlangt {needed}:1). "
                "Bitte eine dunklere oder hellere Farbe wählen.")


def stylesheet(colours: dict[str, str]) -> str:
    """The custom properties that static/css/app.css reads, in the city's colours."""
    return (":root {"
            f" --primary: {colours['primary']};"
            f" --primary-dark: {darken(colours['primary'], HOVER_DARKEN)};"
            f" --accent: {colours['accent']};"
            f" --ink: {colours['ink']};"
            " }\n")


def darken(colour: str, share: float) -> str:
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - share)):02x}" for c in channels)


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
