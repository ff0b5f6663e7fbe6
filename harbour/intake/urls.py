"""Routes of intake: the staff forms for police and agencies, and the triage queue."""

app_name = "intake"
urlpatterns: list = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
]
