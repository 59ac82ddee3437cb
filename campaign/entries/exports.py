"""Staff CSV export: UTF-8 with BOM and semicolons so German Excel opens it, formulas defused.

The export is streamed: the entries are read in batches as plain rows (public and private
columns from one outer join) and written a few hundred lines at a time, so neither the rows
nor the file are ever held in memory whole, and the number of queries does not grow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from campaign.core.spreadsheet import csv_lines, defuse
from campaign.entries.dropin import WEEKDAYS
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS, STATUS_LABELS
from campaign.extensions import db
from campaign.models import ENTRY_FIELDS, Employer, EmployerPrivate, EntryField, Kind, Wave

ROWS_PER_BATCH = 1000  # rows fetched from the database at a time
LINES_PER_CHUNK = 500  # CSV lines handed to the server at a time

# Sticker states as staff read them (the panel uses the same labels).
STICKER_LABELS = {
    "none": _l("Kein Aufkleber"),
    "requested": _l("Angefordert"),
    "printed": _l("Gedruckt"),
    "handed_over": _l("Übergeben"),
    "on_door": _l("Hängt an der Tür"),
}
OPENING_HOURS = _l("während der Öffnungszeiten")
PUBLIC_COLUMNS = tuple(f for f in ENTRY_FIELDS if f.export is not False and not f.private)
PRIVATE_COLUMNS = tuple(f for f in ENTRY_FIELDS if f.export is not False and f.private)


def drop_in_text(drop_in: dict, weekdays=WEEKDAYS, opening_hours=OPENING_HOURS) -> str:
    if drop_in.get("opening_hours"):
        return str(opening_hours)
    return "; ".join(f"{weekdays[s['day']]} {s['start']}–{s['end']}"
                     for s in drop_in.get("slots", []))


def _translated(labels: dict) -> dict[str, str]:
    return {key: str(label) for key, label in labels.items()}


def cell_texts() -> dict[Kind, Callable]:
    """How each kind of value reads in a cell; text kinds are written as they are. Labels are
    translated here, once per export: a lookup per cell would cost more than the cell."""
    status, offers = _translated(STATUS_LABELS), _translated(OFFER_LABELS)
    stickers, weekdays = _translated(STICKER_LABELS), [str(day) for day in WEEKDAYS]
    opening_hours = str(OPENING_HOURS)
    return {
        Kind.STATUS: lambda v: status.get(v, v),
        Kind.COORDINATE: lambda v: "" if v is None else str(v).replace(".", ","),
        Kind.OFFERS: lambda v: ", ".join(offers.get(o, o) for o in v or []),
        Kind.LANGUAGES: lambda v: ", ".join(LANGUAGES.get(c, c) for c in v or []),
        Kind.DROP_IN: lambda v: drop_in_text(v or {}, weekdays, opening_hours),
        Kind.FLAG: lambda v: "ja" if v else "nein",
        Kind.TIMESTAMP: lambda v: v.strftime("%d.%m.%Y") if v else "",
        Kind.STICKER: lambda v: stickers.get(v, v),
        Kind.WAVE: lambda v: v or "",  # the wave's name
    }


def header(include_private: bool) -> list[str]:
    columns = PUBLIC_COLUMNS + PRIVATE_COLUMNS if include_private else PUBLIC_COLUMNS
    return [column.export_heading for column in columns]


def cell(column: EntryField, record, texts: dict[Kind, Callable]) -> str:
    value = getattr(record, column.name)
    return texts[column.kind](value) if column.kind in texts else value


def row(record, include_private: bool, texts: dict[Kind, Callable]) -> list[str]:
    """One line of the file from a row of export_columns."""
    cells = [cell(column, record, texts) for column in PUBLIC_COLUMNS]
    if include_private:
        has_private = record.private_id is not None
        cells += [cell(column, record, texts) if has_private else ""
                  for column in PRIVATE_COLUMNS]
    return [defuse(value) for value in cells]


def export_columns(include_private: bool) -> list:
    """The exported fields as labelled columns; the wave as its name."""
    columns = [getattr(Employer, f.name).label(f.name) for f in PUBLIC_COLUMNS]
    if include_private:
        columns.append(EmployerPrivate.id.label("private_id"))
        columns += [(Wave.name if f.kind == Kind.WAVE else getattr(EmployerPrivate, f.name))
                    .label(f.name) for f in PRIVATE_COLUMNS]
    return columns


def csv_chunks(records: Iterable, include_private: bool) -> Iterator[str]:
    """The file (BOM, heading, a line per record) as pieces of LINES_PER_CHUNK lines."""
    texts = cell_texts()
    rows = (row(record, include_private, texts) for record in records)
    lines = csv_lines(chain([header(include_private)], rows), ";")
    while chunk := "".join(islice(lines, LINES_PER_CHUNK)):
        yield chunk


def streamed_csv(query: Select, include_private: bool) -> Iterator[str]:
    """The export of the query's entries. The query selects Employer, outer-joined to
    EmployerPrivate; it keeps its filters and order, and is read ROWS_PER_BATCH rows at a time."""
    query = query.with_only_columns(*export_columns(include_private))
    if include_private:
        query = query.outerjoin(Wave, Wave.id == EmployerPrivate.wave_id)
    records = db.session.execute(query.execution_options(yield_per=ROWS_PER_BATCH))
    yield from csv_chunks(records, include_private)
