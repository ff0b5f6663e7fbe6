"""Routes of intake: the staff forms for police and agencies, and the triage queue."""

from django.urls import path

from harbour.intake import views

app_name = "intake"
urlpatterns = [
    # Each route needs a row in harbour/tests/permission_matrix.py.
    path("", views.queue, name="queue"),
    path("police/new/", views.police_new, name="police_new"),
    path("agency/new/", views.agency_new, name="agency_new"),
    path("sent/", views.sent, name="sent"),
    path("sent/<uuid:referral_id>/", views.sent_detail, name="sent_detail"),
    path("<uuid:referral_id>/", views.detail, name="detail"),
    path("<uuid:referral_id>/accept/", views.accept, name="accept"),
    path("<uuid:referral_id>/decline/", views.decline, name="decline"),
    path("<uuid:referral_id>/duplicate/", views.duplicate, name="duplicate"),
]
