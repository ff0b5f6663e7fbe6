"""Routes of the cases app: caseloads and search, a case with its timeline, contacts,
services, status, follow-ups, teams and restricted-case access."""

from django.urls import path

from harbour.cases import caseload, followups, teams, views

app_name = "cases"
urlpatterns = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:case_id>/status/", views.case_status, name="status"),
    path("<uuid:case_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("<uuid:case_id>/contacts/<uuid:contact_id>/", views.contact_detail, name="contact"),
    path("<uuid:case_id>/services/new/", views.service_new, name="service_new"),
    path("<uuid:case_id>/services/<uuid:service_id>/", views.service_detail, name="service"),
    path("<uuid:case_id>/linked/new/", views.linked_new, name="linked_new"),
    path("<uuid:case_id>/break-glass/", views.break_glass, name="break_glass"),
    path("glass/", views.glass_review, name="glass_review"),
    path("glass/<int:glass_id>/reviewed/", views.glass_reviewed, name="glass_reviewed"),
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
