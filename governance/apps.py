from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # The project page's governance panel and its "overdue actions" signal (portfolio's registries).
        from governance.project_panel import register

        register()
