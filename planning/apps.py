from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        # Change requests and broken dependencies on committee agendas, the decision that settles a change
        # request (governance's extensions and signals), the plan's panel on the project page (portfolio's).
        from planning.integration import register

        register()
