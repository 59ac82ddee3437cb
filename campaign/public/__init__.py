"""The public site for young people: home page, map and list (``/karte``), employer pages
(``/betrieb/<slug>``), QR redirects (``/t/<code>``) with scan counting, search and the in-memory
snapshot of everything public."""
