"""Policy for text the stickers can print: embedded-font coverage, left-to-right, no controls."""

import unicodedata

from campaign.stickers.pdf.fonts import ensure_fonts

_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_RTL = {"R", "AL", "AN"}
_COMBINING = {"Mn", "Mc", "Me"}
_LATIN_HINT = (
    "Bitte tragen Sie für den Aufkleber einen Anzeigenamen in lateinischer Schrift ein "
    "(zum Beispiel eine Umschrift wie „Restaurant Al-Sham“)."
)
_PROBLEMS = {
    "control": (
        "ein unsichtbares Steuer- oder Formatzeichen",
        "Bitte entfernen Sie es; es kommt oft beim Kopieren aus anderen Programmen mit.",
    ),
    "rtl": ("Schrift, die von rechts nach links läuft (z. B. Arabisch, Hebräisch)", _LATIN_HINT),
    "combining": ("Zeichen, die erst zusammengesetzt werden müssten", _LATIN_HINT),
    "glyph": (
        "Zeichen, die die Aufkleberschrift nicht enthält (z. B. Chinesisch, Japanisch, Emoji)",
        _LATIN_HINT,
    ),
}


class UnprintableText(ValueError):
    """Text that would print wrongly on a sticker; the message is German and meant for staff."""

    def __init__(self, reason: str, characters: tuple[str, ...], where: str = ""):
        self.reason = reason
        self.characters = characters
        super().__init__(where + _message(reason, characters))


def _message(reason: str, characters: tuple[str, ...]) -> str:
    """Say what is wrong and what to do, naming characters by code point."""
    if reason == "empty":
        return "Der Name ist leer. Bitte tragen Sie den Namen des Betriebs ein."
    problem, advice = _PROBLEMS[reason]
    listed = ", ".join(_describe(ch) for ch in characters[:3])
    return f"Der Text enthält {problem}: {listed}. {advice}"


def check_printable(text: str) -> None:
    """Raise UnprintableText unless every character of ``text`` prints correctly."""
    found: dict[str, list[str]] = {}
    for ch in dict.fromkeys(unicodedata.normalize("NFC", text)):
        reason = _problem(ch)
        if reason:
            found.setdefault(reason, []).append(ch)
    for reason in _PROBLEMS:
        if reason in found:
            raise UnprintableText(reason, tuple(found[reason]))


def printable(text: str) -> str:
    """Return ``text`` in the NFC form that is drawn, after checking it."""
    check_printable(text)
    return unicodedata.normalize("NFC", text)


def _problem(ch: str) -> str | None:
    """Return why ``ch`` cannot be printed, or None."""
    category = unicodedata.category(ch)
    if category in _INVISIBLE:
        return "control"
    if unicodedata.bidirectional(ch) in _RTL:
        return "rtl"
    if category in _COMBINING:
        return "combining"
    if ord(ch) not in ensure_fonts():
        return "glyph"
    return None


def _describe(ch: str) -> str:
    """Name a character by code point and Unicode name, never by its raw (maybe invisible) form."""
    name = unicodedata.name(ch, "Steuerzeichen")
    return f"U+{ord(ch):04X} ({name})"
