from django.urls import path

from harbour.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/aliases/new/", views.alias_new, name="alias_new"),
    path(
        "<uuid:person_id>/aliases/<uuid:alias_id>/remove/",
        views.alias_remove,
        name="alias_remove",
    ),
    path("<uuid:person_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("<uuid:person_id>/contacts/<uuid:contact_id>/", views.contact_edit, name="contact_edit"),
    path(
        "<uuid:person_id>/contacts/<uuid:contact_id>/code-word/",
        views.code_word_reveal,
        name="code_word_reveal",
    ),
    path("<uuid:person_id>/addresses/new/", views.address_new, name="address_new"),
    path("<uuid:person_id>/addresses/<uuid:address_id>/", views.address_edit, name="address_edit"),
    path(
        "<uuid:person_id>/addresses/<uuid:address_id>/reveal/",
        views.address_reveal,
        name="address_reveal",
    ),
    path("<uuid:person_id>/relationships/new/", views.relationship_new, name="relationship_new"),
    path(
        "<uuid:person_id>/relationships/<uuid:relationship_id>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    path("<uuid:person_id>/merge/", views.person_merge, name="merge"),
    path("<uuid:person_id>/access/", views.person_access_log, name="access_log"),
]
