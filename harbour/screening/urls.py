from django.urls import path

from harbour.screening import stats_views, views

app_name = "screening"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("matches/<uuid:match_id>/", views.match_detail, name="match"),
    path("matches/<uuid:match_id>/assign/", views.assign, name="assign"),
    path("matches/<uuid:match_id>/offer/", views.offer, name="offer"),
    path("matches/<uuid:match_id>/no-action/", views.no_action, name="no_action"),
    path("matches/<uuid:match_id>/existing-client/", views.existing_client, name="existing_client"),
    path("matches/<uuid:match_id>/attempts/", views.attempt, name="attempt"),
    path("rules/", views.rules, name="rules"),
    path("rules/<uuid:rule_id>/", views.rule_edit, name="rule_edit"),
    path("stats/", stats_views.stats_dashboard, name="stats"),
    path("stats/figures.csv", stats_views.stats_csv, name="stats_csv"),
]
