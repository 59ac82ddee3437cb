"""German labels for staff-only vocabularies."""

from flask_babel import lazy_gettext as _l

from campaign.entries.exports import STICKER_LABELS

__all__ = ["CONFLICT", "DECISION_DONE", "LOCATION_LABELS", "PAUSED_BY_LABELS", "ROLE_LABELS",
           "STICKER_LABELS",
           "STICKER_NEEDED"]

ROLE_LABELS = {
    "viewer": _l("Lesen"),
    "reviewer": _l("Prüfen und bearbeiten"),
    "admin": _l("Verwalten"),
}

PAUSED_BY_LABELS = {
    "employer": _l("Der Betrieb hat den Eintrag selbst pausiert und kann ihn wieder zeigen."),
    "staff": _l("Das Team der Stadt hat den Eintrag pausiert. Nur das Team kann ihn wieder "
                "zeigen, der Betrieb nicht."),
    "system": _l("Automatisch pausiert. Der Betrieb kann den Eintrag wieder zeigen, wenn er "
                 "seine Angaben bestätigt."),
}

# A published entry still "needs" a sticker until it has one in hand.
STICKER_NEEDED = ("none", "requested", "printed")

LOCATION_LABELS = {
    "exact": _l("Genau: vom Betrieb oder vom Team der Stadt gesetzt"),
    "geocoded": _l("Aus der Adresse gesucht (Geocoder)"),
    "approximate": _l("Ungefähr: Mitte des Stadtteils oder des Postleitzahlgebiets"),
    "": _l("Keine Lage: nur in der Liste, nicht auf der Karte"),
}

DECISION_DONE = {
    "approve": _l("%(name)s ist freigegeben und jetzt auf der Karte sichtbar."),
    "approve_approximate": _l("%(name)s ist freigegeben und jetzt auf der Karte sichtbar, an "
                              "einer ungefähren Lage. Setzen Sie unter „Bearbeiten“ den "
                              "genauen Punkt."),
    "approve_list_only": _l("%(name)s ist freigegeben und steht jetzt in der Liste. Auf der Karte "
                            "erscheint der Betrieb erst, wenn Sie unter „Bearbeiten“ eine Lage "
                            "setzen."),
    "question": _l("Die Rückfrage an %(name)s ist verschickt. Der Eintrag bleibt in Prüfung."),
    "reject": _l("%(name)s ist abgelehnt. Der Betrieb bekommt eine E-Mail mit dem Grund."),
}

CONFLICT = _l("Dieser Eintrag wurde gerade von jemand anderem bearbeitet. "
              "Sehen Sie sich den neuen Stand an und entscheiden Sie dann noch einmal.")
