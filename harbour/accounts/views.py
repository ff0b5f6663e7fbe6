"""Pages of the accounts app: an admin's users and integration keys, and switching the
organisation a user acts in."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harbour.accounts import actions, lockout
from harbour.accounts.access import (
    SESSION_ORG_KEY,
    key_for_admin,
    keys_for_admin,
    organisation_for_user,
    staff_required,
    user_for_admin,
    users_for_admin,
)
from harbour.accounts.constants import Role
from harbour.accounts.forms import KeyForm, OrganisationSwitchForm, RolesForm, UserForm
from harbour.accounts.models import Membership


@staff_required(Role.ADMIN)
def users(request):
    people = users_for_admin(request.user, request.acting).order_by("full_name")
    rows = []
    for user in people:
        roles = [
            m.get_role_display()
            for m in user.memberships.all()
            if m.organisation_id == request.acting.organisation.id and m.is_active
        ]
        rows.append({"user": user, "roles": roles})
    return render(request, "accounts/users.html", {"rows": rows})


@staff_required(Role.ADMIN)
def user_new(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.add_user(request, request.acting, **form.cleaned_data)
        messages.success(request, _("%(name)s can now sign in.") % {"name": user.full_name})
        return redirect("accounts:user", user_id=user.pk)
    return render(request, "accounts/user_new.html", {"form": form})


@staff_required(Role.ADMIN)
def user_detail(request, user_id: int):
    user = user_for_admin(request.user, request.acting, user_id)
    org = request.acting.organisation
    current = list(
        Membership.objects.filter(user=user, organisation=org, is_active=True).values_list(
            "role", flat=True
        )
    )
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        actions.set_roles(request, request.acting, user, form.cleaned_data["roles"])
        messages.success(request, _("Roles saved."))
        return redirect("accounts:user", user_id=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "form": form,
            "active": bool(current),
            "locked": lockout.is_locked(user.email),
        },
    )


@require_POST
@staff_required(Role.ADMIN)
def user_unlock(request, user_id: int):
    user = user_for_admin(request.user, request.acting, user_id)
    if actions.unlock_user(request, request.acting, user):
        messages.success(request, _("%(name)s can sign in again.") % {"name": user.full_name})
    else:
        messages.info(request, _("%(name)s was not locked out.") % {"name": user.full_name})
    return redirect("accounts:user", user_id=user.pk)


@require_POST
@staff_required(Role.ADMIN)
def user_deactivate(request, user_id: int):
    user = user_for_admin(request.user, request.acting, user_id)
    if user == request.user:
        messages.error(request, _("You cannot deactivate yourself."))
        return redirect("accounts:user", user_id=user.pk)
    actions.deactivate_user(request, request.acting, user)
    messages.success(request, _("%(name)s no longer has access.") % {"name": user.full_name})
    return redirect("accounts:users")


@staff_required(Role.ADMIN)
def keys(request):
    return render(
        request, "accounts/keys.html", {"keys": keys_for_admin(request.user, request.acting)}
    )


@staff_required(Role.ADMIN)
def key_new(request):
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key, token = actions.issue_key(request, request.acting, **form.cleaned_data)
        # Rendered once, never stored: the page is no-store like every page.
        return render(request, "accounts/key_issued.html", {"key": key, "token": token})
    return render(request, "accounts/key_new.html", {"form": form})


@require_POST
@staff_required(Role.ADMIN)
def key_revoke(request, key_id):
    key = key_for_admin(request.user, request.acting, key_id)
    if key.is_active:
        actions.revoke_key(request, key)
        messages.success(request, _("The key “%(name)s” no longer works.") % {"name": key.name})
    return redirect("accounts:keys")


@require_POST
@staff_required()
def switch_organisation(request):
    form = OrganisationSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    org = organisation_for_user(request.user, form.cleaned_data["organisation"])
    request.session[SESSION_ORG_KEY] = org.id
    return redirect("home")
