"""django-allauth MFA adapter: TOTP secrets and recovery-code seeds encrypted at rest.

allauth passes every MFA secret through its adapter's encrypt()/decrypt() and, by default,
stores it as given. A stolen database must not hand over second factors, so these go
through the field key ring (harbour.lib.crypto) and `harbour rotate-keys` re-encrypts them.
"""

from allauth.mfa.adapter import DefaultMFAAdapter

from harbour.lib import crypto

# allauth gives no row or user to bind to, so every MFA secret shares one context: it still
# keeps these tokens from decrypting as a field value, and a field value from decrypting here.
AAD = b"allauth.mfa"


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text.encode(), AAD)

    def decrypt(self, encrypted_text: str) -> str:
        # No fallback to plaintext: one would let anyone who can write the table choose a
        # user's TOTP secret. Secrets stored before this adapter are encrypted by rotate-keys.
        return crypto.decrypt(encrypted_text, AAD).decode()
