"""Signing in: email and password, then TOTP; lockout after 5 failures for 30 minutes,
answered identically for unknown and real accounts; MFA enrolment enforced."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.middleware import MFA_SEEN_FOR, MFA_SEEN_KEY, SEEN_KEY
from harbour.accounts.models import LoginThrottle
from harbour.testing.fixtures import PASSWORD, TOTP_SECRET, make_user

LOGIN = "/accounts/login/"


def current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def post_login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_it_signs_in_with_password_then_totp(client, users):
    response = post_login(client, "caseworker@unit.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/home/").status_code == 200


def test_it_refuses_a_wrong_totp_code(client, users):
    post_login(client, "caseworker@unit.test", PASSWORD)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert client.get("/home/").status_code == 302


def test_it_hashes_passwords_with_argon2(users):
    assert identify_hasher(users["caseworker"].password).algorithm == "argon2"


def test_it_sends_a_user_without_mfa_to_enrol(client, unit):
    user = make_user("new@unit.test", unit, "caseworker", mfa=False)
    client.force_login(user)
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_it_locks_an_account_after_five_failures(client, users):
    for _ in range(5):
        response = post_login(client, "caseworker@unit.test", "wrong password")
        assert response.status_code == 200
    # The right password no longer works while the lock holds.
    response = post_login(client, "caseworker@unit.test", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    row = LoginThrottle.objects.get(key=LoginThrottle.key_for("caseworker@unit.test"))
    assert row.locked_until > timezone.now() + timedelta(minutes=29)


def test_the_lock_lifts_after_thirty_minutes(client, users):
    for _ in range(5):
        post_login(client, "caseworker@unit.test", "wrong password")
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    response = post_login(client, "caseworker@unit.test", PASSWORD)
    assert response.status_code == 302


def _form_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(client, users):
    unknown = post_login(client, "nobody@unit.test", "wrong password")
    wrong = post_login(client, "caseworker@unit.test", "wrong password")
    assert unknown.status_code == wrong.status_code == 200
    assert _form_errors(unknown) == _form_errors(wrong)
    for _ in range(4):
        post_login(client, "nobody@unit.test", "wrong password")
        post_login(client, "caseworker@unit.test", "wrong password")
    locked_unknown = post_login(client, "nobody@unit.test", "x")
    locked_real = post_login(client, "caseworker@unit.test", "x")
    assert _form_errors(locked_unknown) == _form_errors(locked_real)
    assert "Too many failed sign-in attempts" in _form_errors(locked_real)[0]


def test_unknown_and_wrong_password_take_similar_time(client, users):
    def timed(email):
        start = time.perf_counter()
        post_login(client, email, "wrong password")
        return time.perf_counter() - start

    # Both paths run one argon2 hash; medians over a few tries keep scheduler noise out.
    # Distinct emails so the lockout does not start part-way.
    unknown = sorted(timed(f"ghost{i}@unit.test") for i in range(3))[1]
    LoginThrottle.objects.all().delete()
    wrong = sorted(timed("caseworker@unit.test") for _ in range(3))[1]
    assert 0.33 < unknown / wrong < 3.0


@pytest.mark.parametrize("path", ["/home/", "/people/", "/manage/users/"])
def test_it_sends_anonymous_visitors_to_sign_in(client, path, db):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_each_request_keeps_the_session_alive_for_thirty_more_minutes(client, users):
    client.force_login(users["caseworker"])
    client.get("/home/")
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_a_session_idle_for_thirty_minutes_is_over(client, users):
    client.force_login(users["caseworker"])
    client.get("/home/")
    # Thirty-one minutes without a request: the stored expiry has passed.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_demo_mode_relaxes_mfa_and_says_so_on_every_page(client, unit, settings):
    settings.DEMO_MODE = True
    user = make_user("demo@unit.test", unit, "caseworker", mfa=False)
    client.force_login(user)
    response = client.get("/home/")
    assert response.status_code == 200
    assert "two-factor sign-in is optional" in response.content.decode()
    settings.DEMO_MODE = False
    response = client.get("/home/")
    assert response["Location"] == reverse("mfa_activate_totp")


def test_requests_within_a_minute_write_nothing_to_the_session(client, users):
    client.force_login(users["caseworker"])
    client.get("/home/")
    first = Session.objects.get().expire_date
    seen = UserSession.objects.get().last_seen_at
    client.get("/home/")
    assert Session.objects.get().expire_date == first
    assert UserSession.objects.get().last_seen_at == seen


def test_a_request_a_minute_later_pushes_the_expiry_on(client, users):
    client.force_login(users["caseworker"])
    client.get("/home/")
    # Pretend the last touch was two minutes ago, in the session and in the database.
    session = client.session
    session[SEEN_KEY] -= 120
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=28))
    client.get("/home/")
    remaining = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_an_enrolled_session_is_looked_up_again_after_a_minute(client, users):
    """Most requests make no query for the authenticator; one removed behind a session's
    back sends that session to enrol again within the minute."""
    user = users["caseworker"]
    client.force_login(user)
    assert client.get("/home/").status_code == 200
    Authenticator.objects.filter(user=user).delete()
    # Within the minute the session's finding stands.
    assert client.get("/home/").status_code == 200
    session = client.session
    session[MFA_SEEN_KEY] -= MFA_SEEN_FOR
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
