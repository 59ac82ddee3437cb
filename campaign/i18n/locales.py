"""Which language a request is answered in, and the language switcher's links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, current_app, g, request

from campaign.core.sessions import SESSIONLESS_PREFIXES

COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600
GERMAN_ONLY_BLUEPRINTS = frozenset({"admin", "registration", "selfservice", "api"})


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47: html lang, hreflang, ?lang= and the cookie
    locale: str  # gettext/Babel locale: catalogue directory and formatting
    name: str  # the language's name in itself, for the switcher
    rtl: bool = False

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"


LOCALES = (
    Language("de", "de", "Deutsch"),
    Language("de-x-simple", "de@simple", "Einfache Sprache"),
    Language("en", "en", "English"),
    Language("tr", "tr", "Türkçe"),
    Language("uk", "uk", "Українська"),
    Language("ar", "ar", "العربية", rtl=True),
    Language("ru", "ru", "Русский"),
)
BY_TAG = {language.tag: language for language in LOCALES}
BY_LOCALE = {language.locale: language for language in LOCALES}
DEFAULT = LOCALES[0]


def from_tag(tag: str | None) -> Language | None:
    return BY_TAG.get((tag or "").strip().lower())


def is_cookieless_path() -> bool:
    """QR links and open data carry no cookie, read or written, so shared caches can keep them:
    a scanned /t/ page greets in the browser's language."""
    return request.path.startswith(SESSIONLESS_PREFIXES)


def is_translated_page() -> bool:
    """German-only areas (staff, employers' forms, open data) ignore every language choice."""
    return request.blueprint not in GERMAN_ONLY_BLUEPRINTS


def choose(query: str | None, cookie: str | None, accept_languages) -> Language:
    """?lang= first, then the remembered choice, then the browser's languages, then German."""
    chosen = from_tag(query) or from_tag(cookie)
    if chosen:
        return chosen
    best = accept_languages.best_match([language.tag for language in LOCALES])
    return from_tag(best) or DEFAULT


def current() -> Language:
    """The language of this request (German outside a request and on German-only pages)."""
    if not request:
        return DEFAULT
    if "language" not in g:
        g.language = DEFAULT
        if is_translated_page():
            cookie = None if is_cookieless_path() else request.cookies.get(cookie_name())
            g.language = choose(request.args.get("lang"), cookie, request.accept_languages)
    return g.language


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return current().locale


def cookie_name() -> str:
    return "__Host-lang" if current_app.config.get("SESSION_COOKIE_SECURE") else COOKIE


def remember_choice(response):
    """Set the cookie when ?lang= chose a language; translated pages vary by language."""
    if not is_translated_page():
        return response
    cookieless = is_cookieless_path()
    chosen = from_tag(request.args.get("lang"))
    if chosen and not cookieless and request.cookies.get(cookie_name()) != chosen.tag:
        response.set_cookie(cookie_name(), chosen.tag, max_age=COOKIE_SECONDS, path="/",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
                            httponly=True, samesite="Lax")
    if "text/html" in (response.mimetype or ""):
        response.vary.update(("Accept-Language",) if cookieless else ("Accept-Language", "Cookie"))
    return response


def switcher_links() -> list[tuple[Language, str]]:
    """(language, link to this page in that language), keeping path and query."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return [(language, f"{request.path}?{urlencode([*args, ('lang', language.tag)])}")
            for language in LOCALES]


def init_app(app: Flask) -> None:
    app.after_request(remember_choice)
    app.jinja_env.globals.update(current_language=current, language_links=switcher_links,
                                 translated_page=is_translated_page)
