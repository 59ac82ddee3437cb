"""Helpers for admin tests: sign in and post forms the way the panel's pages do."""

from __future__ import annotations

import re

PASSWORD = "korrekt pferd batterie heftklammer"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/admin/login") -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    page = client.get(path).get_data(as_text=True)
    return TOKEN.search(page).group(1)


def post(client, path: str, data: dict | None = None, **kwargs):
    """POST like the panel's forms do: with the session's CSRF token."""
    token = csrf_token(client, "/admin/passwort")
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    token = csrf_token(client)
    query = {"next": next_url} if next_url is not None else None
    return client.post("/admin/login", query_string=query,
                       data={"csrf_token": token, "email": email, "password": password})


