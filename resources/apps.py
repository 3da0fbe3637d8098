from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Resources")

    def ready(self) -> None:
        # Over-allocation as a derived signal (portfolio's registry) and on the portfolio committee's
        # agenda (governance's), scenarios decided in meetings (governance's signals).
        from resources.integration import register

        register()
