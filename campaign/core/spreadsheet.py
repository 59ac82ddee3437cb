"""CSV that spreadsheet programs open safely, whichever separator (';' or ',') they split on.

A spreadsheet runs a cell as a formula when it starts with = + - @ (or a tab or carriage
return). A value is split into cells not only at the file's own separator: a German
spreadsheet splits at ';', an English one at ',', a paste or text import at a tab, and a
broken quote ends a row at a line break. So every place in a value where a cell could start gets an apostrophe before a trigger,
and every field with a separator, a quote or a line break is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

BOM = "\ufeff"  # without it, Excel reads UTF-8 as Windows-1252 and garbles umlauts
SEPARATORS = (";", ",")
# Where a cell can start (start of the value, after a separator or a line break), followed
# by blanks or quotes that a spreadsheet may drop, then a formula trigger.
_CELL_START_TRIGGER = re.compile(r"""(^|[;,\t\r\n])([ "]*)(?=[=+\-@\t\r])""")
_ANY_TRIGGER = re.compile(r"[=+\-@\t\r]")
_NUMBER_LIKE = re.compile(r"^[+\-]?[0-9 ()/.,\-]+$")
_NEEDS_QUOTES = re.compile(r'[;,"\r\n]')


def defuse(value, keep_numbers: bool = False) -> str:
    """The value as text in which no cell can start a formula. With keep_numbers, a plain
    number such as the phone number "+49 234 1" stays as it is: it holds no function and no
    reference, so it cannot do anything."""
    text = "" if value is None else str(value)
    if not _ANY_TRIGGER.search(text):  # the common case, and much quicker than the sub below
        return text
    if keep_numbers and _NUMBER_LIKE.match(text):
        return text
    return _CELL_START_TRIGGER.sub(r"\1\2'", text)


def quote(text: str) -> str:
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_lines(rows: Iterable[Iterable[str]], separator: str) -> Iterator[str]:
    """The BOM, then each row of defused text as a CSV line with a CRLF line end."""
    yield BOM
    for row in rows:
        yield separator.join(quote(cell) for cell in row) + "\r\n"


def csv_text(rows: Iterable[Iterable[str]], separator: str) -> str:
    """Rows of defused text as CSV with a BOM and CRLF line ends."""
    return "".join(csv_lines(rows, separator))
