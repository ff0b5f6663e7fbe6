from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "harbour.intake"
    label = "intake"
    verbose_name = _("Intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register intake's timeline lines with the case timeline.
        from harbour.intake import timeline  # noqa: F401
