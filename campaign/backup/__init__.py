"""Backups of the register: a consistent copy of the live database in one file.

SQLite is copied with its online backup API (a plain `cp` of a live WAL database can miss the
newest rows); PostgreSQL is dumped with `pg_dump --format=custom`, restored with `pg_restore`.
"""
