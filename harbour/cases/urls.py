"""Routes of the cases app: caseloads and search, a case with its timeline, contacts,
services, status, follow-ups, teams and restricted-case access."""

app_name = "cases"
urlpatterns: list = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
]
