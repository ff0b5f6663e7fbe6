from django.urls import path

from harbour.screening import views

app_name = "screening"
urlpatterns = [
    path("stats/", views.stats_dashboard, name="stats"),
    path("stats/figures.csv", views.stats_csv, name="stats_csv"),
]
