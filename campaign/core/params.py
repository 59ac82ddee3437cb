"""Integer parameters from URLs and forms, read in one place.

str.isdigit() is true for '²', which int() then refuses (ValueError); int() takes full-width
and Arabic-Indic digits; and numbers beyond 2**63 reach the database, where SQLite raises
OverflowError and PostgreSQL DataError. Here ids, page numbers and versions are ASCII digits
within the signed 64-bit range, or they count as absent.
"""

from __future__ import annotations

import re

from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**63 - 1
MAX_PAGE = 100_000  # keeps OFFSET = (page - 1) * per_page far inside the 64-bit range
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def int_param(value: object, default: int | None = None) -> int | None:
    """The value as a non-negative 64-bit integer, or `default` when it is anything else."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return default
    number = int(value)
    return number if number <= MAX_ID else default


def int_params(values: list[str]) -> set[int]:
    """The valid integers among several values (e.g. the ids of ticked checkboxes)."""
    return {number for value in values if (number := int_param(value)) is not None}


def page_param(args, name: str = "page") -> int:
    """The page number asked for: 1 when missing or odd; pagination shows the last page for a
    number past the end."""
    return min(max(1, int_param(args.get(name), 1)), MAX_PAGE)


class IdConverter(BaseConverter):
    """`<id:entry_id>`: ASCII digits within the 64-bit range; anything else is a 404."""

    regex = r"[0-9]{1,19}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int_param(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


def init_app(app) -> None:
    app.url_map.converters["id"] = IdConverter
