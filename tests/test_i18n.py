"""The catalogues: every public string extracted from the code is translated in every language,
placeholders survive, nothing is fuzzy, and every .po compiles (in memory, as the app does)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from campaign.i18n import catalogues
from campaign.i18n.locales import LOCALES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [language.locale for language in LOCALES if language.locale != "de"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Entries that may stay fuzzy (reviewed and deliberately not used yet): none today.
ALLOWED_FUZZY: dict[str, set[str]] = {}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The template of today's code, made like `make translations` makes it."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
                    "-F", "babel.cfg", "-k", "_l", "-k", "lazy_pgettext:1c,2", "-o", str(pot),
                    "."], cwd=ROOT, check=True)
    with pot.open("rb") as file:
        return read_po(file)


def key(message) -> tuple:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def test_extraction_finds_the_public_strings(extracted):
    ids = {key(m)[1] for m in extracted if m.id}
    assert {"Offene Türen finden", "Jetzt ohne Termin offen – bis %(end)s Uhr", "Ausbildung",
            "Montag", "Problem melden", "Seite nicht gefunden", "Handwerk",
            "Sprache wählen"} <= ids
    assert "Zustimmen und absenden" not in ids  # employer sign-up stays German
    assert len(ids) > 200


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_extracted_string_is_translated(extracted, locale):
    catalog = catalogues.read_catalogue(locale)
    assert catalog is not None, f"campaign/translations/{locale} is missing"
    problems = []
    for message in extracted:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        forms = () if entry is None else (
            entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or not all(forms):
            problems.append(f"untranslated: {key(message)}")
        elif entry.fuzzy and key(message)[1] not in ALLOWED_FUZZY.get(locale, set()):
            problems.append(f"fuzzy: {key(message)}")
        elif any(set(PLACEHOLDER.findall(form)) - set(PLACEHOLDER.findall(key(message)[1]))
                 for form in forms):
            problems.append(f"unknown placeholder: {key(message)}")
    assert problems == [], f"{locale}: run `make translations` and translate:\n" + "\n".join(
        problems)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_compiles_without_errors(locale):
    catalog = catalogues.read_catalogue(locale)
    errors = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
    assert errors == []
    translations = catalogues.compile_catalogue(catalog)
    assert translations.gettext("Offene Türen finden") != "Offene Türen finden" or \
        locale == "de@simple"
    assert len(translations._catalog) > 200


def test_plural_forms_follow_the_language():
    uk = catalogues.compile_catalogue(catalogues.read_catalogue("uk"))
    singular = "In %(city)s hat schon %(num)d Betrieb die Tür geöffnet."
    plural = "In %(city)s haben schon %(num)d Betriebe die Tür geöffnet."
    forms = {n: uk.ngettext(singular, plural, n) for n in (1, 3, 5, 21)}
    assert forms[1] == forms[21] != forms[3] != forms[5]
    assert uk.ngettext("%(num)d Betrieb gefunden", "%(num)d Betriebe gefunden", 5) == \
        "Знайдено компаній: %(num)d"


def test_no_compiled_catalogue_is_committed():
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert tracked == ""
