"""The same sign-up form sent twice at the same moment: one entry, one confirmation mail."""

from __future__ import annotations

import threading

from campaign.models import Employer
from tests.conftest import form_timer_for
from tests.test_signup import count, post_signup


def test_one_form_posted_twice_at_once_sends_one_mail(client, app, smtp):
    timer = form_timer_for(app)
    start = threading.Barrier(2)
    answers = []

    def send():
        start.wait()
        answers.append(post_signup(client, app, form_started=timer).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(answers) == 2 and all(code < 500 for code in answers)
    assert count(app, Employer) == 1
    smtp.wait_for(1)
    assert len(smtp.messages) == 1
