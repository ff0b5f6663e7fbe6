"""Routes of the cases app: caseloads and search, a case with its timeline, contacts,
services, status, follow-ups, teams and restricted-case access."""

from django.urls import path

from harbour.cases import caseload, followups, teams, views

app_name = "cases"
urlpatterns = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    # Caseloads, search, follow-ups and teams (caseload.py, followups.py, teams.py).
    path("", caseload.caseload, name="caseload"),
    path("all/", caseload.all_cases, name="all_cases"),
    path("search/", caseload.case_search, name="search"),
    path("<uuid:case_id>/followups/new/", followups.followup_new, name="followup_new"),
    path("followups/", followups.my_followups, name="my_followups"),
    path("followups/<uuid:task_id>/", followups.followup_edit, name="followup_edit"),
    path("followups/<uuid:task_id>/done/", followups.followup_done, name="followup_done"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", teams.team_new, name="team_new"),
    path("teams/<int:team_id>/", caseload.team_caseload, name="team_caseload"),
    path("teams/<int:team_id>/edit/", teams.team_edit, name="team_edit"),
    path("teams/<int:team_id>/followups/", followups.team_followups, name="team_followups"),
]
