"""What every feature stands on: the database session and its write rules, security headers and
bot checks, sessions, error pages, templating helpers, the mail outbox, signed tokens and links,
the audit log, the city file, text normalisation, shared validators, base forms and downloads.

Nothing here knows about one feature; features import from here, never the other way round.
"""
