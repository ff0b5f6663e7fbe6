"""Writes in the accounts app: an admin adds, changes and deactivates the users of their own
organisation, and issues and revokes integration keys. Each runs in one transaction with an
audit event; email goes out from the task worker after commit."""

from functools import partial

from django.db import transaction

from harbour.accounts.access import Acting
from harbour.accounts.models import IntegrationKey, Membership, User
from harbour.accounts.tasks import send_welcome_email
from harbour.audit.actions import record_access


@transaction.atomic
def add_user(request, acting: Acting, *, email: str, full_name: str, roles: list[str]) -> User:
    """Create a staff user in the admin's organisation, or give an existing user roles in it.

    The new user has no usable password: the welcome email carries a password-reset link.
    """
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email=email).first()
    created = existing is None
    user = existing or User.objects.create_user(email=email, password=None, full_name=full_name)
    set_roles(request, acting, user, roles, audit=False)
    record_access(request, "user.add", obj=user, reason=", ".join(sorted(roles)))
    if created:
        transaction.on_commit(partial(send_welcome_email.enqueue, user.pk, acting.organisation.pk))
    return user


@transaction.atomic
def set_roles(request, acting: Acting, user: User, roles: list[str], *, audit: bool = True) -> None:
    """Make the user's roles in the acting organisation exactly `roles`. Memberships in
    other organisations are not the admin's to touch and are left alone."""
    org = acting.organisation
    current = {m.role: m for m in Membership.objects.filter(user=user, organisation=org)}
    for role in roles:
        if role in current:
            m = current[role]
            if not m.is_active:
                m.is_active = True
                m.save(update_fields=["is_active"])
        else:
            Membership.objects.create(user=user, organisation=org, role=role)
    Membership.objects.filter(user=user, organisation=org).exclude(role__in=roles).update(
        is_active=False
    )
    if audit:
        record_access(request, "user.set_roles", obj=user, reason=", ".join(sorted(roles)))


@transaction.atomic
def deactivate_user(request, acting: Acting, user: User) -> None:
    """End the user's access to the acting organisation (all their roles there). Their
    account stays for the audit trail and for any other organisation they belong to."""
    Membership.objects.filter(user=user, organisation=acting.organisation).update(is_active=False)
    record_access(request, "user.deactivate", obj=user)


@transaction.atomic
def unlock_user(request, acting: Acting, user: User) -> bool:
    """Lift a sign-in lockout early (the user called: it was them, mistyping). Returns
    whether there was a lock. The failures count goes too, so they get five fresh tries."""
    from harbour.accounts import lockout

    was_locked = lockout.is_locked(user.email)
    lockout.clear(user.email)
    record_access(request, "user.unlock", obj=user)
    return was_locked


@transaction.atomic
def issue_key(
    request, acting: Acting, *, name: str, scopes: list[str]
) -> tuple[IntegrationKey, str]:
    """Create a key and return it with its token. The token is never stored or shown again."""
    token, lookup, secret_hash = IntegrationKey.new_token()
    key = IntegrationKey.objects.create(
        organisation=acting.organisation,
        name=name,
        lookup=lookup,
        secret_hash=secret_hash,
        scopes=sorted(scopes),
        created_by=request.user,
    )
    record_access(request, "key.issue", obj=key, reason=", ".join(key.scopes))
    return key, token


@transaction.atomic
def revoke_key(request, key: IntegrationKey) -> None:
    key.revoke()
    record_access(request, "key.revoke", obj=key)
