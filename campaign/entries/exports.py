"""Staff CSV export: UTF-8 with BOM and semicolons so German Excel opens it, formulas defused.

A large export is streamed: rows are read in batches and written a few hundred lines at a
time, so neither the database rows nor the file are ever held in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import contains_eager

from campaign.core.spreadsheet import csv_lines, csv_text, defuse
from campaign.entries.dropin import WEEKDAYS
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS, STATUS_LABELS
from campaign.extensions import db
from campaign.models import ENTRY_FIELDS, Employer, EmployerPrivate, EntryField, Kind

ROWS_PER_BATCH = 1000  # entries fetched from the database at a time
LINES_PER_CHUNK = 500  # CSV lines sent to the client at a time

# Sticker states as staff read them (the panel uses the same labels).
STICKER_LABELS = {
    "none": _l("Kein Aufkleber"),
    "requested": _l("Angefordert"),
    "printed": _l("Gedruckt"),
    "handed_over": _l("Übergeben"),
    "on_door": _l("Hängt an der Tür"),
}

# How each kind of value reads in a cell; text kinds are written as they are.
CELL_TEXT = {
    Kind.STATUS: lambda v: STATUS_LABELS.get(v, v),
    Kind.COORDINATE: lambda v: "" if v is None else str(v).replace(".", ","),
    Kind.OFFERS: lambda v: ", ".join(str(OFFER_LABELS.get(o, o)) for o in v or []),
    Kind.LANGUAGES: lambda v: ", ".join(LANGUAGES.get(c, c) for c in v or []),
    Kind.DROP_IN: lambda v: drop_in_text(v or {}),
    Kind.FLAG: lambda v: "ja" if v else "nein",
    Kind.TIMESTAMP: lambda v: v.strftime("%d.%m.%Y") if v else "",
    Kind.STICKER: lambda v: str(STICKER_LABELS.get(v, v)),
    Kind.WAVE: lambda v: v.name if v else "",
}
PUBLIC_COLUMNS = tuple(f for f in ENTRY_FIELDS if f.export is not False and not f.private)
PRIVATE_COLUMNS = tuple(f for f in ENTRY_FIELDS if f.export is not False and f.private)


def drop_in_text(drop_in: dict) -> str:
    if drop_in.get("opening_hours"):
        return str(_l("während der Öffnungszeiten"))
    return "; ".join(f"{WEEKDAYS[s['day']]} {s['start']}–{s['end']}"
                     for s in drop_in.get("slots", []))


def header(include_private: bool) -> list[str]:
    columns = PUBLIC_COLUMNS + PRIVATE_COLUMNS if include_private else PUBLIC_COLUMNS
    return [column.export_heading for column in columns]


def cell(column: EntryField, record) -> str:
    value = getattr(record, column.name)
    return CELL_TEXT[column.kind](value) if column.kind in CELL_TEXT else value


def row(employer: Employer, include_private: bool) -> list[str]:
    cells = [cell(column, employer) for column in PUBLIC_COLUMNS]
    if include_private:
        private = employer.private
        cells += [cell(column, private) if private else "" for column in PRIVATE_COLUMNS]
    return [defuse(value) for value in cells]


def employers_csv(employers: Iterable[Employer], include_private: bool) -> str:
    rows = (row(employer, include_private) for employer in employers)
    return csv_text([header(include_private), *rows], ";")


def employers_csv_chunks(employers: Iterable[Employer], include_private: bool) -> Iterator[str]:
    """The same file as employers_csv, as pieces of LINES_PER_CHUNK lines."""
    rows = (row(employer, include_private) for employer in employers)
    lines = csv_lines(chain([header(include_private)], rows), ";")
    while chunk := "".join(islice(lines, LINES_PER_CHUNK)):
        yield chunk


def streamed_csv(query: Select, include_private: bool) -> Iterator[str]:
    """The export of the query's entries, which must be joined to their private data (outer
    join): each entry comes with its contact data and wave in the same row, in batches."""
    if include_private:
        query = query.options(contains_eager(Employer.private).joinedload(EmployerPrivate.wave))
    employers = db.session.scalars(query.execution_options(yield_per=ROWS_PER_BATCH))
    yield from employers_csv_chunks(employers, include_private)
