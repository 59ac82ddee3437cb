"""Logs never hold tokens, e-mail addresses or passwords (SECURITY.md 67)."""

from __future__ import annotations

import logging

from tests.test_selfservice import confirm, csrf_of, registered  # noqa: F401 (fixture)
from tests.test_signup import post_signup


def test_the_whole_employer_journey_logs_nothing_personal(client, app, smtp, registered,  # noqa: F811
                                                          caplog):
    caplog.set_level(logging.DEBUG)
    confirm_path, manage_path = registered
    confirm(client, confirm_path)
    client.get(manage_path)
    page = client.get("/mein-eintrag").get_data(as_text=True)
    client.post("/mein-eintrag", data={"email": "erika@sonnenschein.de", "csrf_token": csrf_of(page)})
    post_signup(client, app, website_confirm="spam")          # honeypot: logged
    post_signup(client, app, form_started="forged")           # timer: logged
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"             # outage: logged
    post_signup(client, app, contact_email="zweite@firma.de")
    # aiosmtpd ("mail.log") is the test's own SMTP server, not the app
    logged = "\n".join(r.getMessage() for r in caplog.records
                       if not r.name.startswith(("mail.log", "asyncio")))
    assert "honeypot" in logged and "SMTP delivery failed" in logged  # the log is not empty
    for secret in ("erika@", "zweite@", "sonnenschein.de", confirm_path.rsplit("/", 1)[1][:20],
                   manage_path.rsplit("/", 1)[1][:20], "Erika Muster"):
        assert secret not in logged, secret
