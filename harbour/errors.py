"""Error pages: plain, translated, no detail that could help an attacker or scare a user."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def _page(request, status: int):
    return render(request, f"errors/{status}.html", status=status)


def bad_request(request, exception=None):
    return _page(request, 400)


def forbidden(request, exception=None):
    return _page(request, 403)


def not_found(request, exception=None):
    return _page(request, 404)


def server_error(request):
    # No request context: the failure may be the database the context processors need.
    body = loader.get_template("errors/500.html").render({})
    return HttpResponseServerError(body)


def csrf_failure(request, reason=""):
    """A form sent without a valid token: most often a page left open past the 30-minute
    idle limit. Say so plainly instead of Django's technical page."""
    return render(request, "errors/csrf.html", status=403)
