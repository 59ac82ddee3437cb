"""Cleaning and checking free text that people type."""

from __future__ import annotations

import re
import unicodedata

# Bidi overrides/isolates and zero-width characters can disguise text; C0/C1 controls break mail,
# PDFs and PostgreSQL (NUL). The zero-width (non-)joiner is checked on its own: Persian needs ZWNJ
# inside words (می‌خواهم) and emoji sequences are built with ZWJ (👩‍💻).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)
_JOINERS = re.compile("[\u200c\u200d]")
# Letters, combining marks (incl. the emoji variation selector), symbols such as emoji and
# modifiers such as skin tones: what a joiner may stand between.
_JOINABLE = ("L", "M", "So", "Sk")
_SINGLE_LINE_BREAKS = re.compile(r"[\r\n\t]")


def normalise(value: str | None, multiline: bool = False) -> str:
    """NFC-normalise and strip; single-line fields must not contain line breaks."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value).strip()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _joinable(char: str) -> bool:
    category = unicodedata.category(char)
    return category in _JOINABLE or category[0] in _JOINABLE


def _stray_joiner(value: str) -> bool:
    """A ZWJ/ZWNJ that does not sit between two characters it can join."""
    for match in _JOINERS.finditer(value):
        start, end = match.start(), match.end()
        if start == 0 or end == len(value):
            return True
        if not (_joinable(value[start - 1]) and _joinable(value[end])):
            return True
    return False


def has_forbidden_characters(value: str, multiline: bool = False) -> bool:
    if _FORBIDDEN.search(value) or _stray_joiner(value):
        return True
    if multiline:
        return "\t" in value
    return bool(_SINGLE_LINE_BREAKS.search(value))


# Letters NFKD does not take apart, and the final sigma; the same table is in static/js/map.js.
_FOLD_LETTERS = str.maketrans({"ß": "ss", "ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae",
                               "œ": "oe", "ς": "σ"})


def fold(value: str) -> str:
    """Search form of a text: "Bäckerei", "Baeckerei" and "backerei" all become "backerei".

    Lower case, accents and umlaut dots removed, then the German spellings ae/oe/ue read as
    a/o/u, so a query and a text folded the same way match whichever spelling either used.
    static/js/map.js (fold) does exactly the same, so map and list agree.
    """
    decomposed = unicodedata.normalize("NFKD", value.lower().translate(_FOLD_LETTERS))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return plain.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def casefold_email(address: str) -> str:
    """The key of an address: one spelling per mailbox, whatever the case or Unicode form."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", address.strip()).casefold())


# What a mail program would turn into a link: schemes, www., e-mail addresses, bare host names
# with a common top-level domain.
_LINK_LIKE = re.compile(
    r"\b[a-z][a-z0-9+.\-]*://\S*|\b(?:mailto|javascript|data|tel|sms|file):\S+|\bwww\d*\.\S+"
    r"|\S+@\S+|\b(?:[\w\-]+\.)+(?:com|de|net|org|info|eu|io|ly|me|biz|app|xyz|ru|cn|top|shop"
    r"|online|site|link|click|co|gl|to|cc|ws|su|tk|page|dev|store|live|nl|at|ch|uk|us)\b(?:/\S*)?",
    re.IGNORECASE,
)
LINK_REMOVED = "[Link entfernt]"
QUOTE_LIMIT = 80


def without_links(value: str) -> str:
    """The text with everything a mail program would make clickable replaced by a marker."""
    return _LINK_LIKE.sub(LINK_REMOVED, value)


def quoted_entry(value: str | None, limit: int = QUOTE_LIMIT) -> str:
    """„…“ around what someone typed into a form, shortened and without links, for mails: so a
    stranger's words never read like the city's own."""
    text = " ".join(without_links(value or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"„{text}“"


def slugify(value: str) -> str:
    """ASCII slug for URLs: umlauts transliterated, other scripts dropped."""
    value = value.replace("ß", "ss").replace("ẞ", "SS")
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        value = value.replace(umlaut, plain)
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "betrieb"


def mask_email(address: str) -> str:
    """m…@firma.de: enough to recognise one's own address, not enough to harvest it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"
