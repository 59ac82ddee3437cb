"""Self-service for employers at ``/mein-eintrag``: magic-link login, edit, pause, resume and
withdrawal of their own entry."""
