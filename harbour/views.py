"""The shell's own pages: the public start page, the staff home, quick exit, health."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from harbour.accounts.access import staff_required
from harbour.accounts.constants import Role
from harbour.accounts.middleware import CLEAR_SITE_DATA


@require_GET
def start(request):
    """The public front door. Its title and words are neutral: someone looking over a
    shoulder should not learn what service this is."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "start.html", {"public_page": True})


@staff_required()
def home(request):
    roles = [label for value, label in Role.choices if value in request.acting.roles]
    return render(request, "home.html", {"acting_roles_display": roles})


def quick_exit(request):
    """Where the quick-exit control lands: tell the browser to drop everything it holds for
    this site, end any session, and go to the neutral site."""
    request.session.flush()
    response = HttpResponseRedirect(settings.HARBOUR_QUICK_EXIT_URL)
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
