"""Whom a consultation point is for: a small fixed list of codes with German labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TARGET_GROUPS = {
    "jugendliche": _l("Junge Menschen"),
    "langzeitarbeitslose": _l("Langzeitarbeitslose"),
    "neuzugewanderte": _l("Neu Zugewanderte"),
    "gefluechtete": _l("Geflüchtete"),
    "frauen": _l("Frauen"),
    "wiedereinstieg": _l("Wiedereinstieg nach Familienzeit"),
    "fachkraefte": _l("Internationale Fachkräfte"),
    "alle": _l("Alle Interessierten"),
}

KIND_LABELS = {
    "weekly": _l("jede Woche"),
    "biweekly": _l("alle zwei Wochen"),
    "monthly": _l("einmal im Monat"),
}
NTH_LABELS = {1: _l("am ersten"), 2: _l("am zweiten"), 3: _l("am dritten"), 4: _l("am vierten"),
              -1: _l("am letzten")}
