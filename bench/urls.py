"""Harbour's URL map plus `/bench/floor`: the least a request through Harbour's middleware can
cost (session, authentication, MFA check, privacy headers), to compare pages against. Not a
product route: only bench/settings.py uses this map."""

from django.http import HttpResponse
from django.urls import path

from harbour.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor", floor, name="bench_floor"), *urlpatterns]
