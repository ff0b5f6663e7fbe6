from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "harbour.lib"
    label = "lib"
