"""Organisations (tenants), staff users, their memberships and roles, integration keys,
and the login-failure ledger behind the lockout."""

import hashlib
import secrets
import uuid
from zoneinfo import ZoneInfo, available_timezones

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as _BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from harbour.accounts.constants import KeyScope, OrganisationKind, Role


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Organisation(models.Model):
    """A tenant: a police service, a victim services unit, an agency … Every record belongs
    to exactly one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    # How integrations and commands name the organisation (`--org SLUG`, the referral API's
    # `to`): stable, unlike the name.
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Toronto", validators=[validate_time_zone]
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class UserManager(_BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff of an organisation. Victims never have accounts here."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="en",
        choices=[("en", "English"), ("fr", "Français")],
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False)  # Django's admin flag; Harbour has no admin site
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several roles in several
    organisations; every query is scoped through these rows."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"


KEY_PREFIX = "hbk"


def hash_key_secret(secret: str) -> str:
    # The secret is 32 random bytes: a fast hash is enough (no dictionary to attack), and a
    # slow one would make every API call pay for it.
    return hashlib.sha256(secret.encode()).hexdigest()


class IntegrationKey(models.Model):
    """A credential for a system that talks to the API on behalf of one organisation
    (a records system, a monitoring centre). The secret is shown once and stored hashed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="integration_keys")
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}_{self.lookup}_…)"

    @staticmethod
    def new_token() -> tuple[str, str, str]:
        """Return (token, lookup, secret_hash). Only the caller ever sees the token."""
        lookup = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        return f"{KEY_PREFIX}_{lookup}_{secret}", lookup, hash_key_secret(secret)

    @property
    def is_active(self) -> bool:
        return self.revoked is None

    def allows(self, scope: KeyScope | str) -> bool:
        return self.is_active and str(scope) in self.scopes

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])


class LoginThrottle(models.Model):
    """Failed sign-in attempts per login name (hashed: the table never holds an address that
    was typed by mistake). Keyed by what was typed, so an unknown address locks exactly like
    a real one and the two cannot be told apart."""

    key = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.failures} failures, locked until {self.locked_until}"

    @staticmethod
    def key_for(login: str) -> str:
        return hashlib.sha256(login.strip().lower().encode()).hexdigest()
