"""The register of employers' entries: their lifecycle and every rule that changes them.

Owns the lifecycle operations (confirm, edit, pause, withdraw, publish), staff decisions
(approve, ask, reject, sticker states), the field vocabulary, drop-in hours, invitations and
waves, CSV imports, yearly reconfirmation, retention and the demo data. Operations add and flush;
the calling view or command commits.
"""
