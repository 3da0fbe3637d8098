from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "demand"
    verbose_name = _("Demand")

    def ready(self) -> None:
        # Requests on the portfolio committee's agenda and its G0 decision (governance's registries and
        # signals); demand reads portfolio, finance and resources, none of which reads it.
        from demand.integration import register

        register()
