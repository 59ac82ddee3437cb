"""Hearing about new open doors for a saved /karte filter: the Atom feed (/karte.atom) and
e-mail alerts (double opt-in, one daily digest sent by `flask campaign send-alerts`, one-click
unsubscribe, no account; the address is kept only for this and deleted on unsubscribe or after
12 months without a digest)."""
