"""`harbour rotate-keys`: every encrypted value and MFA secret ends up under the newest key,
still readable once the old key is gone; a second run changes nothing."""

import base64
import os
from io import StringIO

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from harbour.lib.fields import blind_lookup
from harbour.people.models import Person
from harbour.testing.fixtures import TOTP_SECRET, make_user


def key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


OLD = "k1:" + key()
NEW = "k2:" + key()
PHONES = ["+1-555-0142-7781", "+1-555-0199-3020", ""]


def rotate(*args) -> str:
    out = StringIO()
    call_command("rotate-keys", *args, stdout=out)
    return out.getvalue()


def stored_tokens() -> list[str]:
    tokens = [p.token for p in Person.objects.values_list("safe_phone", flat=True) if p]
    return tokens + [a.data["secret"] for a in Authenticator.objects.filter(type="totp")]


@pytest.fixture
def under_old_key(unit):
    """Three people with phones, one without, and a user with TOTP, all under the old key."""
    with override_settings(FIELD_KEYS=OLD):
        for number, phone in enumerate(PHONES):
            Person.objects.create(organisation=unit, given_name=f"P{number}", safe_phone=phone)
        Person.objects.create(organisation=unit, given_name="No phone")
        make_user("caseworker@unit.test", unit, "caseworker")
    assert all(token.startswith("v1:k1:") for token in stored_tokens())


def test_it_re_encrypts_everything_so_the_old_key_can_be_removed(under_old_key):
    with override_settings(FIELD_KEYS=f"{NEW},{OLD}"):
        output = rotate()
    assert "people.Person: 4 of 4 rows" in output
    assert "Re-encrypted 4 values in 4 rows; 0 already current." in output
    with override_settings(FIELD_KEYS=NEW):
        assert all(token.startswith("v1:k2:") for token in stored_tokens())
        phones = {p.given_name: p.safe_phone for p in Person.objects.all()}
        assert phones == {"P0": PHONES[0], "P1": PHONES[1], "P2": "", "No phone": None}
        secret = Authenticator.objects.get(type="totp").data["secret"]
        assert get_adapter().decrypt(secret) == TOTP_SECRET
        # The blind index does not depend on the field keys.
        assert Person.objects.filter(**blind_lookup(Person, "safe_phone", PHONES[0])).exists()


def test_it_changes_nothing_when_run_again(under_old_key):
    with override_settings(FIELD_KEYS=f"{NEW},{OLD}"):
        rotate()
        before = stored_tokens()
        output = rotate()
    assert "Re-encrypted 0 values in 0 rows; 4 already current." in output
    assert stored_tokens() == before


def test_it_writes_nothing_on_a_dry_run(under_old_key):
    before = stored_tokens()
    with override_settings(FIELD_KEYS=f"{NEW},{OLD}"):
        output = rotate("--dry-run")
    assert "Dry run: would re-encrypt 4 values in 4 rows; 0 already current." in output
    assert stored_tokens() == before


def test_it_stops_on_a_value_whose_key_is_gone_without_showing_it(under_old_key):
    with override_settings(FIELD_KEYS=NEW), pytest.raises(CommandError) as error:
        rotate()
    message = str(error.value)
    assert "people.Person" in message and "safe_phone" in message
    assert "k1, which is not in HARBOUR_FIELD_KEYS" in message
    assert not any(phone and phone in message for phone in PHONES)


def test_it_encrypts_mfa_secrets_stored_before_the_adapter(unit):
    user = make_user("old@unit.test", unit, "caseworker", mfa=False)
    Authenticator.objects.create(user=user, type="totp", data={"secret": TOTP_SECRET})
    output = rotate()
    assert "1 MFA secrets were stored unencrypted and are now encrypted." in output
    secret = Authenticator.objects.get(user=user).data["secret"]
    assert secret.startswith("v1:test2:")
    assert get_adapter().decrypt(secret) == TOTP_SECRET


def test_it_refuses_a_batch_size_below_one(db):
    with pytest.raises(CommandError, match="at least 1"):
        rotate("--batch-size", "0")


def test_it_works_in_batches(under_old_key):
    with override_settings(FIELD_KEYS=f"{NEW},{OLD}"):
        output = rotate("--batch-size", "3")
    assert "people.Person: 3 of 4 rows" in output
    assert "people.Person: 4 of 4 rows" in output
    assert "Re-encrypted 4 values in 4 rows" in output
