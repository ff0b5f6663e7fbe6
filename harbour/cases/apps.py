from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "harbour.cases"
    label = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Check the services taxonomy at start-up: a bad edit of the data file stops the
        # server with a message naming the entry, instead of failing on the first form.
        from harbour.cases import services, timeline  # noqa: F401 (registers its lines)

        services.taxonomy()
