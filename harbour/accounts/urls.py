from django.urls import path

from harbour.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("keys/", views.keys, name="keys"),
    path("keys/new/", views.key_new, name="key_new"),
    path("keys/<uuid:key_id>/revoke/", views.key_revoke, name="key_revoke"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
]
