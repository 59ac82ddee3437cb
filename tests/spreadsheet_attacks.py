"""Values that become formula cells when a spreadsheet splits them at ';', ',' or a line break."""

from __future__ import annotations

import csv
import io
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ATTACKS = {
    "name": 'Müller, =HYPERLINK("http://evil.example","Klick")',
    "description": "Wir backen; =cmd|'/c calc'!A1\n@SUM(1+1)\r-2+3",
    "occupations": 'Bäckerin,"=1+1"; +A1',
    "ask_for": "Frau Öztürk\t@x, -y",
    "street": "Hauptstraße 1;\t=2",
}
_HARMLESS_NUMBER = re.compile(r"^[+\-]?[0-9 ()/.,\-]+$")


def formula_cells(text: str, allow_numbers: bool = False) -> list[str]:
    """Cells that start (after blanks) with a formula trigger, whichever separator is used."""
    found = []
    for separator in (";", ","):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            for cell in row:
                if cell.lstrip(" ").startswith(TRIGGERS) and not (
                        allow_numbers and _HARMLESS_NUMBER.match(cell)):
                    found.append(cell)
    return found
