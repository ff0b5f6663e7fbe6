from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "harbour.screening"
    label = "screening"
    verbose_name = _("Police report screening")
    default_auto_field = "django.db.models.BigAutoField"
