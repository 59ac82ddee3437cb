"""Problem reports: the public form on employer pages ("Stimmt etwas nicht?") and the staff
inbox that works through them."""
