"""Message catalogues: each .po file compiled in memory the first time a worker needs it."""

from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask_babel import Domain, get_locale
from flask_babel import _get_current_context as babel_context

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalogue(locale: str) -> Catalog | None:
    path = po_path(locale)
    if not path.is_file():
        return None
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def compile_catalogue(catalog: Catalog) -> Translations:
    """The .mo bytes gettext would read, built in memory; fuzzy entries are left out."""
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


class CatalogueDomain(Domain):
    """Flask-Babel's domain, reading .po files instead of precompiled .mo files."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def get_translations(self):
        """The catalogue of the current locale; a page asks hundreds of times, so the answer is
        kept on the request for as long as its locale is the same object (force_locale, used
        for mails, sets another)."""
        context = babel_context()
        if context is None:
            return NullTranslations()
        locale = get_locale()
        known = getattr(context, "campaign_translations", None)
        if known is not None and known[0] is locale:
            return known[1]
        translations = self.cache.get(str(locale))
        if translations is None:
            with self._lock:
                catalog = read_catalogue(str(locale))
                translations = compile_catalogue(catalog) if catalog else NullTranslations()
                self.cache[str(locale)] = translations
        context.campaign_translations = (locale, translations)
        return translations
