"""An admin manages the users of their own organisation only."""

import threading
import time

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from harbour.accounts import lockout
from harbour.accounts.models import Membership, User
from harbour.audit.models import AccessEvent


def test_an_admin_adds_a_user_with_roles(client, users, unit, django_capture_on_commit_callbacks):
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("accounts:user_new"),
            {"email": "New.Worker@Unit.test", "full_name": "New Worker", "roles": ["caseworker"]},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.worker@unit.test")
    assert list(user.memberships.values_list("organisation", "role")) == [(unit.pk, "caseworker")]
    assert not user.has_usable_password()
    assert len(callbacks) == 1  # the welcome email is queued only once the user exists
    assert AccessEvent.objects.filter(action="user.add", object_id=str(user.pk)).exists()


def test_it_explains_what_is_missing(client, users):
    client.force_login(users["admin"])
    response = client.post(reverse("accounts:user_new"), {"email": "not an email", "roles": []})
    errors = response.context["form"].errors
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["full_name"] == ["This field is required."]
    assert errors["roles"] == ["Choose at least one role."]
    assert User.objects.count() == len(users)


def test_an_admin_changes_roles_in_their_own_organisation_only(client, users, unit, other_unit):
    worker = users["caseworker"]
    Membership.objects.create(user=worker, organisation=other_unit, role="partner")
    client.force_login(users["admin"])
    response = client.post(
        reverse("accounts:user", kwargs={"user_id": worker.pk}), {"roles": ["coordinator"]}
    )
    assert response.status_code == 302
    active = set(worker.memberships.filter(is_active=True).values_list("organisation", "role"))
    assert active == {(unit.pk, "coordinator"), (other_unit.pk, "partner")}


def test_an_admin_cannot_see_or_change_another_organisations_user(client, users, outsider):
    client.force_login(outsider)
    worker = users["caseworker"]
    assert client.get(reverse("accounts:user", kwargs={"user_id": worker.pk})).status_code == 404
    response = client.post(reverse("accounts:user_deactivate", kwargs={"user_id": worker.pk}))
    assert response.status_code == 404
    assert worker.memberships.filter(is_active=True).exists()
    listing = client.get(reverse("accounts:users")).content.decode()
    assert "caseworker@unit.test" not in listing


def test_deactivating_ends_access_to_the_organisation(client, users):
    client.force_login(users["admin"])
    worker = users["caseworker"]
    client.post(reverse("accounts:user_deactivate", kwargs={"user_id": worker.pk}))
    assert not worker.memberships.filter(is_active=True).exists()
    client.force_login(worker)
    assert client.get(reverse("home")).status_code == 403


def test_an_admin_cannot_deactivate_themself(client, users):
    admin = users["admin"]
    client.force_login(admin)
    client.post(reverse("accounts:user_deactivate", kwargs={"user_id": admin.pk}))
    assert admin.memberships.filter(is_active=True).exists()


def test_a_new_user_gets_a_welcome_email_from_the_worker(
    transactional_db, client, users, smtp_server
):
    # Real commits: the task is queued on commit, and the worker closes and reopens its
    # database connection as it does in production.
    port, inbox = smtp_server
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    client.force_login(users["admin"])
    client.post(
        reverse("accounts:user_new"),
        {"email": "new@unit.test", "full_name": "New Worker", "roles": ["caseworker"]},
    )
    with override_settings(MAILERS=mailers):
        call_command("worker", "--batch")
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message.rcpt_tos == ["new@unit.test"]
    body = message.content.decode()
    assert "Your Harbour account at Test Victim Services Unit" in body
    assert "/accounts/password/reset/key/" in body


def _lock(email: str) -> None:
    for _ in range(5):
        lockout.record_failure(email)
    assert lockout.is_locked(email)


def test_an_admin_sees_a_lockout_and_lifts_it(client, users):
    worker = users["caseworker"]
    _lock(worker.email)
    client.force_login(users["admin"])
    page = client.get(reverse("accounts:user", kwargs={"user_id": worker.pk}))
    assert "Sign-in is locked" in page.content.decode()
    response = client.post(reverse("accounts:user_unlock", kwargs={"user_id": worker.pk}))
    assert response.status_code == 302
    assert not lockout.is_locked(worker.email)
    assert AccessEvent.objects.filter(action="user.unlock", object_id=str(worker.pk)).exists()
    page = client.get(reverse("accounts:user", kwargs={"user_id": worker.pk}))
    assert "Sign-in is locked" not in page.content.decode()


def test_another_organisations_admin_cannot_unlock(client, users, outsider):
    worker = users["caseworker"]
    _lock(worker.email)
    client.force_login(outsider)
    response = client.post(reverse("accounts:user_unlock", kwargs={"user_id": worker.pk}))
    assert response.status_code == 404
    assert lockout.is_locked(worker.email)
