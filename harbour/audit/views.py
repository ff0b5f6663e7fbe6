"""The organisation's access trail, for coordinators and admins."""

from django.core.paginator import Paginator
from django.shortcuts import render

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.audit.access import visible_events
from harbour.audit.actions import record_access


@staff_required(Role.COORDINATOR, Role.ADMIN)
def log(request):
    events = visible_events(request.user, request.acting)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    record_access(request, "audit.view_log", reason="review")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action})
