"""Encryption at rest: the field key ring, AES-GCM tokens and HMAC blind indexes.

Safe phone numbers, addresses, GPS positions and narrative notes are stored encrypted
(DESIGN.md §4.6). This module holds the primitives; harbour.lib.fields builds model fields
on them and `harbour rotate-keys` re-encrypts under the newest key.

- ``HARBOUR_FIELD_KEYS`` (settings.FIELD_KEYS) is ``"newest_id:key,older_id:key"``: the first
  key encrypts, every key decrypts, so a new key is rolled out by putting it first, running
  `harbour rotate-keys`, then removing the old one. Keys are 32 random bytes in base64url.
- A token is ``v1:<key id>:<base64url(nonce || ciphertext+tag)>``: plain text, so it fits a
  TextField on SQLite and PostgreSQL alike and says which key made it.
- Every token is bound to a context (the AAD: table, row and field for model fields). The same
  token presented in any other context fails authentication, so a ciphertext copied to another
  row or column cannot be decrypted there.
- ``blind_index()`` gives an HMAC of a normalised value, for exact lookups without decrypting.

Error messages name keys by id and position only: key material never reaches a log.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

VERSION = "v1"
KEY_BYTES = 32
# 96-bit random nonces, the size GCM is designed for. Random nonces are safe for about 2**32
# encryptions under one key; rotation keeps every key far below that.
NONCE_BYTES = 12
# HKDF makes the index key from any length of input, but a short secret is guessable.
MIN_BLIND_INDEX_KEY_BYTES = 32
KEY_ID = re.compile(r"[A-Za-z0-9_-]+")


class DecryptionError(Exception):
    """A token could not be decrypted: malformed, made with a key no longer in the ring, or
    tampered with (which includes being copied from another row or field)."""


@dataclass(frozen=True)
class KeyRing:
    """The parsed key ring: ``newest`` encrypts, every key in ``keys`` decrypts."""

    newest: str
    keys: dict[str, AESGCM]

    def __repr__(self) -> str:
        # The dataclass repr would show the cipher objects; ids are all anyone needs to see.
        return f"<KeyRing newest={self.newest!r} ids={list(self.keys)!r}>"

    @classmethod
    def parse(cls, spec: str, setting: str = "HARBOUR_FIELD_KEYS") -> "KeyRing":
        entries = [entry.strip() for entry in (spec or "").split(",")]
        if not any(entries):
            raise ImproperlyConfigured(
                _("%(setting)s is empty: it needs at least one key as id:base64url-key.")
                % {"setting": setting}
            )
        keys: dict[str, AESGCM] = {}
        for position, entry in enumerate(entries, start=1):
            key_id, colon, encoded = entry.partition(":")
            # Only a well-formed id is ever quoted back: a malformed entry may be a bare key.
            if not colon:
                raise ImproperlyConfigured(
                    _("%(setting)s entry %(position)d is not of the form id:base64url-key.")
                    % {"setting": setting, "position": position}
                )
            if not KEY_ID.fullmatch(key_id):
                raise ImproperlyConfigured(
                    _(
                        "%(setting)s entry %(position)d has an invalid key id: use only "
                        "letters, digits, '-' and '_'."
                    )
                    % {"setting": setting, "position": position}
                )
            if key_id in keys:
                raise ImproperlyConfigured(
                    _("%(setting)s has the key id %(id)s more than once.")
                    % {"setting": setting, "id": key_id}
                )
            keys[key_id] = AESGCM(_decode_key(encoded, setting, key_id))
        return cls(newest=next(iter(keys)), keys=keys)


def _decode_key(encoded: str, setting: str, key_id: str) -> bytes:
    try:
        # Accepts base64url (and, because altchars are translated, standard base64), with or
        # without padding; validate=True refuses stray characters instead of skipping them.
        raw = base64.b64decode(_pad(encoded.strip()), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(
            _("%(setting)s key %(id)s is not valid base64url.") % {"setting": setting, "id": key_id}
        ) from None
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            _(
                "%(setting)s key %(id)s decodes to %(length)d bytes; each key must be exactly "
                "%(expected)d bytes."
            )
            % {"setting": setting, "id": key_id, "length": len(raw), "expected": KEY_BYTES}
        )
    return raw


def _pad(text: str) -> str:
    return text + "=" * (-len(text) % 4)


@lru_cache(maxsize=8)
def _ring_for(spec: str) -> KeyRing:
    return KeyRing.parse(spec)


def keyring() -> KeyRing:
    """The ring for the current settings. Cached by the setting's value, so
    ``override_settings(FIELD_KEYS=...)`` takes effect with no reset."""
    return _ring_for(settings.FIELD_KEYS)


def reset_keyring() -> None:
    """Forget parsed rings and derived index keys (they are rebuilt on next use)."""
    _ring_for.cache_clear()
    _index_key_for.cache_clear()


def encrypt(plaintext: bytes, aad: bytes) -> str:
    """Encrypt under the newest key, bound to ``aad``; returns a text token."""
    return encrypter()(plaintext, aad)


def encrypter() -> Callable[[bytes, bytes], str]:
    """``encrypt`` bound to the newest key of the ring as it is now: for loops over many
    values (a bulk load), which then read the settings once instead of once per value."""
    ring = keyring()
    key_id, key = ring.newest, ring.keys[ring.newest]

    def seal(plaintext: bytes, aad: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = key.encrypt(nonce, plaintext, aad)
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{VERSION}:{key_id}:{body}"

    return seal


def decrypt(token: str, aad: bytes) -> bytes:
    """Decrypt a token made by ``encrypt`` with the same ``aad``, under any key in the ring."""
    key_id, body = _split(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(
            _("Encrypted with key %(id)s, which is not in HARBOUR_FIELD_KEYS.") % {"id": key_id}
        )
    try:
        raw = base64.urlsafe_b64decode(_pad(body))
    except (binascii.Error, ValueError):
        raise DecryptionError(_("The encrypted value is malformed.")) from None
    if len(raw) <= NONCE_BYTES:
        raise DecryptionError(_("The encrypted value is malformed."))
    try:
        return key.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            _(
                "The encrypted value failed authentication: it was altered, or it belongs to "
                "another row or field."
            )
        ) from None


def is_token(value: object) -> bool:
    """Whether ``value`` looks like a token (says nothing about whether it decrypts)."""
    if not isinstance(value, str):
        return False
    try:
        _split(value)
    except DecryptionError:
        return False
    return True


def token_key_id(token: str) -> str:
    """The id of the key that made ``token``."""
    return _split(token)[0]


def _split(token: str) -> tuple[str, str]:
    version, _sep, rest = token.partition(":")
    key_id, sep, body = rest.partition(":")
    if version != VERSION or not sep or not KEY_ID.fullmatch(key_id) or not body:
        raise DecryptionError(_("The value is not an encrypted token."))
    return key_id, body


@lru_cache(maxsize=64)
def _index_key_for(secret: str, purpose: str) -> bytes:
    material = secret.encode()
    if len(material) < MIN_BLIND_INDEX_KEY_BYTES:
        raise ImproperlyConfigured(
            _("HARBOUR_BLIND_INDEX_KEY must be at least %(length)d bytes long.")
            % {"length": MIN_BLIND_INDEX_KEY_BYTES}
        )
    # One key per purpose: equal values in two different indexes do not give equal digests,
    # so the database alone cannot tell that a phone number here is an address there.
    info = b"harbour blind index:" + purpose.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def blind_index(purpose: str, normalised_value: str) -> str:
    """HMAC-SHA256 (hex) of a normalised value under a key derived for ``purpose``."""
    return blind_indexer(purpose)(normalised_value)


def blind_indexer(purpose: str) -> Callable[[str], str]:
    """``blind_index`` for one purpose with its key derived once: for loops over many values."""
    key = _index_key_for(settings.BLIND_INDEX_KEY, purpose)

    def digest(normalised_value: str) -> str:
        return hmac.new(key, normalised_value.encode(), hashlib.sha256).hexdigest()

    return digest
