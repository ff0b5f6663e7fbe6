"""Shared fixtures: organisations, one user per role, and the "someone who must see
nothing": an admin of another organisation.

Every staff user made here has TOTP enrolled (secret TOTP_SECRET), as production requires.
"""

import functools
import socket

import pytest
from aiosmtpd.controller import Controller
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db.backends.signals import connection_created

from harbour.accounts.constants import OrganisationKind, Role
from harbour.accounts.models import Membership, Organisation, User

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@functools.cache
def password_hash() -> str:
    # argon2 is slow on purpose; hash the shared test password once per run, not per user.
    return make_password(PASSWORD)


def make_user(email: str, org: Organisation, *roles: str, mfa: bool = True) -> User:
    user = User.objects.create(
        email=email, password=password_hash(), full_name=email.split("@")[0].title()
    )
    for role in roles:
        Membership.objects.create(user=user, organisation=org, role=role)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def unit(db) -> Organisation:
    return Organisation.objects.create(
        name="Test Victim Services Unit", slug="unit", kind=OrganisationKind.VSU
    )


@pytest.fixture
def other_unit(db) -> Organisation:
    return Organisation.objects.create(
        name="Other Victim Services Unit", slug="other-unit", kind=OrganisationKind.VSU
    )


@pytest.fixture
def users(unit) -> dict[str, User]:
    """One user per role in `unit`, keyed by role."""
    return {role: make_user(f"{role}@unit.test", unit, role) for role in Role.values}


@pytest.fixture
def outsider(other_unit) -> User:
    """An admin of another organisation: strongest role, wrong tenant. Must see nothing."""
    return make_user("admin@other.test", other_unit, Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER)


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_db_blocker):
    """Build the static files exactly as production does (hashed manifest), once per run:
    a stylesheet that refers to a missing file fails here, not in front of a user."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth keeps its per-IP rate limits in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _allow_trail_truncation(sender, connection, **kwargs):
    """pytest-django empties every table after a transactional test with TRUNCATE; the audit
    trail's trigger refuses that unless the session says it is the test suite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET harbour.audit_truncate = 'allow'")


connection_created.connect(_allow_trail_truncation)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback, on a free port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def make_key(organisation, scopes) -> tuple:
    """An integration key of `organisation` with `scopes`, and its bearer token."""
    from harbour.accounts.models import IntegrationKey

    token, lookup, secret_hash = IntegrationKey.new_token()
    key = IntegrationKey.objects.create(
        organisation=organisation,
        name=f"{organisation.name} key",
        lookup=lookup,
        secret_hash=secret_hash,
        scopes=list(scopes),
    )
    return key, token
