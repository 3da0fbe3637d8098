from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # The project page's governance panel and its "overdue actions" signal (portfolio's registries).
        from governance import follow_ups
        from governance.project_panel import register

        register()
        # The follow-up reviews of red and amber/red delivery confidence assessments, on agendas.
        follow_ups.register()
