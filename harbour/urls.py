"""Top-level URL map. Every route here must have a row in the permission matrix
(harbour/tests/permission_matrix.py) or the test suite fails."""

from django.urls import include, path
from django.views.i18n import set_language

from harbour import views
from harbour.api import api

urlpatterns = [
    path("", views.start, name="start"),
    path("home/", views.home, name="home"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("manage/", include("harbour.accounts.urls")),
    path("people/", include("harbour.people.urls")),
    path("people/", include("harbour.consent.urls")),
    path("audit/", include("harbour.audit.urls")),
    path("cases/", include("harbour.cases.urls")),
    path("intake/", include("harbour.intake.urls")),
    path("screening/", include("harbour.screening.urls")),
    path("help/", include("harbour.intake.public_urls")),
    path("api/v1/", api.urls),
]

handler400 = "harbour.errors.bad_request"
handler403 = "harbour.errors.forbidden"
handler404 = "harbour.errors.not_found"
handler500 = "harbour.errors.server_error"
