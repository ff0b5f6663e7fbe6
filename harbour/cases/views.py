"""Pages of the cases app."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.actions import record_access
from harbour.cases.access import GlassRequired, case_for_user

CASE = (Role.CASEWORKER, Role.COORDINATOR)


@staff_required(*CASE)
def case_detail(request, case_id):
    # Placeholder until the case page lands: the number, the client, the programs.
    try:
        case = case_for_user(request.user, request.acting, case_id)
    except GlassRequired:
        raise PermissionDenied from None
    record_access(request, "case.view", obj=case, person=case.client)
    return render(request, "cases/detail.html", {"case": case})
