"""Routes of the consent ledger, under a person: /people/<id>/consents/…"""

from django.urls import path

from harbour.consent import views

app_name = "consent"
urlpatterns = [
    path("<uuid:person_id>/consents/", views.consent_list, name="list"),
    path("<uuid:person_id>/consents/new/", views.consent_new, name="new"),
    path("<uuid:person_id>/consents/<uuid:consent_id>/", views.consent_detail, name="detail"),
    path(
        "<uuid:person_id>/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke,
        name="revoke",
    ),
    path("<uuid:person_id>/disclosures/", views.disclosure_list, name="disclosures"),
    path("<uuid:person_id>/disclosures/new/", views.disclosure_new, name="disclose"),
]
