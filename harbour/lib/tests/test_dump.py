"""A copy of the database gives away no secret: known safe phone numbers and MFA secrets are
seeded and committed, the database is dumped as an operator would (SQLite `.dump`,
`pg_dump` on PostgreSQL), and none of them appears in it."""

import os
import subprocess

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.db import connection

from harbour.people.models import Person
from harbour.testing.fixtures import TOTP_SECRET, make_user

PHONES = ["+1-555-0142-7781", "+1-555-0187-2290", "(555) 0163-4417"]
GIVEN_NAME = "Marisol-Dumptest"


def dump_database() -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        command = ["pg_dump", "--no-owner", "--dbname", db["NAME"]]
        for option, value in (("--host", db.get("HOST")), ("--port", db.get("PORT"))):
            if value:
                command += [option, str(value)]
        if db.get("USER"):
            command += ["--username", db["USER"]]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    pytest.fail(f"No dump for {connection.vendor}")


def test_it_leaves_no_secret_in_plaintext_in_a_database_dump(transactional_db, unit):
    for number, phone in enumerate(PHONES):
        Person.objects.create(
            organisation=unit, given_name=f"{GIVEN_NAME}{number}", safe_phone=phone
        )
    user = make_user("caseworker@unit.test", unit, "caseworker")  # TOTP with TOTP_SECRET
    RecoveryCodes.activate(user)
    seed = get_adapter().decrypt(
        Authenticator.objects.get(user=user, type="recovery_codes").data["seed"]
    )

    dump = dump_database()

    # The dump is real: it holds the rows, with what is not secret in the clear.
    assert f"{GIVEN_NAME}0" in dump
    assert "caseworker@unit.test" in dump
    secrets = [*PHONES, TOTP_SECRET, seed]
    # The numbers' digits too, in case something stored a normalised copy.
    secrets += ["".join(c for c in phone if c.isdigit()) for phone in PHONES]
    assert [secret for secret in secrets if secret in dump] == []
