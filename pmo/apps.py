from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmoConfig(AppConfig):
    name = "pmo"
    verbose_name = _("Organisation and users")

    def ready(self) -> None:
        from pmo import checks, middleware  # noqa: F401  (registers the system checks, the sign-in receiver)
