"""Who may act where: the acting organisation and roles of a request, and scoped lookups of
organisations, users and integration keys (DESIGN §4.1–4.2).

Every lookup by id returns the object or raises Http404: "missing" and "forbidden" look the
same. Each condition sits on its own line so coverage shows every branch is tested.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from harbour.accounts.models import IntegrationKey, Membership, Organisation, User

SESSION_ORG_KEY = "harbour_org"


@dataclass(frozen=True)
class Acting:
    """The organisation a signed-in user is working in now, and their roles there."""

    organisation: Organisation
    roles: frozenset[str] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def memberships_for(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, user__is_active=True
    ).select_related("organisation")


def organisations_for(
    user: User, memberships: list[Membership] | None = None
) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for m in memberships if memberships is not None else memberships_for(user):
        seen.setdefault(m.organisation_id, m.organisation)
    return list(seen.values())


def acting_for(request: HttpRequest) -> Acting | None:
    """The organisation chosen in this session (or the user's first) and the roles held
    there. None for anonymous visitors and users with no active membership."""
    if hasattr(request, "_harbour_acting"):
        return request._harbour_acting
    acting: Acting | None = None
    user = request.user
    if user.is_authenticated:
        memberships = list(memberships_for(user))
        # Kept for the header's organisation switcher: one query per request, not two.
        request._harbour_memberships = memberships  # type: ignore[attr-defined]
        wanted = request.session.get(SESSION_ORG_KEY)
        chosen = [m for m in memberships if m.organisation_id == wanted] or memberships[:1]
        if chosen:
            org = chosen[0].organisation
            roles = frozenset(m.role for m in memberships if m.organisation_id == org.id)
            acting = Acting(organisation=org, roles=roles)
    request._harbour_acting = acting  # type: ignore[attr-defined]
    return acting


def organisation_for_user(user: User, organisation_id: int) -> Organisation:
    for org in organisations_for(user):
        if org.id == organisation_id:
            return org
    raise Http404


def staff_required(*roles: str):
    """Decorate a view: the visitor must be signed in, hold a membership, and (if roles are
    named) hold one of them in the acting organisation. Sets request.acting.

    Signed-out visitors go to the sign-in page; a signed-in user without the role gets 403
    (the page exists for everyone; what it would show is not theirs).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            acting = acting_for(request)
            if acting is None:
                raise PermissionDenied
            if roles and not acting.has(*roles):
                raise PermissionDenied
            request.acting = acting
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def users_for_admin(user: User, acting: Acting) -> QuerySet[User]:
    """The users an admin manages: those with a membership in the admin's organisation."""
    if not user.has_perm("accounts.manage_users", acting.organisation):
        return User.objects.none()
    return (
        User.objects.filter(memberships__organisation=acting.organisation)
        .distinct()
        .prefetch_related("memberships")
    )


def user_for_admin(user: User, acting: Acting, user_id: int) -> User:
    try:
        return users_for_admin(user, acting).get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def keys_for_admin(user: User, acting: Acting) -> QuerySet[IntegrationKey]:
    if not user.has_perm("accounts.manage_keys", acting.organisation):
        return IntegrationKey.objects.none()
    return IntegrationKey.objects.filter(organisation=acting.organisation)


def key_for_admin(user: User, acting: Acting, key_id) -> IntegrationKey:
    try:
        return keys_for_admin(user, acting).get(pk=key_id)
    except (IntegrationKey.DoesNotExist, ValueError):
        raise Http404 from None
