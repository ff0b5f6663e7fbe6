"""Database-backed sign-in lockout: 5 failures on one login name lock it for 30 minutes.

Kept in the database rather than a per-process cache so every web process agrees and a
restart does not unlock. Unknown and real login names are treated identically.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from harbour.accounts.models import LoginThrottle


def is_locked(login: str) -> bool:
    row = LoginThrottle.objects.filter(key=LoginThrottle.key_for(login)).first()
    return bool(row and row.locked_until and row.locked_until > timezone.now())


def spend_hash_time(password: str) -> None:
    """Do the work a real password check does, so a locked or unknown account answers in
    about the same time as a wrong password."""
    make_password(password or "-")


def record_failure(login: str) -> None:
    now = timezone.now()
    key = LoginThrottle.key_for(login)
    with transaction.atomic():
        row, _ = LoginThrottle.objects.get_or_create(key=key)
        # F() makes the increment atomic when two attempts arrive at once.
        LoginThrottle.objects.filter(key=key).update(failures=F("failures") + 1, last_failure=now)
        row.refresh_from_db(fields=["failures"])
        if row.failures >= settings.HARBOUR_LOGIN_FAILURE_LIMIT:
            LoginThrottle.objects.filter(key=key).update(
                locked_until=now + settings.HARBOUR_LOGIN_LOCK, failures=0
            )


def clear(login: str) -> None:
    LoginThrottle.objects.filter(key=LoginThrottle.key_for(login)).delete()
