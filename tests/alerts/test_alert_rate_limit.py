"""Alert sign-ups are throttled like sign-ups: per client address and per e-mail address."""

from __future__ import annotations

import pytest

from tests.alerts.test_alerts import subscribe


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "SIGNUP_RATE_LIMIT": "4 per hour",
            "LINK_RATE_LIMIT_PER_ADDRESS": "2 per 10 minutes"}


def test_one_address_gets_few_confirmation_mails(client, smtp):
    codes = [subscribe(client, f"?offers=praktikum&page={n}", "kim@schule.example").status_code
             for n in range(3)]
    assert codes == [200, 200, 429]
    assert len(smtp.to("kim@schule.example")) == 2  # the third never reached the outbox
    others = [subscribe(client, address=f"p{n}@schule.example").status_code for n in range(4)]
    assert others[0] == 200 and others[-1] == 429  # 4 per hour from one client in all
