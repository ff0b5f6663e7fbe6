from django.urls import path

from harbour.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/access/", views.person_access_log, name="access_log"),
]
