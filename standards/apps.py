from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Standards")

    def ready(self) -> None:
        # Methodology-scoped gate criteria, the deliverables' gate check, exception reports on the
        # committees' agendas, the compliance KPI and signal (registries of portfolio, governance and
        # reporting; none of them depends on standards).
        from standards.integration import register

        register()
