"""Sign-up and password reset answer alike and as fast for any address, and flood no one."""

import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from portal.hashers import OwaspArgon2PasswordHasher

pytestmark = pytest.mark.django_db

PASSWORD = "steppe-horizon-4821"


class CountingSlowArgon2(OwaspArgon2PasswordHasher):
    """The real Argon2id hasher, slower (so a skipped hash shows in the timing) and counted."""

    time_cost = 12
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).calls += 1
        return super().encode(password, salt)


def _sign_up(client: Client, email: str, address: str = "10.20.30.40"):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "preferred_language": "en"}
    return client.post(reverse("accounts:signup"), data, REMOTE_ADDR=address)


def _reset(client: Client, email: str, address: str = "10.20.30.40"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def no_limits(settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 10_000
    settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = 10_000


def _seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_sign_up_takes_as_long_for_a_registered_address_as_for_a_new_one(applicant, settings, no_limits):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingSlowArgon2"]
    hash_seconds = statistics.median(_seconds(lambda: make_password(PASSWORD)) for _ in range(3))
    existing, new = [], []
    CountingSlowArgon2.calls = 0
    for run in range(5):  # interleaved, so a busy moment of the machine hits both alike
        existing.append(_seconds(lambda: _sign_up(Client(), applicant.email)))
        new.append(_seconds(lambda run=run: _sign_up(Client(), f"new.{run}@example.org")))
    # The hasher ran on every sign-up, not only for new accounts.
    assert CountingSlowArgon2.calls == 10
    gap = abs(statistics.median(existing) - statistics.median(new))
    assert gap < hash_seconds / 2, (existing, new, hash_seconds)
    assert len(mail.outbox) == 10  # one e-mail each: the owner's note or the new link


def test_password_reset_takes_as_long_for_an_unknown_address_as_for_an_account(applicant, no_limits):
    known, unknown = [], []
    for run in range(5):
        known.append(_seconds(lambda: _reset(Client(), applicant.email)))
        unknown.append(_seconds(lambda run=run: _reset(Client(), f"nobody.{run}@example.org")))
    # The same path for both: one e-mail rendered and sent each.
    assert sorted(m.to[0] for m in mail.outbox).count(applicant.email) == 5
    assert len(mail.outbox) == 10
    gap = abs(statistics.median(known) - statistics.median(unknown))
    assert gap < max(0.02, statistics.median(known) / 2), (known, unknown)


def test_one_address_receives_at_most_the_hourly_number_of_account_emails(applicant, settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 3
    answers = [_sign_up(Client(), applicant.email, address=f"10.0.0.{n}") for n in range(3)]
    # Another path to the same address shares the count.
    answers.append(_reset(Client(), applicant.email, address="10.0.0.9"))
    answers.append(_sign_up(Client(), applicant.email, address="10.0.0.10"))
    assert len(mail.outbox) == 3
    # Over the limit the answer is the same as under it.
    assert {(a.status_code, a["Location"]) for a in answers[:3] + answers[4:]} == {
        (302, reverse("accounts:signup_done"))
    }
    assert answers[3].status_code == 302
    # Another address is not affected.
    _sign_up(Client(), "someone.else@example.org", address="10.0.0.11")
    assert mail.outbox[-1].to == ["someone.else@example.org"]


def test_one_client_triggers_at_most_the_hourly_number_of_account_emails(db, settings, security_log):
    settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = 4
    answers = [_sign_up(Client(), f"victim.{n}@example.org", address="198.51.100.5") for n in range(6)]
    assert len(mail.outbox) == 4
    assert {a.status_code for a in answers} == {302}
    assert len(security_log.events("account_email_limited")) == 2
    # The accounts are still made; their owners can ask for the link again later.
    assert get_user_model().objects.filter(email__startswith="victim.").count() == 6
    # Another client is not affected.
    _sign_up(Client(), "victim.7@example.org", address="198.51.100.6")
    assert len(mail.outbox) == 5


def test_the_client_limit_counts_the_real_client_behind_the_proxy(db, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR = 2
    client = Client()
    for n in range(3):
        data = {"email": f"p{n}@example.org", "password1": PASSWORD, "password2": PASSWORD, "preferred_language": "en"}
        client.post(reverse("accounts:signup"), data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    # Three clients behind one proxy: three e-mails, none of them limited.
    assert len(mail.outbox) == 3


def test_without_a_cache_to_count_in_nothing_is_sent_and_the_answer_is_the_same(applicant, security_log):
    dead = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=dead):
        sign_up = _sign_up(Client(), "fresh@example.org")
        reset = _reset(Client(), applicant.email)
    assert sign_up.status_code == reset.status_code == 302
    assert sign_up["Location"] == reverse("accounts:signup_done")
    assert mail.outbox == []
    assert security_log.events("account_email_limit_unavailable")
