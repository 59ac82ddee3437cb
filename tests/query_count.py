"""Count the SQL statements a piece of code sends: for tests that a page's queries do not grow
with the number of rows."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from campaign.extensions import db


@contextmanager
def counted_queries(app):
    """Collect every statement sent while the block runs; yields the list."""
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
