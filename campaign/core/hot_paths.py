"""The hottest public requests (QR redirects, open data, the map's data) skip bookkeeping they
do not need: none of them has a rate limit, yet Flask-Limiter works out for every request which
limits apply and which headers to add (about a tenth of a millisecond, half the QR redirect's
own time). It has no switch for this, so its two hooks get a guard in front."""

from __future__ import annotations

import functools

from flask import Flask, request

from campaign.extensions import limiter

UNLIMITED = frozenset({"api.geojson", "api.csv", "public.qr", "public.map_data"})


def skip_rate_limits(app: Flask) -> None:
    before = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit  # noqa: SLF001 (the hook init_app registered)
    if check in before:  # not when rate limits are off
        before[before.index(check)] = _unless_unlimited(check)
    after = app.after_request_funcs.setdefault(None, [])
    for position, hook in enumerate(after):
        if isinstance(hook, functools.partial) and hook.args == (limiter,):  # adds headers
            after[position] = _unless_unlimited(hook)


def _unless_unlimited(hook):
    """`hook`, left out for UNLIMITED endpoints; an after-request hook's response (its one
    argument) is passed on unchanged."""

    def guarded(*response):
        if request.endpoint not in UNLIMITED:
            return hook(*response)
        return response[0] if response else None

    return guarded
