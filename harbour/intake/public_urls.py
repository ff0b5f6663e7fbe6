"""Public routes of intake (no account): the self-referral form of a unit, mounted at
help/ in harbour/urls.py."""

from django.urls import path

from harbour.intake import public_views

app_name = "public"
urlpatterns = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
    path("<slug:org_slug>/", public_views.referral_form, name="referral"),
    path("<slug:org_slug>/sent/", public_views.referral_sent, name="referral_sent"),
]
