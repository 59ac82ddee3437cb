"""Languages of the public pages: which locale a request gets, the catalogues, and formatting.

Supported: German (source language, default), Einfache Sprache (plain German), English,
Turkish, Ukrainian, Arabic (right-to-left) and Russian — see `locales.LOCALES`.

* Choice: `?lang=<tag>` on any page sets the language and remembers it in a first-party cookie
  (`lang`, one year, SameSite=Lax, HttpOnly; no account, nothing else stored); without it the
  cookie decides, then the browser's `Accept-Language`, then German. QR links (`/t/…`) and
  open data stay cookieless (core/sessions.py): a scanned code greets in the browser's language.
* Einfache Sprache is the gettext locale `de@simple` (a Babel locale with the modifier
  "simple": German CLDR data for dates and numbers, its own catalogue). In HTML, `hreflang`
  and `?lang=` it is the BCP 47 private-use tag `de-x-simple` (screen readers speak German).
* Staff pages, employer sign-up and self-service, and the open-data page stay German in every
  case (`GERMAN_ONLY_BLUEPRINTS`): their strings are not extracted into the catalogues.
* Catalogues: `campaign/translations/<locale>/LC_MESSAGES/messages.po`, inside the package so
  the wheel carries them. No `.mo` file is committed or built: `catalogues.CatalogueDomain`
  compiles each `.po` in memory the first time a worker needs that language (a few
  milliseconds), so a fresh clone, an editable install and a wheel all behave alike and a
  stale `.mo` can never hide an edited `.po`. Fuzzy entries are not used (gettext's rule).
  Update them with `make translations` (pybabel extract + update, see babel.cfg).
* Formatting (`formatting`): times are always 24-hour `9:00` (what the door and the city's
  signs show), numbers use each locale's decimal sign with Latin digits, also in Arabic
  (addresses, phone numbers and postcodes around them are Latin digits too).
"""

from campaign.i18n import catalogues, locales


def init_app(app, babel) -> None:
    babel.init_app(app, locale_selector=locales.select_locale)
    babel.domain_instance = catalogues.CatalogueDomain()
    locales.init_app(app)
