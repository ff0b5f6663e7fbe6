from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "harbour.consent"
    label = "consent"
