from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "harbour.accounts"
    label = "accounts"
