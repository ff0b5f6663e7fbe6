from django.urls import path

from harbour.screening import import_views

app_name = "occurrence_imports"
urlpatterns = [
    path("", import_views.import_list, name="list"),
    path("<uuid:run_id>/", import_views.import_detail, name="detail"),
    path("<uuid:run_id>/progress/", import_views.import_progress, name="progress"),
]
