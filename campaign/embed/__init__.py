"""The map partners embed in their own pages: a chrome-less map and list under /einbetten/
that only the origins in CAMPAIGN_EMBED_ORIGINS may frame, and the staff page that builds the
iframe snippet for a chosen filter."""
