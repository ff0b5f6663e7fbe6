"""Routes of the cases app: caseloads and search, a case with its timeline, contacts,
services, status, follow-ups, teams and restricted-case access."""

from django.urls import path

from harbour.cases import views

app_name = "cases"
urlpatterns = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
    path("<uuid:case_id>/", views.case_detail, name="detail"),
]
